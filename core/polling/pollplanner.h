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

#include <limits>

#include <chrono>
#include <functional>
#include <map>
#include <set>

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
    void setTeamListsEnabled(bool enabled);
    // After the $batch endpoint itself was refused (a proxy or policy blocking it): one GET per
    // request from now on.
    void disableBatching() { m_batchingEnabled = false; }
    bool isBatchingEnabled() const { return m_batchingEnabled; }
    // A request whose answer never came (or said nothing about its work): plan it again.
    void requeue(const Request &request);

    // What to send now. What it returns counts as sent: the caller sends it and marks the
    // operations in flight before planning again. Its cost grows with what changed since the
    // last call (records edited, teams whose agenda fell due), not with the watch list.
    Plan plan(const OperationStore &store, const QDateTime &now);
    // When the next poll is due; invalid when nothing is left to poll. Read off the agendas.
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

    // Work due now, as the agendas keep it: an operation's GET (its record's index) or a page of
    // a team's list. Ordered by rank, then by `order` (a record's index; a list after its team's
    // records), so that equal ranks keep the order the operations were added.
    struct DueKey
    {
        qint64 baseMs = 0; // the rank before a lively operation's head start
        qint64 order = 0;
        bool operator<(const DueKey &other) const
        {
            return baseMs != other.baseMs ? baseMs < other.baseMs : order < other.order;
        }
    };
    struct DueWork
    {
        QString teamKey;
        qsizetype index = -1; // an operation's record; -1 for a list page
        QUrl listPage;
    };
    // The four queues of due work: urgent or regular, lively (ranked ahead by half the
    // effective interval) or not. Kept apart so that a change of the head start moves no entry.
    static constexpr int kQueues = 4;
    static int queueOf(bool urgent, bool lively) { return (urgent ? 2 : 0) + (lively ? 1 : 0); }

    static constexpr qint64 kNever = std::numeric_limits<qint64>::max();
    static constexpr qint64 kAlways = std::numeric_limits<qint64>::min();

    // When one team's polls are due (urgent ones go when the budget allows; regular ones also
    // wait for a slot; a list's next page goes as soon as the team's Retry-After allows), and
    // validUntil: when the passing of time alone changes any of it (a poll falling due, a
    // Retry-After ending, an operation no longer lively).
    struct AgendaTimes
    {
        qint64 urgentDue = kNever;
        qint64 regularDue = kNever;
        bool pagePending = false;
        qint64 pageDue = kNever; // the team's Retry-After; kAlways when none
        qint64 validUntil = kNever;
        int cost = 0; // sub-requests per round: pages if listed, else polled operations
    };
    // What one team owes at a moment: its due work, and its times.
    struct Agenda : AgendaTimes
    {
        QList<std::pair<int, std::pair<DueKey, DueWork>>> due; // queue, entry
    };
    // One team's agenda as the planner keeps it: where its entries are, to take them out again.
    struct KeptAgenda : AgendaTimes
    {
        QList<std::pair<int, DueKey>> entries;
    };

    // pollplanner.cpp
    Agenda agendaOf(const OperationStore &store, const QString &teamKey,
                    const QList<qsizetype> &members, const QDateTime &now) const;
    void updateCycle();
    bool usesTeamList(const OperationStore &store, const QString &teamKey) const;
    bool teamNeverListed(const QString &teamKey) const;
    static bool isUrgent(const WatchedOperation &op, bool listed, bool neverListed);
    // Takes up to `max` of the due work (urgent or regular) in rank order, within the budgets.
    QList<Work> takeWithinBudget(const OperationStore &store, bool urgent, int max,
                                 const QDateTime &now);
    QDateTime budgetFreeAt(bool urgent, const QDateTime &now);
    qsizetype dueCount(bool urgent) const;
    void recordSent(const OperationStore &store, const Request &request, const QDateTime &now);
    // A team's state, to change what its agenda depends on: the agenda is computed again.
    TeamState &team(const QString &teamKey);
    // A team's state, for its rate and window only (the agenda does not depend on them).
    TeamState &teamBudget(const QString &teamKey);

    // pollplanneragenda.cpp: every team's agenda, kept up to date from the records the store
    // says were edited, the teams whose state changed, and the moments agendas fall due.
    void refreshAgendas(const OperationStore &store, const QDateTime &now) const;
    void keepAgenda(const OperationStore &store, const QString &teamKey,
                    const QDateTime &now) const;
    void dropAgenda(const QString &teamKey) const;
    void markAllTeamsChanged() const { m_agendasStore = nullptr; }
    // The windows' limits for a rate: the rate per second, and Graph's limit per 1.4 s.
    static QList<RateWindow::Limit> limitsFor(double rate, int serviceLimit, int budget);
    void applyRates();
    const QList<RateWindow::Limit> &teamLimitsFor(double rate);
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
    QHash<double, QList<RateWindow::Limit>>
        m_teamLimits; // teamLimitsFor(), for the budget in force
    // The last team throttled alone: another one soon after means the tenant is the limit.
    QString m_lastThrottledTeam;
    QDateTime m_lastTeamThrottleAt;

    // The agendas (pollplanneragenda.cpp). A cache of what agendaOf() says, kept by the const
    // nextPollAt() as well as plan(): hence mutable.
    mutable const OperationStore *m_agendasStore = nullptr; // null: rebuild every agenda
    mutable quint64 m_removalsSeen = 0;
    mutable qsizetype m_recordsSeen = 0;
    mutable QHash<QString, KeptAgenda> m_agendas;
    mutable QSet<QString> m_changedTeams;
    mutable std::map<DueKey, DueWork> m_due[kQueues];
    mutable std::set<std::pair<qint64, QString>> m_urgentDues, m_regularDues, m_pageDues,
        m_validUntil;
    mutable qint64 m_costSum = 0;
    mutable std::map<int, int> m_costs; // a team's cost → how many teams have it
};
