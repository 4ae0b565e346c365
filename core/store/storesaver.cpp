#include "store/storesaver.h"

#include "model/clock.h"
#include "store/finishedrule.h"
#include "store/operationstore.h"

#include <QSqlDriver>

#include <algorithm>
#include <utility>

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
    m_seenVersion = m_database.version().value_or(0);
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
    m_seenVersion = m_database.version().value_or(0);
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
        if (m_store.indexOf(op.key) >= 0) {
            mergeWatchedMeanwhile(s);
            continue;
        }
        // Nothing was in flight in this process; a poll asked for before a restart is moot.
        op.inFlight = false;
        op.pollRequested = false;
        op.missingFromList = false;
        m_saved.insert(op.key, {s.rowId, op.history.size(), op.watch});
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
    // Already the file's (read twice, or written by this process): nothing to merge. Checked
    // before edit(), which would have it written again.
    if (m_saved.contains(saved.key))
        return;
    WatchedOperation *mine = m_store.edit(saved.key);
    if (!mine)
        return;
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
    m_saved.insert(saved.key, {stored.rowId, saved.history.size(), saved.watch});
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
    if (!m_dataVersion) { // not restored: what the file holds now is the starting point
        m_dataVersion = m_database.dataVersion();
        m_seenVersion = m_database.version().value_or(0);
    }
    m_follow.start(every);
    // A server announces every commit: another admin's change is read as soon as it is made,
    // the timer above only in case an announcement was lost with the connection.
    if (QSqlDriver *announcements = m_database.changeAnnouncements();
        announcements && !m_listening) {
        m_listening = true;
        connect(announcements, &QSqlDriver::notification, this,
                [this](const QString &, QSqlDriver::NotificationSource source) {
                    if (source == QSqlDriver::OtherSource)
                        follow();
                });
    }
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
    if (m_applying)
        return;
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
        const auto saved = m_saved.constFind(op.key);
        const bool first = saved == m_saved.cend();
        // Only a person pauses or resumes: a change of "paused" since the file last agreed
        // was decided here, and is written; any other write leaves the file's decision alone.
        const bool paused = op.watch == WatchedOperation::Watch::Paused;
        const bool decidesPause =
            first ? paused : (saved->watch == WatchedOperation::Watch::Paused) != paused;
        changes.upserts.append({&op, first ? 0 : saved->historyCount, first, decidesPause});
    }
    changes.deletions = QStringList(m_deleted.cbegin(), m_deleted.cend());
    if (m_paceSource) {
        const QJsonObject pace = m_paceSource();
        if (pace != m_lastPace)
            changes.pace = pace;
    }
    if (changes.upserts.isEmpty() && changes.deletions.isEmpty() && !changes.pace)
        return true;

    const std::optional<OperationDatabase::Committed> committed = m_database.commit(changes);
    if (!committed) {
        if (!m_failing) {
            m_failing = true;
            emit savingFailed(m_database.lastError());
        }
        m_retry.start();
        return false;
    }
    QStringList keys;
    keys.reserve(changes.upserts.size());
    QList<std::pair<QString, WatchedOperation::Watch>> decidedElsewhere;
    for (const OperationDatabase::Upsert &item : std::as_const(changes.upserts)) {
        const QString &key = item.operation->key;
        const auto rowId = committed->rowIds.constFind(key);
        if (rowId == committed->rowIds.cend())
            continue; // refused: forgotten by another process
        const WatchedOperation::Watch stored = committed->watch.value(key);
        m_saved.insert(key, {*rowId, item.operation->history.size(), stored});
        if ((stored == WatchedOperation::Watch::Paused) !=
            (item.operation->watch == WatchedOperation::Watch::Paused))
            decidedElsewhere.append({key, stored});
        keys.append(key);
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
    emit this->committed(keys);
    // What the file holds now and this process did not decide: another process forgot these,
    // or paused (resumed) them.
    for (const auto &[key, watch] : std::as_const(decidedElsewhere)) {
        if (WatchedOperation *op = m_store.edit(key))
            op->watch = watch;
    }
    dropForgottenElsewhere(committed->refused);
    return true;
}

