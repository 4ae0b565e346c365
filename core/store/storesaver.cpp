#include "store/storesaver.h"

#include "model/clock.h"
#include "store/operationstore.h"

#include <algorithm>

StoreSaver::StoreSaver(OperationDatabase &database, OperationStore &store, Clock &clock,
                       QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_store(store)
    , m_clock(clock)
{
    connect(&m_store, &OperationStore::added, this, &StoreSaver::markDirty);
    connect(&m_store, &OperationStore::changed, this, &StoreSaver::markChanged);
    connect(&m_store, &OperationStore::aboutToBeRemoved, this, &StoreSaver::markRemoved);
    connect(&m_store, &OperationStore::wasReset, this, &StoreSaver::markRemovedByReset);
    m_retry.setInterval(kRetryEvery);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &StoreSaver::saveNow);
    connect(&m_follow, &QTimer::timeout, this, &StoreSaver::follow);
}

qsizetype StoreSaver::restore(const Filter &keep)
{
    // Read before the rows: whatever another process commits from here on is noticed later.
    m_dataVersion = m_database.dataVersion();
    std::optional<QList<OperationDatabase::Stored>> stored = m_database.loadAll();
    if (!stored)
        return -1;
    if (keep) {
        stored->removeIf(
            [&keep](const OperationDatabase::Stored &s) { return !keep(s.operation); });
    }
    return adopt(std::move(*stored));
}

qsizetype StoreSaver::restore(const QStringList &keys)
{
    m_dataVersion = m_database.dataVersion();
    QList<OperationDatabase::Stored> found;
    for (const QString &key : keys) {
        if (std::optional<OperationDatabase::Stored> one = m_database.load(key))
            found.append(std::move(*one));
    }
    return adopt(std::move(found));
}

qsizetype StoreSaver::adopt(QList<OperationDatabase::Stored> stored)
{
    qsizetype added = 0;
    m_store.reserve(m_store.size() + stored.size());
    m_saved.reserve(m_saved.size() + stored.size());
    for (OperationDatabase::Stored &s : stored) {
        WatchedOperation &op = s.operation;
        m_lastRowId = std::max(m_lastRowId, s.rowId);
        if (m_store.indexOf(op.key) >= 0) {
            mergeWatchedMeanwhile(s);
            continue;
        }
        // Nothing was in flight in this process; a poll asked for before a restart is moot.
        op.inFlight = false;
        op.pollRequested = false;
        op.missingFromList = false;
        m_saved.insert(op.key, {s.rowId, op.history.size()});
        if (m_store.add(std::move(op)))
            ++added;
    }
    // Announced now, so that an edit in this same turn is seen as an edit, not as part of the add.
    m_store.flush();
    return added;
}

void StoreSaver::mergeWatchedMeanwhile(const OperationDatabase::Stored &stored)
{
    // Watched here before the file could be opened (another program held it): the file's
    // history comes first, then what this process saw after it; the row is written again.
    const WatchedOperation &saved = stored.operation;
    WatchedOperation *mine = m_store.edit(saved.key);
    if (m_saved.contains(saved.key) || !mine)
        return; // already the file's: an ordinary restore of what this process wrote
    QList<StatusChange> merged = saved.history;
    const QDateTime lastSaved = merged.isEmpty() ? QDateTime() : merged.constLast().seenAt;
    for (const StatusChange &change : std::as_const(mine->history)) {
        if (!lastSaved.isValid() || change.seenAt > lastSaved)
            merged.append(change);
    }
    mine->history = std::move(merged);
    if (saved.addedAt.isValid() && (!mine->addedAt.isValid() || saved.addedAt < mine->addedAt))
        mine->addedAt = saved.addedAt;
    mine->polls += saved.polls;
    m_saved.insert(saved.key, {stored.rowId, saved.history.size()});
    m_dirty.insert(saved.key);
}

void StoreSaver::saveEverything()
{
    for (qsizetype i = 0; i < m_store.size(); ++i)
        m_dirty.insert(m_store.at(i).key);
    scheduleSave();
}

QJsonObject StoreSaver::savedPace()
{
    m_lastPace = m_database.pace().value_or(QJsonObject());
    return m_lastPace;
}

void StoreSaver::followOthers(std::chrono::milliseconds every)
{
    if (!m_dataVersion) // not restored: what the file holds now is the starting point
        m_dataVersion = m_database.dataVersion();
    m_follow.start(every);
}

void StoreSaver::markDirty(qsizetype first, qsizetype last)
{
    for (qsizetype i = first; i <= last; ++i) {
        const WatchedOperation &op = m_store.at(i);
        // Restored or picked up from the file: already there as it is.
        const auto saved = m_saved.constFind(op.key);
        if (saved != m_saved.cend() && saved->historyCount == op.history.size())
            continue;
        m_dirty.insert(op.key);
    }
    scheduleSave();
}

