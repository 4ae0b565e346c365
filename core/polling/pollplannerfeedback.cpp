// PollPlanner, part 2: what answers teach it — throttling, team listings, backoff.
#include "polling/pollplanner.h"

#include "graph/retryafter.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>

using namespace std::chrono;

void PollPlanner::learn(const Feedback &feedback, const QDateTime &now)
{
    // Graph does not say which limit a 429 hit. Refusals across two or more teams, or on the
    // batch itself, mean the tenant's budget; refusals of one team alone mean that team's,
    // unless another team was refused alone just before.
    bool tenantThrottled = feedback.envelopeThrottled || feedback.throttledTeams.size() >= 2;
    if (feedback.throttledTeams.size() == 1) {
        const QString &teamKey = *feedback.throttledTeams.cbegin();
        const milliseconds recently = milliseconds(1000) + kJitterAllowance;
        if (m_lastTeamThrottleAt.isValid() && m_lastThrottledTeam != teamKey &&
            m_lastTeamThrottleAt.msecsTo(now) <= recently.count()) {
            tenantThrottled = true;
        }
        m_lastThrottledTeam = teamKey;
        m_lastTeamThrottleAt = now;
        TeamState &state = teamBudget(teamKey);
        state.rate.throttled(feedback.sentAt, now);
        state.window.setLimits(teamLimitsFor(state.rate.rate()));
    }
    if (tenantThrottled)
        m_tenantRate.throttled(feedback.sentAt, now);
    else if (!feedback.cleanTeams.isEmpty())
        m_tenantRate.clean(now);
    m_tenantWindow.setLimits(limitsFor(m_tenantRate.rate(), kServiceTenantLimit, m_tenantBudget));
    // Only the teams answered for: a rate changes when its team is answered, never otherwise,
    // so the other teams' windows stand (a walk over every team per answer would not).
    for (const QString &teamKey : feedback.cleanTeams) {
        if (!feedback.throttledTeams.contains(teamKey)) {
            TeamState &state = teamBudget(teamKey);
            state.rate.clean(now);
            state.window.setLimits(teamLimitsFor(state.rate.rate()));
        }
    }
}

QDateTime PollPlanner::reserveTeamRequest(const QString &teamId, const QDateTime &now)
{
    TeamState &state = team(teamId.toLower());
    if (state.retryAt.isValid() && state.retryAt > now)
        return state.retryAt;
    if (state.window.available(now) < 1)
        return state.window.freeAt(now, 1);
    state.window.record(now);
    return QDateTime();
}

QDateTime PollPlanner::reserveBackgroundRequest(const QString &teamKey, const QDateTime &now)
{
    if (m_tenantRetryAt.isValid() && m_tenantRetryAt > now)
        return m_tenantRetryAt;
    int smallestLimit = std::numeric_limits<int>::max();
    for (const RateWindow::Limit &limit : m_tenantWindow.limits())
        smallestLimit = std::min(smallestLimit, limit.count);
    // A batch's worth, and at most half the window: while polling starts slowly (small windows,
    // batches as large as them) the other requests still get through between batches.
    const int keepForPolls =
        std::clamp(std::min(batchSize(), smallestLimit / 2), 0, smallestLimit - 1);
    if (m_tenantWindow.available(now) <= keepForPolls)
        return m_tenantWindow.freeAt(now, keepForPolls + 1);
    if (!teamKey.isEmpty()) {
        if (const QDateTime teamFreeAt = reserveTeamRequest(teamKey, now); teamFreeAt.isValid())
            return teamFreeAt;
    }
    m_tenantWindow.record(now);
    return QDateTime();
}

void PollPlanner::teamRequestThrottled(const QString &teamId, const QDateTime &sentAt,
                                       const QDateTime &now)
{
    Feedback feedback;
    feedback.sentAt = sentAt;
    feedback.throttledTeams.insert(teamId.toLower());
    learn(feedback, now);
}

void PollPlanner::envelopeAnswered(const GraphReply &envelope, const QDateTime &now)
{
    if (envelope.failure == GraphFailure::Throttled) {
        // A 429 on the batch itself holds back the whole tenant.
        ++m_tenantFailures;
        m_tenantRetryAt = now.addMSecs(waitAfter(envelope, m_tenantFailures, now).count());
    } else if (envelope.ok()) {
        m_tenantFailures = 0;
    }
}

void PollPlanner::requeue(const Request &request)
{
    for (const Work &work : request) {
        if (work.kind != Work::Kind::TeamList)
            continue;
        TeamState &state = team(work.teamKey);
        state.listInFlight = false;
        if (state.pagesInListing > 0)
            state.pendingPage = work.url; // carry on from the page that was not answered
        else
            state.nextListAt = QDateTime(); // the listing had not begun: begin it again
    }
}

QDateTime PollPlanner::tenantRetryAt(const QDateTime &now) const
{
    return m_tenantRetryAt.isValid() && m_tenantRetryAt > now ? m_tenantRetryAt : QDateTime();
}

int PollPlanner::maxListPages(qsizetype watchedInTeam)
{
    const qsizetype filled = (watchedInTeam + kListPageSize - 1) / kListPageSize;
    return int(std::min<qsizetype>(kMaxListPages + 2 * filled, 100000));
}

