#pragma once

#include "model/graphreply.h"
#include "polling/adaptiverate.h"
#include "polling/ratewindow.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

class OperationStore;
struct WatchedOperation;

// Decides what to poll and when, for any number of watched operations, within Graph's limits.
// A plain value: no timer, no network, no signals. Given the records and a time it answers
// "what to send now and when to wake next"; told what the answers were, it adapts. Every rule of
// "when is this due" lives here, once:
// - each operation no more often than the interval (30 s floor against the real service);
// - per tenant and per team, never more than the budget in any one second, and never more than
//   Graph's own limit (30, and 4 per team) in any 1.4 s, so that answers the network shifts by up
//   to 0.4 s still arrive within Graph's limit;
// - the budget in use adapts: cut on a 429 (or a 503 with Retry-After), raised back slowly;
// - due polls go out as $batches, evenly spaced over the effective interval (which stretches
//   when the rate cannot cover everything); first sightings, retries and next pages go at once;
// - two or more watched operations of one team are read with one paged list of the team's
//   operations, falling back to single GETs for a team whose list call fails;
// - Retry-After holds back its scope (operation, team, or the whole tenant); failures back off.
class PollPlanner
{
public:
    static constexpr std::chrono::milliseconds kServiceFloor{std::chrono::seconds(30)};
    static constexpr std::chrono::milliseconds kLoopbackFloor{100};
    static constexpr std::chrono::milliseconds kMaxBackoff{std::chrono::seconds(180)};
    static constexpr int kDefaultTenantBudget = 25; // Graph allows 30 Teams GETs/s per app
    static constexpr int kDefaultTeamBudget = 3;    // Graph allows 4/s on any one team
    static constexpr int kServiceTenantLimit = 30;
    static constexpr int kServiceTeamLimit = 4;
    // How far the network may shift one request against another on its way to Graph.
    static constexpr std::chrono::milliseconds kJitterAllowance{400};
    static constexpr int kMaxBatchSize = 20; // Graph's $batch limit
    static constexpr int kListPageSize = 100;
    // A listing longer than the pages its watched operations need plus this many (or one that
    // links back to a page it served) is abandoned, and its operations are read one by one: a
    // server must not keep us paging for ever. See maxListPages().
    static constexpr int kMaxListPages = 50;

    // One sub-request: an operation's GET or a page of a team's operations.
    struct Work
    {
        enum class Kind
        {
            Operation,
            TeamList
        } kind = Kind::Operation;
        QString key;     // the operation's key; for lists the team's
        QString teamKey; // lower-cased team id
        QUrl url;
        bool urgent = false; // first sightings, retries, next pages: not bound to slots
        QDateTime rank;      // smaller goes first
    };
    using Request = QList<Work>; // one round trip: a single GET, or a $batch of up to 20

    struct Plan
    {
        QList<Request> requests; // to send now, in this order
        QDateTime wakeAt;        // when to plan again (invalid: only when something changes)
    };

    // What one round trip's answers said about throttling, for the adaptive rates.
    struct Feedback
    {
        QDateTime sentAt;
        bool envelopeThrottled = false; // a 429 on the $batch itself
        QSet<QString> throttledTeams;   // teams with a 429 (or 503 + Retry-After) answer
        QSet<QString> cleanTeams;       // teams with answers that were not throttled
    };

    // Where the planner stands on pace, for the status bar and the CLI.
    struct Pace
    {
        double rate = 0;    // requests per second the tenant is polled at, at most
        int budget = 0;     // what the admin allows
        QDateTime slowedAt; // when Graph last asked to slow down (invalid: never)
        int slowedTeams = 0;
        bool startingUp = false; // below the budget because polling just started (AdaptiveRate)
        bool isSlowed() const { return rate < budget && !startingUp; }
        // "polling at 17 of 25 requests/s: Graph asked to slow down 40 s ago", or "" at full pace.
        QString describe(const QDateTime &now) const;
    };