void StoreSaver::markChanged(const QList<qsizetype> &indexes)
{
    for (const qsizetype index : indexes)
        m_dirty.insert(m_store.at(index).key);
    scheduleSave();
}

void StoreSaver::markRemoved(qsizetype first, qsizetype last)
{
    for (qsizetype i = first; i <= last; ++i) {
        const QString &key = m_store.at(i).key;
        m_dirty.remove(key);
        if (m_saved.contains(key))
            m_deleted.insert(key);
    }
    scheduleSave();
}

void StoreSaver::markRemovedByReset()
{
    // Many scattered records went at once: whatever the file holds that the store lost.
    for (auto it = m_saved.cbegin(); it != m_saved.cend(); ++it) {
        if (m_store.indexOf(it.key()) < 0)
            m_deleted.insert(it.key());
    }
    m_dirty.removeIf([this](const QString &key) { return m_store.indexOf(key) < 0; });
    scheduleSave();
}

void StoreSaver::scheduleSave()
{
    if (m_saveQueued || m_retry.isActive())
        return;
    m_saveQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_saveQueued = false;
            saveNow();
        },
        Qt::QueuedConnection);
}

bool StoreSaver::saveNow()
{
    m_store.flush(); // what this turn changed, signalled now, so it goes in too
    // In the store's order, so that new rows are numbered (and restored) in the order added.
    QList<qsizetype> indexes;
    indexes.reserve(m_dirty.size());
    for (const QString &key : std::as_const(m_dirty)) {
        if (const qsizetype index = m_store.indexOf(key); index >= 0)
            indexes.append(index);
    }
    std::sort(indexes.begin(), indexes.end());
    OperationDatabase::Changes changes;
    for (const qsizetype index : std::as_const(indexes)) {
        const WatchedOperation &op = m_store.at(index);
        changes.upserts.append({&op, m_saved.value(op.key).historyCount});
    }
    changes.deletions = QStringList(m_deleted.cbegin(), m_deleted.cend());
    if (m_paceSource) {
        const QJsonObject pace = m_paceSource();
        if (pace != m_lastPace)
            changes.pace = pace;
    }
    if (changes.upserts.isEmpty() && changes.deletions.isEmpty() && !changes.pace)
        return true;

    const std::optional<QHash<QString, qint64>> rowIds = m_database.commit(changes);
    if (!rowIds) {
        if (!m_failing) {
            m_failing = true;
            emit savingFailed(m_database.lastError());
        }
        m_retry.start();
        return false;
    }
    QStringList keys;
    keys.reserve(changes.upserts.size());
    for (const OperationDatabase::Upsert &item : std::as_const(changes.upserts)) {
        const qint64 rowId = rowIds->value(item.operation->key);
        m_saved.insert(item.operation->key, {rowId, item.operation->history.size()});
        keys.append(item.operation->key);
    }
    for (const QString &key : std::as_const(changes.deletions))
        m_saved.remove(key);
    if (changes.pace)
        m_lastPace = *changes.pace;
    m_dirty.clear();
    m_deleted.clear();
    if (m_failing) {
        m_failing = false;
        emit savingResumed();
    }
    emit committed(keys);
    return true;
}

void StoreSaver::follow()
{
    const std::optional<qint64> version = m_database.dataVersion();
    if (!version || version == m_dataVersion)
        return;
    m_dataVersion = version;
    qsizetype added = 0;
    if (std::optional<QList<OperationDatabase::Stored>> fresh =
            m_database.loadAddedAfter(m_lastRowId)) {
        added = adopt(std::move(*fresh));
    }
    // Forgotten by the other process: the file holds fewer of ours than we think it does.
    qsizetype forgotten = 0;
    const std::optional<qsizetype> count = m_database.count();
    const std::optional<QStringList> keys =
        count && *count < m_saved.size() ? m_database.keys() : std::nullopt;
    if (keys) {
        const QSet<QString> present(keys->cbegin(), keys->cend());
        QStringList gone;
        for (auto it = m_saved.cbegin(); it != m_saved.cend(); ++it) {
            if (!present.contains(it.key()))
                gone.append(it.key());
        }
        for (const QString &key : std::as_const(gone))
            m_saved.remove(key); // nothing to delete on disk
        forgotten = m_store.remove(gone);
    }
    if (added > 0 || forgotten > 0)
        emit pickedUp(added, forgotten);
}

qsizetype StoreSaver::pruneFinishedOlderThan(std::chrono::hours age)
{
    const QDateTime before = m_clock.now().addSecs(-std::chrono::seconds(age).count());
    QStringList old;
    for (const WatchedOperation &op : m_store.records()) {
        const QDateTime last = op.lastChangedAt.isValid() ? op.lastChangedAt : op.lastPolledAt;
        if (op.isTerminal() && last.isValid() && last < before)
            old.append(op.key);
    }
    return m_store.remove(old);
}
