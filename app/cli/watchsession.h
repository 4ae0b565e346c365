#pragma once

#include "graph/graphclient.h"
#include "polling/operationpoller.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

class QTextStream;
class Clock;
class SignInSession;
class StoreSession;

// The logic of `teamsops-cli watch`: resolve the Locations, poll until every operation is terminal
// (or the timeout passes, or sign-in fails), and print one line per observed change — after it is
// saved, when there is a store.
class WatchSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchSession)
public:
    enum ExitCode
    {
        AllSucceeded = 0,
        UsageError = 1,
        SomeFailed = 2,
        TimedOut = 3
    };

    struct Options
    {
        QUrl graphUrl = GraphClient::defaultBaseUrl();
        std::chrono::milliseconds interval{std::chrono::seconds(30)};
        std::optional<std::chrono::milliseconds> timeout;
        bool json = false;
        int tenantBudget = OperationPoller::kDefaultTenantBudget;
        int teamBudget = OperationPoller::kDefaultTeamBudget;
        QStringList locations;
        QStringList teams; // watch every operation of these teams too (ids, /teams('id') or URLs)
        QString token;     // a fixed access token, or:
        SignInSession *signIn = nullptr; // a sign-in that renews its token (not owned)
        // Where watched operations are kept (empty: nowhere). With a store and no LOCATION or
        // --team, every watched, unfinished operation of the store is resumed.
        QString storePath;
    };

    WatchSession(Options options, Clock &clock, QTextStream &out, QTextStream &err,
                 QObject *parent = nullptr);
    ~WatchSession() override;

    // Starts polling. Returns false (after printing why on err) when the options cannot work;
    // finished() is then not emitted and the caller exits with UsageError.
    bool start();

signals:
    void finished(int exitCode);

private:
    bool openStore(const QList<OperationRef> &refs);
    // The store is open (at once, or after another program let go of it).
    void useSaver();
    void connectSaver();
    void printPending();
    void report(const WatchedOperation &operation, bool changed);
    void warn(const WatchedOperation &operation, const GraphReply &reply);
    void finish(int exitCode);
    void finishWithOutcome(); // every operation is over: 0 if all succeeded, else 2
    // The operations this run is about: those named (a shared store holds others too), or all.
    QList<const WatchedOperation *> watched() const;
    bool allWatchedTerminal() const;
    // One poller per store (SharedPolling): this run polls, or follows the process that does.
    void shareThePolling();

    Options m_options;
    Clock &m_clock;
    QTextStream &m_out;
    QTextStream &m_err;
    GraphClient *m_client = nullptr;
    OperationStore m_store;
    StoreSession *m_storeSession = nullptr;
    QSet<QString> m_named;          // keys named on the command line; empty: all of the store
    bool m_following = false;       // another process polls for the store
    StoreSaver *m_saver = nullptr;  // the session's, once the store is open
    bool m_waitingForStore = false; // another program holds it: watching in memory meanwhile
    bool m_givenUpOnStore = false;
    std::optional<int> m_finishAfterStore; // the exit code, once the store could save
    QList<QByteArray> m_pending;           // lines waiting for their change to be saved
    OperationPoller *m_poller = nullptr;
    QTimer m_timeout;
    QHash<QString, QString> m_lastWarning;
    std::chrono::milliseconds m_announcedInterval{0};
    QDateTime m_announcedSlowdown; // the last slowdown told on stderr
    void notePace();
    int m_teamsToList = 0; // team listings still under way: no verdict before they are in
    bool m_finished = false;
};

// One observation as a JSON line (keys: location, id, operationType, status, attemptsCount, error,
// targetResourceLocation, observedAt) and as a line for people.
QByteArray observationJsonLine(const WatchedOperation &operation, const QDateTime &observedAt);
QString observationTextLine(const WatchedOperation &operation, const QDateTime &observedAt);
