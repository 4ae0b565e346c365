#pragma once

#include "operationfilter.h"

#include <QListWidget>

class OperationTableModel;

// The left-hand filters, as in qBittorrent's transfer list: by status (with "Needs attention")
// and by operation type, each with a live count.
class FilterSidebar final : public QListWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterSidebar)
public:
    explicit FilterSidebar(QWidget *parent = nullptr);

    // Recounts from the model (the caller decides how often; it walks every row).
    void refreshCounts(const OperationTableModel &model);
    // The count shown beside a filter, for tests and tooltips.
    int countOf(OperationCategory category) const { return m_categoryCounts.value(int(category)); }
    int countOfType(const QString &operationTypeRaw) const
    {
        return m_typeCounts.value(operationTypeRaw);
    }
    void select(OperationCategory category);

signals:
    void filterChanged(OperationCategory category, const QString &operationTypeRaw);

private:
    QListWidgetItem *m_typesHeader;
    QHash<int, int> m_categoryCounts;
    QHash<QString, int> m_typeCounts;
};
