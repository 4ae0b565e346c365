#pragma once

#include "model/operationcategory.h"

#include <QListWidget>

class OperationCounts;

// The left-hand filters, as in qBittorrent's transfer list: by status (with "Needs attention")
// and by operation type, each with a live count.
class FilterSidebar final : public QListWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterSidebar)
public:
    explicit FilterSidebar(QWidget *parent = nullptr);

    // Shows the counts (kept up to date by OperationCounts, so this walks no rows).
    void showCounts(const OperationCounts &counts);
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
