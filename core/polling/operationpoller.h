#pragma once

#include "graph/graphclient.h"
#include "model/graphreply.h"
#include "model/operation.h"
#include "model/operationref.h"
#include "model/watchedoperation.h"
#include "polling/pollplanner.h"
#include "store/operationstore.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QSysInfo>
#include <QTimer>

#include <chrono>

class Clock;

// What one round of polls (one batch or request and its answers) found.
struct PollRound
{
    QDateTime finishedAt;
    int polled = 0;
    int changed = 0;
    int failed = 0;
    QString lastFailure; // describe() of the last failed answer in the round
    int unreachable = 0; // failures that never reached Graph: the network, a timeout
    // Every answer failed for want of reaching Graph.
    bool reachedNothing() const { return polled > 0 && unreachable == polled; }
};

// Polls watched operations: a timer, the PollPlanner (which decides what to send and when, see
// pollplanner.h for the rules), the GraphClient, and the OperationStore the answers go to.
// It reads the answers: 401 pauses everything until resume(), 403 and a lasting 404 stop one
// operation. Time comes from an injectable Clock, so tests move it by hand.
class OperationPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationPoller)
public:
    static constexpr auto kServiceFloor = PollPlanner::kServiceFloor;
    static constexpr auto kLoopbackFloor = PollPlanner::kLoopbackFloor;
    static constexpr auto kMaxBackoff = PollPlanner::kMaxBackoff;
    static constexpr int kDefaultTenantBudget = PollPlanner::kDefaultTenantBudget;
    static constexpr int kDefaultTeamBudget = PollPlanner::kDefaultTeamBudget;
    // A new operation may 404 for a while; this many 404s over at least this long mean "gone".
    static constexpr int kNotFoundLimit = 5;
    static constexpr std::chrono::minutes kNotFoundPatience{2};

    OperationPoller(GraphClient &client, Clock &clock, OperationStore &store,
                    QObject *parent = nullptr);

    OperationStore &store() const { return m_store; }
    const PollPlanner &planner() const { return m_planner; }
    // The pace to keep across a restart (PollPlanner::savedPace), and taking it back.
    QJsonObject savedPace() const { return m_planner.savedPace(); }
    void restorePace(const QJsonObject &saved);

    std::chrono::milliseconds minimumInterval() const;
    // Clamped to minimumInterval(); returns the interval in force.
    std::chrono::milliseconds setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_planner.interval(); }
    // The interval operations are actually polled at: longer than interval() when the rate in
    // force cannot poll every operation every interval.
    std::chrono::milliseconds effectiveInterval() const { return m_planner.effectiveInterval(); }

    void setBudget(int tenantPerSecond, int teamPerSecond);
    int tenantBudget() const { return m_planner.tenantBudget(); }
    int teamBudget() const { return m_planner.teamBudget(); }
    void setTeamListsEnabled(bool enabled) { m_planner.setTeamListsEnabled(enabled); }
    // The rate in force, below the budget after Graph asked to slow down.
    PollPlanner::Pace pace() const { return m_planner.pace(); }
    // Requests TeamsOps sends on a team besides polls (a bulk clone's POSTs on its source)
    // take their places in the same team budget (PollPlanner::reserveTeamRequest).
    QDateTime reserveTeamRequest(const QString &teamId)
    {
        return m_planner.reserveTeamRequest(teamId, m_clock.now());
    }
    void teamRequestThrottled(const QString &teamId, const QDateTime &sentAt)
    {
        m_planner.teamRequestThrottled(teamId, sentAt, m_clock.now());
    }
    // GETs that are not polls (GraphClient::getPaced, through the PacedRequests this poller
    // gives its client) take what polls leave free (PollPlanner::reserveBackgroundRequest).
    QDateTime reserveBackgroundRequest(const QString &teamKey)
    {
        return m_planner.reserveBackgroundRequest(teamKey, m_clock.now());
    }
    void tenantRequestThrottled(const QDateTime &sentAt);

    // Starts watching; the first poll is due at once. False when already watched. `startedBy`:
    // who started it (an account), else this process's starter (setStarter()).
    bool watch(const OperationRef &ref, const QString &locationText = QString(),
               const QString &startedBy = QString());
    // Who watches what is given here, for the operations it adds (WatchedOperation::startedBy):
    // WatchedOperation::kPasted in the dashboard, kCli in teamsops-cli.
    void setStarter(const QString &starter) { m_starter = starter; }
    // Polls again an operation that was stopped as access denied or not found.
    void retry(const OperationRef &ref);
    // Forgets an operation. False when it was not watched.
    bool unwatch(const OperationRef &ref);
    // Forgets many at once, in one pass over the store; returns how many were watched.
    qsizetype unwatch(const QList<OperationRef> &refs);
    // Stops or resumes polling one operation, keeping all that is known of it.
    void setWatching(const OperationRef &ref, bool watching);
    // Asks for a poll as soon as the interval floor and the budget allow; returns when that is
    // (invalid when the operation is not polled).
    QDateTime pollNow(const OperationRef &ref);
    const WatchedOperation *find(const OperationRef &ref) const { return m_store.find(ref.key()); }
    bool allTerminal() const;
    int inFlightRequests() const { return m_inFlightRequests; }

    bool isPausedForSignIn() const { return m_pausedForSignIn; }
    void resume(); // after a new token: poll again whatever is not finished
    // Signed out: nothing is sent until resume(), and no request goes out with no token.
    void pauseUntilSignedIn();
    bool isOnline() const { return m_online; }
    // The last round reached nothing: every answer failed on the network or timed out.
    bool isGraphUnreachable() const { return m_graphUnreachable; }
    QString lastFailure() const { return m_lastFailure; }
    void setOnline(bool online);
    // Another process polls for the store (PollerLease): nothing is sent from here meanwhile.
    void setFollowing(bool following);
    bool isFollowing() const { return m_following; }
    // Set while Graph throttles the whole tenant (a 429 on a batch itself); invalid otherwise.
    QDateTime tenantThrottledUntil() const;

    // When the next poll is due; invalid when nothing is left to poll or polling is paused.
    QDateTime nextPollAt() const;
    // When the poller plans next, on its clock (invalid: only when something changes).
    QDateTime wakeAt() const { return m_wakeAt; }

