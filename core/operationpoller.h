#pragma once

#include "graphclient.h"
#include "graphreply.h"
#include "operation.h"
#include "operationref.h"
#include "operationstore.h"
#include "ratewindow.h"
#include "watchedoperation.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <optional>

class Clock;

// What one round of polls (one batch or request and its answers) found.
struct PollRound
{
    QDateTime finishedAt;
    int polled = 0;
    int changed = 0;
    int failed = 0;
    QString lastFailure; // describe() of the last failed answer in the round
};

// Polls watched operations for hundreds or thousands of them at once, within Graph's limits:
// - each operation no more often than the interval (30 s floor against the real service);
// - at most tenantBudget requests per second overall and teamBudget per team, counted per
//   sub-request, in a sliding one-second window;
// - due polls go out as POST /$batch of up to 20, one batch per slot, with slots spread evenly
//   over the effective interval (which stretches when the budget cannot cover everything);
// - two or more watched operations of one team are read with one paged GET of the team's
//   operations, falling back to single GETs for a team whose list call fails;
// - Retry-After is honoured for its scope (operation, team, or whole tenant), failures back off
//   exponentially, 401 pauses everything until resume(), 403 and lasting 404 stop one operation.
// Time comes from an injectable Clock, so tests move it by hand. The records live in an
// OperationStore; the poller changes them only through it.
class OperationPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationPoller)
public:
    static constexpr std::chrono::milliseconds kServiceFloor{std::chrono::seconds(30)};
    static constexpr std::chrono::milliseconds kLoopbackFloor{100};
    static constexpr std::chrono::milliseconds kMaxBackoff{std::chrono::seconds(180)};
    static constexpr int kDefaultTenantBudget = 25; // Graph allows 30 Teams GETs/s per app
    static constexpr int kDefaultTeamBudget = 3;    // Graph allows 4/s on any one team
    static constexpr int kListPageSize = 100;
    // A new operation may 404 for a while; this many 404s over at least this long mean "gone".
    static constexpr int kNotFoundLimit = 5;
    static constexpr std::chrono::minutes kNotFoundPatience{2};

    OperationPoller(GraphClient &client, Clock &clock, OperationStore &store,
                    QObject *parent = nullptr);

    OperationStore &store() const { return m_store; }

    std::chrono::milliseconds minimumInterval() const;
    // Clamped to minimumInterval(); returns the interval in force.
    std::chrono::milliseconds setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    // The interval operations are actually polled at: longer than interval() when the budget
    // cannot poll every operation every interval.
    std::chrono::milliseconds effectiveInterval() const { return m_effectiveInterval; }

    void setBudget(int tenantPerSecond, int teamPerSecond);
    int tenantBudget() const { return m_tenantWindow.limit(); }
    int teamBudget() const { return m_teamBudget; }
    void setTeamListsEnabled(bool enabled) { m_teamListsEnabled = enabled; }

    // Starts watching; the first poll is due at once. False when already watched.
    bool watch(const OperationRef &ref, const QString &locationText = QString());
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
    bool isOnline() const { return m_online; }
    void setOnline(bool online);
    // Set while Graph throttles the whole tenant (a 429 on a batch itself); invalid otherwise.
    QDateTime tenantThrottledUntil() const;

    // When the next poll is due; invalid when nothing is left to poll or polling is paused.
    QDateTime nextPollAt() const;

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

private:
    struct TeamState
    {
        RateWindow window;
        QDateTime retryAt;    // team-scoped Retry-After
        QDateTime nextListAt; // interval after the last listing started
        bool listUnsupported = false;
        bool listInFlight = false;
        int consecutiveFailures = 0;
        int pagesLastTime = 1;
        QUrl pendingPage; // the next page of a listing in progress
        QDateTime listStartedAt;
        QSet<QString> seenInListing;
        int pagesInListing = 0;
        int listingsCompleted = 0;
    };
    // One sub-request to send: an operation's GET or a page of a team's operations.
    struct Work
    {
        enum class Kind
        {
            Operation,
            TeamList
        } kind = Kind::Operation;
        QString key; // operation key, or team key for lists
        QUrl url;
        bool urgent = false; // first sightings, retries, next pages: not bound to slots
        QDateTime rank;      // smaller goes first
    };

    // Planning (pollplanning.cpp)
    void updateCycle(const QDateTime &now);
    bool usesTeamList(const QString &teamKey) const;
    bool teamNeverListed(const QString &teamKey) const;
    static bool isUrgent(const WatchedOperation &op, bool listed, bool neverListed);
    QList<Work> dueWork(const QDateTime &now) const;
    QList<Work> takeWithinBudget(QList<Work> &candidates, int max, const QDateTime &now);
    QDateTime budgetFreeAt(const QList<Work> &waiting, const QDateTime &now);
    void dispatch(const QList<Work> &batch, const QDateTime &now);
    void rearm(const QDateTime &wakeAt, const QDateTime &nextDue);
    // Plans from the event loop: many calls in one turn (watching thousands, stopping a
    // selection) cost one planning pass, not one each.
    void schedulePlanning();

    // Answers (operationpoller.cpp)
    void handleAnswer(const Work &work, const QDateTime &sentAt, const GraphReply &reply,
                      PollRound &round);
    void handleListPage(const Work &work, const QDateTime &sentAt, const GraphReply &reply,
                        PollRound &round);
    void finishRound(PollRound &round);
    bool recordSuccess(WatchedOperation &operation, const Operation &snapshot,
                       const QDateTime &sentAt);
    void recordFailure(WatchedOperation &operation, const GraphReply &reply);
    void pauseForSignIn(const GraphReply &reply);
    // An admin asked for a poll: as soon as `floor` after the last one allows, outside the slots.
    QDateTime requestPoll(WatchedOperation &op, std::chrono::milliseconds floor);
    std::chrono::milliseconds backoff(int consecutiveFailures) const;
    // How long to hold back after a refused reply: its Retry-After (capped), else backoff().
    std::chrono::milliseconds waitAfter(const GraphReply &reply, int consecutiveFailures) const;
    TeamState &team(const QString &teamKey);
    // The record to change (marked changed in the store), or nullptr.
    WatchedOperation *operation(const QString &key) { return m_store.edit(key); }

    GraphClient &m_client;
    Clock &m_clock;
    OperationStore &m_store;
    QTimer m_timer;
    std::chrono::milliseconds m_interval;
    std::chrono::milliseconds m_effectiveInterval;
    std::chrono::milliseconds m_slotSpacing;
    QDateTime m_nextSlotAt;
    RateWindow m_tenantWindow{kDefaultTenantBudget};
    int m_teamBudget = kDefaultTeamBudget;
    bool m_teamListsEnabled = true;
    QDateTime m_tenantRetryAt;
    int m_tenantFailures = 0;
    QHash<QString, TeamState> m_teams;
    int m_inFlightRequests = 0;
    int m_nextBatchId = 0;
    bool m_pausedForSignIn = false;
    bool m_online = true;
    bool m_reportedAllTerminal = false;
    bool m_planningQueued = false;
};

Q_DECLARE_METATYPE(PollRound)
