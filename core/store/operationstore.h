#pragma once

#include "model/watchedoperation.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>

#include <vector>

// The watched operations: the single source of truth. Records are kept in the order they were
// added and are addressed by OperationRef::key() or by index; they change only through edit(), so
// every change is seen. What happened during one turn of the event loop is signalled together:
// added() for the records appended since, then changed() for the indexes edited. Removal is
// signalled at once, in contiguous ranges (indexes after a removed range move down).
//
// A model mirrors the store row for row (libksysguard's Processes → ProcessDataModel); it reads
// records, it never keeps copies. Persistence plugs in on the same signals.
class OperationStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationStore)
public:
    // Beyond this many separate ranges a removal is one reset: every view and proxy pays a pass
    // over all its rows for each rowsRemoved, so thousands of scattered ranges would be quadratic.
    static constexpr int kMaxRemovalRanges = 32;

    explicit OperationStore(QObject *parent = nullptr);

    qsizetype size() const { return m_records.size(); }
    // Records [0, announcedCount()) have been signalled with added(); the rest will be.
    qsizetype announcedCount() const { return m_announced; }
    bool isEmpty() const { return m_records.isEmpty(); }
    const QList<WatchedOperation> &records() const { return m_records; }
    const WatchedOperation &at(qsizetype index) const { return m_records.at(index); }
    qsizetype indexOf(const QString &key) const { return m_indexByKey.value(key, -1); }
    const WatchedOperation *find(const QString &key) const;
    // The indexes of one team's records (team ids compared without regard to case).
    QList<qsizetype> indexesOfTeam(const QString &teamKey) const
    {
        return m_indexesByTeam.value(teamKey);
    }
    const QHash<QString, QList<qsizetype>> &teams() const { return m_indexesByTeam; }

    // Room for this many records in all (a restore of many at once).
    void reserve(qsizetype size);
    // Appends a record (its key is filled in); false when the key is stored already.
    bool add(WatchedOperation record);
    // The way to change a record: it is marked changed. nullptr when the key is not stored.
    WatchedOperation *edit(const QString &key);
    WatchedOperation &edit(qsizetype index);
    // Removes the records with these keys (unknown keys are ignored); returns how many went.
    // Linear in the store's size, whatever the number of keys.
    qsizetype remove(const QStringList &keys);

    // Signals what is pending now rather than at the end of this turn of the event loop.
    void flush();

    // For the poll planner, which keeps each team's agenda rather than reading every record at
    // every plan: the records edited since it last asked, each once (records added since are
    // not listed: size() tells). Asking empties the list; a const store may be asked.
    QList<qsizetype> takeEditedForPlanning() const;
    // How many removals there were: each moves indexes, so the planner starts over.
    quint64 removals() const { return m_removals; }

signals:
    // Records [first, last] were appended.
    void added(qsizetype first, qsizetype last);
    // These records (ascending indexes) changed since the last flush.
    void changed(const QList<qsizetype> &indexes);
    // Records [first, last] are about to go, and went. Indexes after them move down.
    void aboutToBeRemoved(qsizetype first, qsizetype last);
    void removed(qsizetype first, qsizetype last);
    // A removal of many scattered records: everything may have moved.
    void aboutToBeReset();
    void wasReset();

private:
    void scheduleFlush();
    void markChanged(qsizetype index);
    void rebuildIndexes();

    QList<WatchedOperation> m_records;
    QHash<QString, qsizetype> m_indexByKey;
    QHash<QString, QList<qsizetype>> m_indexesByTeam;
    qsizetype m_announced = 0; // records [0, m_announced) were signalled with added()
    std::vector<bool> m_isChanged;
    QList<qsizetype> m_changed;
    bool m_flushQueued = false;
    // Edited since the planner last asked (takeEditedForPlanning).
    mutable std::vector<bool> m_editedForPlanning;
    mutable QList<qsizetype> m_editedList;
    quint64 m_removals = 0;
};