PollPlanner::ListStep PollPlanner::listPageRead(const QString &teamKey, const QSet<QString> &seen,
                                                const QUrl &nextLink, const QDateTime &)
{
    TeamState &state = team(teamKey);
    state.listInFlight = false;
    ++state.pagesInListing;
    state.seenInListing.unite(seen);
    if (nextLink.isValid() && !nextLink.isEmpty()) {
        // A link back to a page already served, or no end in sight: stop listing this team.
        if (state.linksInListing.contains(QUrl::fromPercentEncoding(nextLink.toEncoded())) ||
            state.pagesInListing >= state.pageLimit) {
            state.listUnsupported = true;
            return ListStep::Abandoned;
        }
        state.pendingPage = nextLink;
        return ListStep::NextPage;
    }
    // Only a whole listing clears the failures: a first page that works while the second keeps
    // failing must not reset the backoff every time.
    state.consecutiveFailures = 0;
    state.pagesLastTime = std::max(1, state.pagesInListing);
    ++state.listingsCompleted;
    return ListStep::Complete;
}

QSet<QString> PollPlanner::seenInListing(const QString &teamKey) const
{
    return m_teams.value(teamKey).seenInListing;
}

QDateTime PollPlanner::listStartedAt(const QString &teamKey) const
{
    return m_teams.value(teamKey).listStartedAt;
}

bool PollPlanner::listPageFailed(const QString &teamKey, const QUrl &page,
                                 const GraphReply &failure, const QDateTime &now)
{
    TeamState &state = team(teamKey);
    state.listInFlight = false;
    if (failure.failure == GraphFailure::Unauthorized)
        return state.listUnsupported; // nothing is wrong with the list: polling pauses
    ++state.consecutiveFailures;
    if (failure.failure == GraphFailure::Throttled) {
        // Retry-After on a team's list holds back everything of that team; a page answered
        // "retry after 0" still waits the backoff, so a refusing server is not asked in a loop.
        const milliseconds wait = std::max(waitAfter(failure, state.consecutiveFailures, now),
                                           backoff(state.consecutiveFailures));
        state.retryAt = now.addMSecs(wait.count());
        // Carry on where a listing stopped; a refused first page starts a new listing later
        // (so the interval counts from when that one goes out).
        state.pendingPage = state.pagesInListing > 0 ? page : QUrl();
    } else if (failure.httpStatus >= 400 && failure.httpStatus < 500) {
        // The list call is an optimisation Graph does not document; without it, GET each.
        state.listUnsupported = true;
    } else {
        state.nextListAt =
            now.addMSecs(std::max(backoff(state.consecutiveFailures), m_interval).count());
    }
    return state.listUnsupported;
}

PollPlanner::Pace PollPlanner::pace() const
{
    Pace pace;
    pace.rate = m_tenantRate.rate();
    pace.budget = m_tenantBudget;
    pace.slowedAt = m_tenantRate.lastCutAt();
    pace.startingUp = m_tenantRate.isStartingUp();
    for (const TeamState &state : m_teams) {
        if (!state.rate.isSlowed())
            continue;
        ++pace.slowedTeams;
        if (!pace.slowedAt.isValid() || state.rate.lastCutAt() > pace.slowedAt)
            pace.slowedAt = state.rate.lastCutAt();
    }
    return pace;
}

QString PollPlanner::Pace::describe(const QDateTime &now) const
{
    if (!isSlowed() && slowedTeams == 0)
        return QString();
    const QString slower =
        isSlowed() ? QCoreApplication::translate("PollPlanner", "polling at %1 of %2 requests/s")
                         .arg(int(rate))
                         .arg(budget)
                   : QCoreApplication::translate("PollPlanner", "%n team(s) polled more slowly",
                                                 nullptr, int(slowedTeams));
    if (!slowedAt.isValid())
        return slower;
    return QCoreApplication::translate("PollPlanner", "%1: Graph asked to slow down %2 s ago")
        .arg(slower)
        .arg(std::max<qint64>(0, slowedAt.secsTo(now)));
}

milliseconds PollPlanner::waitAfter(const GraphReply &reply, int consecutiveFailures,
                                    const QDateTime &now) const
{
    // Read against the planner's time (an HTTP date means nothing against the wall clock in a
    // test or a simulated week), and capped: one answer must not park polling for good.
    if (const auto asked = parseRetryAfter(reply.retryAfterHeader, now))
        return std::min<milliseconds>(*asked, kRetryAfterCap);
    return backoff(consecutiveFailures);
}

milliseconds PollPlanner::backoff(int consecutiveFailures)
{
    // 3 s doubling per failure (as the Graph SDKs do), capped, with up to 20 % jitter upwards so
    // many operations failing together do not come back in lockstep.
    const int doublings = std::clamp(consecutiveFailures - 1, 0, 16);
    const milliseconds base = std::min<milliseconds>(seconds(3) * (1 << doublings), kMaxBackoff);
    const double jitter = 1.0 + QRandomGenerator::global()->bounded(0.2);
    return std::min(milliseconds(static_cast<qint64>(static_cast<double>(base.count()) * jitter)),
                    kMaxBackoff);
}
