#pragma once

#include "store/operationdatabase.h"
#include "store/pollerlease.h"
#include "store/startjournal.h"
#include "store/storeopener.h"
#include "store/storesaver.h"

#include <QObject>

#include <functional>
#include <memory>

class Clock;
class OperationStore;

// The store of a long-running process (the dashboard, `teamsops-cli watch`): the file, the
// saver that keeps it in step with the OperationStore, and the journal of starts. When another
// program holds the file, the process works in memory and the session waits for it: ready()
// says when it is open, with what was watched meanwhile merged in and being saved.
//
// A team's server that cannot be reached is waited for the same way, but what is watched
// meanwhile is not only in memory: it is kept in a local copy (StoreLocation::standInPath), so
// that a crash or a restart during the outage loses nothing. Once the server is there, the copy
// is handed over (merged into the team's store like anything watched meanwhile) and removed; a
// copy left by a process that ended before is handed over by the next one that reaches the
// server.
class StoreSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreSession)
public:
    // Restores what the process wants of the file into the store; returns how many (-1 on
    // failure, with the saver's lastError()).
    using Restore = std::function<qsizetype(StoreSaver &)>;

    // `program` names this process to the others ("teamsops", "teamsops-cli").
    StoreSession(OperationStore &store, Clock &clock, const QString &program,
                 QObject *parent = nullptr);
    ~StoreSession() override;

    // Opens the file and restores from it. Not ok: problem Busy means waiting (ready() follows);
    // any other means not saving this run. movedTo and error say when a damaged file was
    // moved aside.
    OperationDatabase::OpenResult open(const QString &path, Restore restore = {});
    // The Graph this process talks to: the only one whose operations it reads from the file.
    void setGraph(const QUrl &graphBase)
    {
        m_graph = graphBase;
        m_database->setGraph(graphBase);
    }
    bool isWaiting() const { return m_opener && m_opener->isWaiting(); }
    QString path() const { return m_path; }
    // The local copy kept while the team's server is away; empty when none is in use.
    QString standInPath() const { return m_standInSaver ? m_standInPath : QString(); }
    // How many operations a copy left from before brought to the team's store at open().
    qsizetype handedOver() const { return m_handedOver; }
    void setRetryInterval(std::chrono::milliseconds every);

    // Once open; null before (and when not saving).
    StoreSaver *saver() const { return m_saver.get(); }
    // Why restoring failed (some saved operations could not be read), or empty.
    QString restoreError() const { return m_restoreError; }
    StartJournal *journal() const { return m_journal.get(); }
    // Who polls for this store (one process at a time); not started until the caller does.
    PollerLease *lease() const { return m_lease.get(); }
    // Who decides here (stops, resumes, forgets): a signed-in account, or empty for the program.
    void setActor(const QString &account)
    {
        m_database->setActor(account.isEmpty() ? m_program : account);
    }
    OperationDatabase *database() const { return m_saver ? m_database.get() : nullptr; }
    // Writes what is pending now, to the store or to the local copy (at exit).
    void saveNow();

signals:
    // Open after waiting: saver() and journal() exist now.
    void ready();
    // Waiting ended in another failure: nothing is saved this run.
    void failed(const QString &why);

private:
    void attach();
    // Opens the local copy and takes what it holds into memory (left by an earlier process's
    // outage); while it is open, what is watched is saved there too. Returns how many it held,
    // -1 when it cannot be opened (then in memory only).
    qsizetype openStandIn();
    // Writes what is pending to the copy, and closes it.
    void closeStandIn();
    // The team's store has everything the copy held: the copy goes.
    void handOver();

    OperationStore &m_store;
    Clock &m_clock;
    QString m_path;
    Restore m_restore;
    QString m_restoreError;
    std::unique_ptr<OperationDatabase> m_database;
    std::unique_ptr<StoreOpener> m_opener;
    std::unique_ptr<StoreSaver> m_saver;
    std::unique_ptr<StartJournal> m_journal;
    std::unique_ptr<PollerLease> m_lease;
    QString m_program;
    QUrl m_graph;
    QString m_standInPath;
    std::unique_ptr<OperationDatabase> m_standInDatabase;
    std::unique_ptr<StoreSaver> m_standInSaver;
    qsizetype m_handedOver = 0;
};