void StoreSaver::mirror(const QStringList &keys)
{
    const std::optional<QList<OperationDatabase::Stored>> rows = m_database.loadKeys(keys);
    if (!rows || rows->isEmpty())
        return;
    QStringList shown;
    m_store.flush(); // this process's own edits are written as usual
    m_applying = true;
    for (const OperationDatabase::Stored &row : *rows) {
        if (m_dirty.contains(row.operation.key))
            continue; // changed here meanwhile (paused, resumed): that is written first
        WatchedOperation *op = m_store.edit(row.operation.key);
        if (!op)
            continue;
        const WatchedOperation &theirs = row.operation;
        // Told only when what Graph said changed, not at each of its polls.
        const bool news = theirs.history.size() != op->history.size() ||
                          theirs.latest.has_value() != op->latest.has_value() ||
                          theirs.watch != op->watch;
        op->latest = theirs.latest;
        op->history = theirs.history;
        op->watch = theirs.watch;
        op->lastReply = theirs.lastReply;
        op->nextPollAt = theirs.nextPollAt;
        op->lastSentAt = theirs.lastSentAt;
        op->lastPolledAt = theirs.lastPolledAt;
        op->lastChangedAt = theirs.lastChangedAt;
        op->polls = theirs.polls;
        op->consecutiveFailures = theirs.consecutiveFailures;
        op->consecutiveNotFound = theirs.consecutiveNotFound;
        op->firstNotFoundAt = theirs.firstNotFoundAt;
        op->lastFailure = theirs.lastFailure;
        op->lastFailureMessage = theirs.lastFailureMessage;
        m_saved.insert(theirs.key, {row.rowId, theirs.history.size(), theirs.watch});
        if (news)
            shown.append(theirs.key);
    }
    m_store.flush(); // signalled now, while it is known to come from the file
    m_applying = false;
    if (!shown.isEmpty())
        emit mirrored(shown);
}

void StoreSaver::dropForgottenElsewhere(const QStringList &keys)
{
    QStringList known;
    for (const QString &key : keys) {
        // Watched here and never written yet: added here, explicitly; it stays.
        if (m_saved.remove(key) > 0 && m_store.indexOf(key) >= 0)
            known.append(key);
    }
    const qsizetype forgotten = m_store.remove(known);
    if (forgotten > 0)
        emit pickedUp(0, forgotten);
}

void StoreSaver::follow()
{
    const std::optional<qint64> dataVersion = m_database.dataVersion();
    if (!dataVersion) {
        if (!std::exchange(m_followFailing, true))
            emit followingFailed(m_database.lastError());
        return;
    }
    if (std::exchange(m_followFailing, false))
        emit followingResumed();
    if (dataVersion == m_dataVersion)
        return;
    m_dataVersion = dataVersion;
    // Rows committed while this runs are read again next time: reading twice does no harm.
    const std::optional<qint64> now = m_database.version();
    const std::optional<QList<OperationDatabase::ChangedRow>> changed =
        m_database.changedSince(m_seenVersion);
    const std::optional<QStringList> forgotten = m_database.forgottenSince(m_seenVersion);
    if (!now || !changed || !forgotten)
        return;
    m_seenVersion = *now;
    QStringList unknown;
    QStringList toMirror;
    for (const OperationDatabase::ChangedRow &row : *changed) {
        const auto saved = m_saved.find(row.key);
        const WatchedOperation *op = saved == m_saved.end() ? nullptr : m_store.find(row.key);
        if (!op) {
            if (m_store.indexOf(row.key) < 0)
                unknown.append(row.key);
            continue;
        }
        if (m_mirroring) {
            toMirror.append(row.key);
            continue;
        }
        // Paused or resumed by a person in another process.
        const bool paused = row.watch == WatchedOperation::Watch::Paused;
        if ((saved->watch == WatchedOperation::Watch::Paused) != paused) {
            saved->watch = row.watch;
            if ((op->watch == WatchedOperation::Watch::Paused) != paused) {
                m_store.flush(); // this process's own edits are written as usual
                m_applying = true;
                m_store.edit(row.key)->watch = row.watch;
                m_store.flush(); // signalled now, while it is known to come from the file
                m_applying = false;
            }
        }
    }
    mirror(toMirror);
    qsizetype added = 0;
    if (std::optional<QList<OperationDatabase::Stored>> fresh = m_database.loadKeys(unknown))
        added = adopt(std::move(*fresh));
    if (added > 0)
        emit pickedUp(added, 0);
    dropForgottenElsewhere(*forgotten);
}

qsizetype StoreSaver::pruneFinishedOlderThan(std::chrono::hours age)
{
    const QDateTime before = m_clock.now().addSecs(-std::chrono::seconds(age).count());
    QStringList old;
    for (const WatchedOperation &op : m_store.records()) {
        if (FinishedRule::isFinishedBefore(op, before))
            old.append(op.key);
    }
    return m_store.remove(old);
}