public slots:
    // Sends what is due now, then re-arms the timer. Called by the timer and whenever the clock
    // is moved by hand.
    void pollDue();

signals:
    // An answer about one operation arrived; changed when its status, attempts or error did
    // (its record in the store has been updated already).
    void operationObserved(const WatchedOperation &operation, bool changed);
    void pollFailed(const WatchedOperation &operation, const GraphReply &reply);
    void authenticationRequired(const QString &reason);
    void allOperationsTerminal();
    void scheduleChanged(const QDateTime &nextPollAt);
    void roundFinished(const PollRound &round);
    void onlineChanged(bool online);
    // Something about how polling goes that the admin should know once: the $batch endpoint
    // is refused, a team's list never ends...
    void notice(const QString &text);

private:
    using Work = PollPlanner::Work;

    void send(const PollPlanner::Request &request, const QDateTime &sentAt);
    static bool batchEndpointRefused(const GraphReply &envelope);
    void fallBackFromBatches(const PollPlanner::Request &request, const GraphReply &envelope);
    void handleAnswer(const Work &work, const QDateTime &sentAt, const GraphReply &reply,
                      PollRound &round);
    void handleListPage(const Work &work, const GraphReply &reply, PollRound &round);
    void finishRound(PollRound &round);
    bool recordSuccess(WatchedOperation &operation, const Operation &snapshot,
                       const QDateTime &sentAt);
    void recordFailure(WatchedOperation &operation, const GraphReply &reply);
    void pauseForSignIn(const GraphReply &reply);
    // An admin asked for a poll: as soon as `floor` after the last one allows, outside the slots.
    QDateTime requestPoll(WatchedOperation &op, std::chrono::milliseconds floor);
    // Plans from the event loop: many calls in one turn (watching thousands, stopping a
    // selection) cost one planning pass, not one each.
    void schedulePlanning();
    void rearm(const QDateTime &wakeAt);
    // The record to change (marked changed in the store), or nullptr.
    WatchedOperation *operation(const QString &key) { return m_store.edit(key); }

    GraphClient &m_client;
    Clock &m_clock;
    OperationStore &m_store;
    PollPlanner m_planner;
    QTimer m_timer;
    QDateTime m_wakeAt;
    int m_inFlightRequests = 0;
    bool m_pausedForSignIn = false;
    bool m_online = true;
    bool m_graphUnreachable = false;
    QString m_lastFailure;
    bool m_following = false;
    bool m_reportedAllTerminal = false;
    QString m_starter;
    // Read once: a name apiece would be one more string per watched operation.
    const QString m_hostName = QSysInfo::machineHostName();
    bool m_planningQueued = false;
};

Q_DECLARE_METATYPE(PollRound)