    // What a page of a team's operation list leads to.
    enum class ListStep
    {
        NextPage, // planned as urgent work
        Complete, // every member not seen is owed a GET of its own
        Abandoned // a loop or too many pages: members are read one by one from now on
    };

    using Resolver = std::function<QUrl(const QString &pathAndQuery)>;
    explicit PollPlanner(Resolver resolve);

    // Clamped to floor; returns the interval in force.
    std::chrono::milliseconds setInterval(std::chrono::milliseconds interval,
                                          std::chrono::milliseconds floor);
    std::chrono::milliseconds interval() const { return m_interval; }
    // The interval operations are actually polled at: longer than interval() when the rate in
    // force cannot poll every operation every interval.
    std::chrono::milliseconds effectiveInterval() const { return m_effectiveInterval; }
    void setBudget(int tenantPerSecond, int teamPerSecond);
    int tenantBudget() const { return m_tenantBudget; }
    int teamBudget() const { return m_teamBudget; }
    void setTeamListsEnabled(bool enabled) { m_teamListsEnabled = enabled; }
    // After the $batch endpoint itself was refused (a proxy or policy blocking it): one GET per
    // request from now on.
    void disableBatching() { m_batchingEnabled = false; }
    bool isBatchingEnabled() const { return m_batchingEnabled; }
    // A request whose answer never came (or said nothing about its work): plan it again.
    void requeue(const Request &request);

    // What to send now. What it returns counts as sent: the caller sends it and marks the
    // operations in flight before planning again.
    Plan plan(const OperationStore &store, const QDateTime &now);
    // When the next poll is due; invalid when nothing is left to poll.
    QDateTime nextPollAt(const OperationStore &store, const QDateTime &now) const;

    // When an operation is next due after an answer about it.
    QDateTime nextPollAfterSuccess(const QDateTime &sentAt) const;
    QDateTime nextPollAfterFailure(const WatchedOperation &op, const GraphReply &reply,
                                   const QDateTime &now) const;
    // An admin asked for a poll: as soon as `floor` after the last one allows.
    static QDateTime requestedPollAt(const WatchedOperation &op, std::chrono::milliseconds floor,
                                     const QDateTime &now);

    // A request on a team that is not a poll (the POST of one clone of a bulk clone, on its
    // source team) shares the team's budget with polling: when a place is free now it is taken
    // and the time returned is invalid; otherwise nothing is taken and the time says when.
    QDateTime reserveTeamRequest(const QString &teamId, const QDateTime &now);
    // A GET that is not a poll (a team's name, a new team's parts; teamKey empty when it is on
    // no team) takes a place in the tenant's budget, and its team's, only while a batch's worth
    // (at most half the window) stays free for the polls. The same answer as above.
    QDateTime reserveBackgroundRequest(const QString &teamKey, const QDateTime &now);

    // What answers said (pollplannerfeedback.cpp).
    void learn(const Feedback &feedback, const QDateTime &now);
    // A request reserved above was throttled: the team's rate is cut as for a throttled poll.
    void teamRequestThrottled(const QString &teamId, const QDateTime &sentAt, const QDateTime &now);
    void envelopeAnswered(const GraphReply &envelope, const QDateTime &now);
    // A page of a team's listing arrived and was read: `seen` holds the keys it listed.
    ListStep listPageRead(const QString &teamKey, const QSet<QString> &seen, const QUrl &nextLink,
                          const QDateTime &now);
    // How many pages a listing of a team with this many watched operations may take: twice what
    // they fill (Graph may send short pages; the team may have operations nobody watches), plus
    // kMaxListPages. 52 pages for a few operations, 250 for 10 000 clones of one template.
    static int maxListPages(qsizetype watchedInTeam);
    // The keys the team's listing saw, and when it started (its members' polls count from then).
    QSet<QString> seenInListing(const QString &teamKey) const;
    QDateTime listStartedAt(const QString &teamKey) const;
    // A page failed; returns whether the team's operations are now read one by one.
    bool listPageFailed(const QString &teamKey, const QUrl &page, const GraphReply &failure,
                        const QDateTime &now);
    QDateTime tenantRetryAt(const QDateTime &now) const;
    Pace pace() const;

