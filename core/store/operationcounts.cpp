#include "store/operationcounts.h"

#include "store/operationstore.h"

OperationCounts::OperationCounts(const OperationStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    // Records the store already holds (restored from disk before the window was built).
    for (qsizetype i = 0; i < store.announcedCount(); ++i) {
        m_counted.append(countedOf(store.at(i)));
        apply(m_counted.constLast(), +1);
    }
    connect(&store, &OperationStore::added, this, [this](qsizetype first, qsizetype last) {
        for (qsizetype i = first; i <= last; ++i) {
            m_counted.append(countedOf(m_store.at(i)));
            apply(m_counted.constLast(), +1);
        }
        emit countsChanged();
    });
    connect(&store, &OperationStore::changed, this, [this](const QList<qsizetype> &indexes) {
        for (const qsizetype i : indexes) {
            Counted now = countedOf(m_store.at(i));
            Counted &was = m_counted[i];
            if (now == was)
                continue;
            apply(was, -1);
            apply(now, +1);
            was = std::move(now);
        }
        emit countsChanged();
    });
    connect(&store, &OperationStore::aboutToBeRemoved, this,
            [this](qsizetype first, qsizetype last) {
                for (qsizetype i = first; i <= last; ++i)
                    apply(m_counted.at(i), -1);
                m_counted.remove(first, last - first + 1);
                emit countsChanged();
            });
    connect(&store, &OperationStore::wasReset, this, [this] {
        recountAll();
        emit countsChanged();
    });
    recountAll();
}

int OperationCounts::count(OperationCategory category) const
{
    return category == OperationCategory::All ? total() : m_categories.value(int(category));
}

OperationCounts::Counted OperationCounts::countedOf(const WatchedOperation &operation)
{
    return Counted{categoriesOf(operation), outcomeOf(operation),
                   operation.latest ? operation.latest->operationTypeRaw : QString(),
                   operation.startedBy};
}

void OperationCounts::apply(const Counted &counted, int sign)
{
    for (const OperationCategory category : kStatusCategories) {
        if (counted.categories.testFlag(category))
            m_categories[int(category)] += sign;
    }
    m_outcomes[int(counted.outcome)] += sign;
    const auto tally = [sign](QHash<QString, int> &counts, const QString &name) {
        if (name.isEmpty())
            return;
        const auto it = counts.find(name);
        if (it == counts.end())
            counts.insert(name, sign);
        else if ((*it += sign) == 0)
            counts.erase(it);
    };
    tally(m_types, counted.type);
    tally(m_starters, counted.starter);
}

void OperationCounts::recountAll()
{
    m_counted.clear();
    m_categories.clear();
    m_types.clear();
    m_starters.clear();
    std::fill(std::begin(m_outcomes), std::end(m_outcomes), 0);
    // Only what the store has announced: the rest arrives with added().
    const qsizetype announced = m_store.announcedCount();
    for (qsizetype i = 0; i < announced; ++i) {
        m_counted.append(countedOf(m_store.at(i)));
        apply(m_counted.constLast(), +1);
    }
}
