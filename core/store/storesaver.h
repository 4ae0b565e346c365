#pragma once

#include "store/operationdatabase.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <functional>

class Clock;
class OperationStore;

// Keeps an OperationStore and its OperationDatabase in step. It restores the stored operations at
// start, then writes what the store signals: whatever changed during one turn of the event loop
// goes in one transaction at the next turn, never a row at a time. When writing fails (disk full,
// read-only file, a lock held too long) everything stays in memory and is written again later;
// savingFailed() and savingResumed() say so once each.
//
// With followOthers(), it also reads what another process sharing the file (the GUI beside a
// `teamsops-cli watch`) added or forgot, from a cheap check of the file's data_version.
class StoreSaver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreSaver)
public:
    static constexpr std::chrono::seconds kRetryEvery{5};
    static constexpr std::chrono::seconds kFollowEvery{5};

    StoreSaver(OperationDatabase &database, OperationStore &store, Clock &clock,
               QObject *parent = nullptr);

    // Adds every stored operation that `keep` accepts (all when empty) to the store, and returns
    // how many; -1 on failure, with lastError(). Runs before anything else is added.
    using Filter = std::function<bool(const WatchedOperation &)>;
    qsizetype restore(const Filter &keep = {});
    // Restores the stored operations with these keys (those not stored are skipped).
    qsizetype restore(const QStringList &keys);
    // The poll pace saved last time (empty when none), and where to read it now.
    QJsonObject savedPace();
    void setPaceSource(std::function<QJsonObject()> source) { m_paceSource = std::move(source); }

    void followOthers(std::chrono::milliseconds every = kFollowEvery);
    // Another process polls (PollerLease): what it sees is taken from the file, not written back.
    void setMirroring(bool mirroring) { m_mirroring = mirroring; }
    bool isMirroring() const { return m_mirroring; }
    void setRetryInterval(std::chrono::milliseconds every) { m_retry.setInterval(every); }

    // Writes what is pending now (at exit, before printing a last line).
    bool saveNow();
    // Writes every operation of the store: those watched before the file could be opened.
    void saveEverything();
    bool isFailing() const { return m_failing; }
    QString lastError() const { return m_database.lastError(); }
    // Forgets finished operations whose last change is older than `age`; returns how many.
    qsizetype pruneFinishedOlderThan(std::chrono::hours age);

signals:
    // These operations' changes are on disk.
    void committed(const QStringList &keys);
    void savingFailed(const QString &why);
    void savingResumed();
    // Another process added or forgot operations, now in the store too.
    void pickedUp(qsizetype added, qsizetype forgotten);
    // Following: what others write cannot be read (a team's server unreachable), so what this
    // process shows of them may be stale; said once, and once when it can be read again.
    void followingFailed(const QString &why);
    void followingResumed();
    // Mirroring: what the polling process saw of these operations is in the store now.
    void mirrored(const QStringList &keys);

private:
    struct Saved
    {
        qint64 rowId = 0;
        qsizetype historyCount = 0; // history entries already on disk
        WatchedOperation::Watch watch = WatchedOperation::Watch::Active; // as the file has it
    };

    qsizetype adopt(QList<OperationDatabase::Stored> stored);
    void mergeWatchedMeanwhile(const OperationDatabase::Stored &stored);
    void markDirty(qsizetype first, qsizetype last);
    void markChanged(const QList<qsizetype> &indexes);
    void markRemoved(qsizetype first, qsizetype last);
    void markRemovedByReset();
    void scheduleSave();
    void follow();
    // Forgotten by another process: gone from the store too (what was never written here stays:
    // it was added here, explicitly, after).
    void dropForgottenElsewhere(const QStringList &keys);
    // Takes the polling process's view of these rows (mirroring).
    void mirror(const QStringList &keys);

    OperationDatabase &m_database;
    OperationStore &m_store;
    Clock &m_clock;
    QHash<QString, Saved> m_saved; // what the file holds, as far as this process knows
    QSet<QString> m_dirty;
    QSet<QString> m_deleted;
    // The store's version (OperationDatabase::version) up to which other processes' changes
    // have been read.
    qint64 m_seenVersion = 0;
    bool m_mirroring = false;
    bool m_listening = false; // to a server's announcements of commits
    bool m_followFailing = false;
    bool m_applying = false; // edits made from the file: not written back
    bool m_saveQueued = false;
    bool m_failing = false;
    QTimer m_retry;
    QTimer m_follow;
    std::optional<qint64> m_dataVersion;
    std::function<QJsonObject()> m_paceSource;
    QJsonObject m_lastPace;
};