    // What must outlive a restart (pollplannerstate.cpp): any Retry-After still in force and the
    // rates Graph asked for, tenant-wide and per team. Restoring keeps the budget in force.
    QJsonObject savedPace() const;
    void restorePace(const QJsonObject &saved, const QDateTime &now);

    // How long to hold back after a refused reply: its Retry-After (capped), else backoff().
    std::chrono::milliseconds waitAfter(const GraphReply &reply, int consecutiveFailures,
                                        const QDateTime &now) const;
    // 3 s doubling per failure, capped at kMaxBackoff, with up to 20 % jitter upwards.
    static std::chrono::milliseconds backoff(int consecutiveFailures);

private:
    struct TeamState
    {
        RateWindow window;
        AdaptiveRate rate;
        QDateTime retryAt;    // team-scoped Retry-After
        QDateTime nextListAt; // interval after the last listing started
        bool listUnsupported = false;
        bool listInFlight = false;
        int consecutiveFailures = 0;
        int pagesLastTime = 1;
        QUrl pendingPage; // the next page of a listing in progress
        QDateTime listStartedAt;
        QSet<QString> seenInListing;
        QSet<QString> linksInListing;
        int pagesInListing = 0;
        int pageLimit = kMaxListPages; // maxListPages() when the listing started
        int listingsCompleted = 0;
    };

    // What one team owes: the work due now, and when its earliest poll is due (now or later).
    struct Agenda
    {
        QList<Work> dueNow;
        QDateTime nextDue;
    };

    // pollplanner.cpp
    Agenda agendaOf(const OperationStore &store, const QString &teamKey,
                    const QList<qsizetype> &members, const QDateTime &now) const;
    void updateCycle(const OperationStore &store);
    bool usesTeamList(const OperationStore &store, const QString &teamKey) const;
    bool teamNeverListed(const QString &teamKey) const;
    static bool isUrgent(const WatchedOperation &op, bool listed, bool neverListed);
    QList<Work> takeWithinBudget(QList<Work> &candidates, int max, const QDateTime &now);
    QDateTime budgetFreeAt(const QList<Work> &waiting, const QDateTime &now);
    void recordSent(const OperationStore &store, const Request &request, const QDateTime &now);
    TeamState &team(const QString &teamKey);
    // The windows' limits for a rate: the rate per second, and Graph's limit per 1.4 s.
    static QList<RateWindow::Limit> limitsFor(double rate, int serviceLimit, int budget);
    void applyRates();
    // The batch size that carries the most within the tenant's windows, evenly spaced.
    int batchSize() const;
    double sustainedTenantRate() const;

    Resolver m_resolve;
    std::chrono::milliseconds m_interval{kServiceFloor};
    std::chrono::milliseconds m_effectiveInterval{kServiceFloor};
    // What the budget needs for one round of what is watched (updateCycle): the effective
    // interval is the longer of it and the interval asked for.
    std::chrono::milliseconds m_budgetNeed{0};
    std::chrono::milliseconds m_slotSpacing{kServiceFloor};
    QDateTime m_nextSlotAt;
    int m_tenantBudget = kDefaultTenantBudget;
    int m_teamBudget = kDefaultTeamBudget;
    RateWindow m_tenantWindow;
    AdaptiveRate m_tenantRate{kDefaultTenantBudget};
    bool m_teamListsEnabled = true;
    bool m_batchingEnabled = true;
    QDateTime m_tenantRetryAt;
    int m_tenantFailures = 0;
    QHash<QString, TeamState> m_teams;
    // The last team throttled alone: another one soon after means the tenant is the limit.
    QString m_lastThrottledTeam;
    QDateTime m_lastTeamThrottleAt;
};
