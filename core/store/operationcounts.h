#pragma once

#include "model/operationcategory.h"

#include <QHash>
#include <QList>
#include <QObject>

class OperationStore;
struct WatchedOperation;

// How many operations are in each category and of each type, kept up to date from the store's
// signals (Qt Creator's TaskModel keeps its counts this way): a change costs its own records,
// never a walk of every row.
class OperationCounts final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationCounts)
public:
    explicit OperationCounts(const OperationStore &store, QObject *parent = nullptr);

    int total() const { return int(m_counted.size()); }
    int count(OperationCategory category) const;
    int countOfType(const QString &operationTypeRaw) const
    {
        return m_types.value(operationTypeRaw);
    }
    // Types seen, each with its count (types with no operation left are dropped).
    const QHash<QString, int> &types() const { return m_types; }
    // Who started them (WatchedOperation::startedBy), each with its count, the same way.
    const QHash<QString, int> &starters() const { return m_starters; }
    int count(OperationOutcome outcome) const { return m_outcomes[int(outcome)]; }

signals:
    void countsChanged();

private:
    struct Counted
    {
        OperationCategories categories;
        OperationOutcome outcome = OperationOutcome::Pending;
        QString type;
        QString starter;
        friend bool operator==(const Counted &a, const Counted &b)
        {
            return a.categories == b.categories && a.outcome == b.outcome && a.type == b.type &&
                   a.starter == b.starter;
        }
    };
    static Counted countedOf(const WatchedOperation &operation);
    void apply(const Counted &counted, int sign);
    void recountAll();

    const OperationStore &m_store;
    QList<Counted> m_counted; // one per announced record, by store index
    QHash<int, int> m_categories;
    QHash<QString, int> m_types;
    QHash<QString, int> m_starters;
    int m_outcomes[3] = {0, 0, 0};
};
