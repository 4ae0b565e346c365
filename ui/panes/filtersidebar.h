#pragma once

#include "model/operationcategory.h"

#include <QListWidget>

#include <functional>

class OperationCounts;

// The left-hand filters, as in qBittorrent's transfer list: by status (with "Needs attention"),
// by operation type and by who started the operations (a team sharing a store), each with a live
// count.
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
    int countOfStarter(const QString &startedBy) const { return m_starterCounts.value(startedBy); }
    void select(OperationCategory category);

    // Shows only the operations this person (or "pasted", "CLI") started.
    void selectStarter(const QString &startedBy);

signals:
    // One filter at a time: a category, or a type (category All), or a starter (category All).
    void filterChanged(OperationCategory category, const QString &operationTypeRaw,
                       const QString &startedBy);

private:
    // The entries after `header`, one per name counted, in alphabetical order.
    void showEntries(QListWidgetItem *header, QListWidgetItem *nextHeader,
                     const QHash<QString, int> &counts, int role,
                     const std::function<QString(const QString &)> &label);

    QListWidgetItem *m_typesHeader;
    QListWidgetItem *m_startersHeader;
    QHash<int, int> m_categoryCounts;
    QHash<QString, int> m_typeCounts;
    QHash<QString, int> m_starterCounts;
};
