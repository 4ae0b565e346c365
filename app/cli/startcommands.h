#pragma once

#include "cli/watchsession.h"
#include "start/bulkclone.h"
#include "start/operationstarter.h"
#include "start/startresolver.h"
#include "start/teamrequests.h"

#include <chrono>
#include <memory>

#include <QObject>
#include <QStringList>

class Clock;
class CloneReadinessTracker;
class GraphClient;
class OperationDatabase;
class StartJournal;
class QCommandLineParser;
class QTextStream;

// teamsops-cli clone, archive, unarchive, create and operations create: the options they take,
// the request they make (checked before anything is sent), and sending it — once, or again after
// a throttled answer's Retry-After — then printing the Location (or, with --json, one object).
// With --watch it goes on to watch the operation as `watch` does; a clone with --wait-ready then
// waits until its team is complete.
// What a start command asks for: one request, or a bulk clone (one request for each name).
struct StartPlan
{
    TeamRequest request;
    CloneOptions bulkCommon;
    QList<BulkCloneName> bulkNames;
    // How long a start whose answer was lost is looked for at Graph before the command gives up
    // saying its outcome is unknown (--look-for).
    std::chrono::seconds lookFor{60};
    // `resume [PLAN]`: the saved plans to finish (all unfinished ones when `resumePlan` is empty).
    bool resume = false;
    QString resumePlan;
    bool isBulk() const { return !bulkNames.isEmpty(); }
    bool isEmpty() const { return request.path.isEmpty() && bulkNames.isEmpty() && !resume; }
};

class StartCommands final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartCommands)
public:
    static bool isStartCommand(const QString &command);
    static void addOptions(QCommandLineParser &parser);
    // The request for `command` and its positional arguments; empty path and `problem` set when
    // the command line cannot make one. `--body -` reads stdin.
    static StartPlan build(const QString &command, const QStringList &positional,
                           const QCommandLineParser &parser, QString &problem);

    // What to do once the request is accepted: nothing more, watch it (as `watch` does), or
    // for a clone also wait until its team is complete.
    enum class Then
    {
        Exit,
        Watch,
        WaitReady
    };

    // `watch` holds what every command that talks to Graph shares: Graph URL, token or sign-in,
    // interval, budgets, store, --json.
    StartCommands(WatchSession::Options watch, Clock &clock, QTextStream &out, QTextStream &err,
                  QObject *parent = nullptr);
    ~StartCommands() override;

    // Sends the request, then does `then`; finished() once with the exit code (as for watch).
    void run(const TeamRequest &request, Then then);
    // A bulk clone: paced, one line (or JSON object) per request; with Watch, every accepted
    // one is watched. Exits 1 if any was refused.
    void runBulk(const StartPlan &plan, Then then);
    void run(const StartPlan &plan, Then then);

signals:
    void finished(int exitCode);

private:
    static TeamRequest buildOne(const QString &command, const QStringList &positional,
                                const QCommandLineParser &parser, QString &problem);
    void report(const TeamRequest &request, const OperationStarter::Result &result);
    void watch(const QStringList &locations, bool waitReady);
    void waitUntilReady(const QString &location);
    // The store's journal of starts, where each request is saved before it is sent; false (and
    // said on stderr) when the store cannot be opened: then nothing is sent.
    bool openJournal();
    // A single start with no answer: looked for at Graph for up to m_lookFor; found, it goes on
    // as accepted; else it is reported with its outcome unknown.
    void lookForLostStart(OperationStarter::Result result, Then then);
    void goOn(const OperationStarter::Result &result, Then then);
    // The first line of a bulk: its plan, to resume it by.
    void announcePlan(const QString &planId, qsizetype clones);
    // resume: single starts first (looked for; sent again under their own client-request-id
    // when not started), then every plan left unfinished — or only the plan named.
    void runResume(const QString &onlyPlan);
    void finishNextSingle();
    // What became of a start with no answer, through its grace period; said on stderr.
    void lookAtGraph(const StartRecord &start, const StartResolver::Handler &then);
    void sendSingleAgain(const StartRecord &start, const TeamRequest &request);
    void resumeNextPlan();
    // A bulk on the journal, paced, one line (or object) per request as it is answered.
    void makeBulk();

    WatchSession::Options m_watch;
    Clock &m_clock;
    QTextStream &m_out;
    QTextStream &m_err;
    TeamRequest m_request;
    std::unique_ptr<GraphClient> m_client;
    std::unique_ptr<OperationStarter> m_starter;
    std::unique_ptr<WatchSession> m_session;
    std::unique_ptr<CloneReadinessTracker> m_readiness;
    std::unique_ptr<BulkCloner> m_bulk;
    std::unique_ptr<OperationDatabase> m_database;
    std::unique_ptr<StartJournal> m_journal;
    std::unique_ptr<StartResolver> m_resolver;
    std::chrono::seconds m_lookFor{60};
    QList<StartRecord> m_singlesToFinish;
    QStringList m_plansToResume;
    bool m_resumeLeftSomething = false;
    int m_refusedInBulk = 0;
};
