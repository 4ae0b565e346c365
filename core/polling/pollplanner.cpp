// PollPlanner, part 1: what is due and what to send now. See pollplanner.h for the rules.
#include "polling/pollplanner.h"

#include "model/watchedoperation.h"
#include "store/operationstore.h"

#include <algorithm>
#include <cmath>

using namespace std::chrono;

namespace {

// Operations that are moving, or moved lately, deserve their polls first when the rate is
// short; ones long left notStarted can wait. Expressed as a head start in the queue.
bool isLively(const WatchedOperation &op, const QDateTime &now)
{
    if (!op.latest)
        return true;
    return op.latest->status == OperationStatus::InProgress ||
           (op.lastChangedAt.isValid() && op.lastChangedAt.secsTo(now) < 600);
}

QDateTime later(const QDateTime &a, const QDateTime &b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return std::max(a, b);
}

QDateTime earlier(const QDateTime &a, const QDateTime &b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return std::min(a, b);
}

// Sub-requests per second that batches of `size`, evenly spaced, carry within every limit: in a
// window of span T holding at most L, k = L / size batches fit, so batches go T / k apart.
double evenlySpacedRate(int size, const QList<RateWindow::Limit> &limits)
{
    double spacingMs = 0;
    for (const RateWindow::Limit &limit : limits) {
        const int batchesPerWindow = limit.count / size;
        if (batchesPerWindow == 0)
            return 0;
        spacingMs = std::max(spacingMs, double(limit.span.count()) / batchesPerWindow);
    }
    return spacingMs > 0 ? size * 1000.0 / spacingMs : 0;
}

} // namespace

PollPlanner::PollPlanner(Resolver resolve)
    : m_resolve(std::move(resolve))
{
    m_tenantRate.startSlowly(); // restorePace() ends it with what an earlier run learnt
    applyRates();
}

milliseconds PollPlanner::setInterval(milliseconds interval, milliseconds floor)
{
    m_interval = std::max(interval, floor);
    // Not the longer of the old effective interval and this one: a default of 30 s would then
    // stand until the next cycle, and be said ("each is polled every 30 s") for 1 s asked.
    m_effectiveInterval = std::max(m_interval, m_budgetNeed);
    return m_interval;
}

void PollPlanner::setBudget(int tenantPerSecond, int teamPerSecond)
{
    m_tenantBudget = std::max(1, tenantPerSecond);
    m_teamBudget = std::max(1, teamPerSecond);
    m_tenantRate.setCeiling(m_tenantBudget);
    for (TeamState &state : m_teams)
        state.rate.setCeiling(m_teamBudget);
    applyRates();
}

QList<RateWindow::Limit> PollPlanner::limitsFor(double rate, int serviceLimit, int budget)
{
    const milliseconds stretched = milliseconds(1000) + kJitterAllowance;
    const int perSecond = std::max(1, int(std::floor(rate)));
    // An admin who allows more than Graph's limit (a test tenant, a simulator) gets it.
    const int cap = std::max(serviceLimit, budget);
    const double perStretched = rate * double(stretched.count()) / 1000.0;
    const int perStretchedWindow = std::max(1, std::min(cap, int(std::ceil(perStretched))));
    return {RateWindow::Limit{perSecond, milliseconds(1000)},
            RateWindow::Limit{perStretchedWindow, stretched}};
}

void PollPlanner::applyRates()
{
    m_tenantWindow.setLimits(limitsFor(m_tenantRate.rate(), kServiceTenantLimit, m_tenantBudget));
    for (TeamState &state : m_teams)
        state.window.setLimits(limitsFor(state.rate.rate(), kServiceTeamLimit, m_teamBudget));
}

int PollPlanner::batchSize() const
{
    // The largest batch that carries at least 90 % of the best even rate: fewer round trips
    // for a small loss. With 25/s and 30 per 1.4 s, batches of 10 every 0.5 s: 20/s.
    if (!m_batchingEnabled)
        return 1;
    const QList<RateWindow::Limit> &limits = m_tenantWindow.limits();
    double best = 0;
    for (int size = 1; size <= kMaxBatchSize; ++size)
        best = std::max(best, evenlySpacedRate(size, limits));
    for (int size = kMaxBatchSize; size > 1; --size) {
        if (evenlySpacedRate(size, limits) >= 0.9 * best)
            return size;
    }
    return 1;
}

double PollPlanner::sustainedTenantRate() const
{
    return std::max(0.1, evenlySpacedRate(batchSize(), m_tenantWindow.limits()));
}

PollPlanner::TeamState &PollPlanner::team(const QString &teamKey)
{
    auto it = m_teams.find(teamKey);
    if (it == m_teams.end()) {
        it = m_teams.insert(teamKey, TeamState());
        it->rate = AdaptiveRate(m_teamBudget);
        it->window.setLimits(limitsFor(m_teamBudget, kServiceTeamLimit, m_teamBudget));
    }
    return *it;
}

bool PollPlanner::teamNeverListed(const QString &teamKey) const
{
    const auto state = m_teams.constFind(teamKey);
    return state == m_teams.cend() || state->listingsCompleted == 0;
}

bool PollPlanner::isUrgent(const WatchedOperation &op, bool listed, bool neverListed)
{
    // First sightings go out at once, one by one, unless the team's first list will bring them;
    // so do retries after a failure and operations a list left out.
    const bool firstSighting = op.polls == 0 && !(listed && neverListed);
    return firstSighting || op.consecutiveFailures > 0 || op.missingFromList || op.pollRequested;
}

bool PollPlanner::usesTeamList(const OperationStore &store, const QString &teamKey) const
{
    if (!m_teamListsEnabled)
        return false;
    const auto state = m_teams.constFind(teamKey);
    if (state != m_teams.cend() && state->listUnsupported)
        return false;
    const bool neverListed = teamNeverListed(teamKey);
    int listed = 0;
    for (const qsizetype index : store.indexesOfTeam(teamKey)) {
        const WatchedOperation &op = store.at(index);
        if (op.isPolled() && (op.polls > 0 || neverListed) && !op.missingFromList)
            ++listed;
    }
    const int pages = state == m_teams.cend() ? 1 : state->pagesLastTime;
    // A list only pays when it replaces two or more GETs with fewer pages.
    return listed >= 2 && pages < listed;
}

void PollPlanner::updateCycle(const OperationStore &store)
{
    int cost = 0;
    int busiestTeam = 0;
    for (auto it = store.teams().cbegin(); it != store.teams().cend(); ++it) {
        int active = 0;
        for (const qsizetype index : it.value())
            active += store.at(index).isPolled() ? 1 : 0;
        if (active == 0)
            continue;
        const auto state = m_teams.constFind(it.key());
        const int pages = state == m_teams.cend() ? 1 : state->pagesLastTime;
        const int teamCost = usesTeamList(store, it.key()) ? pages : active;
        cost += teamCost;
        busiestTeam = std::max(busiestTeam, teamCost);
    }
    const double teamRate =
        std::min<double>(m_teamBudget, kServiceTeamLimit * 1000.0 /
                                           double((milliseconds(1000) + kJitterAllowance).count()));
    const milliseconds tenantNeed(qint64(std::ceil(cost * 1000.0 / sustainedTenantRate())));
    const milliseconds teamNeed(qint64(std::ceil(busiestTeam * 1000.0 / teamRate)));
    m_budgetNeed = std::max(tenantNeed, teamNeed);
    m_effectiveInterval = std::max(m_interval, m_budgetNeed);
    const int size = batchSize();
    const int batchesPerCycle = std::max(1, (cost + size - 1) / size);
    m_slotSpacing = m_effectiveInterval / batchesPerCycle;
}

PollPlanner::Agenda PollPlanner::agendaOf(const OperationStore &store, const QString &teamKey,
                                          const QList<qsizetype> &members,
                                          const QDateTime &now) const
{
    Agenda agenda;
    const auto found = m_teams.constFind(teamKey);
    const TeamState *state = found == m_teams.cend() ? nullptr : &found.value();
    const QDateTime teamRetry = state ? state->retryAt : QDateTime();
    const bool held = teamRetry.isValid() && teamRetry > now;
    const milliseconds headStart = m_effectiveInterval / 2;
    const bool listed = usesTeamList(store, teamKey);
    const bool neverListed = teamNeverListed(teamKey);
    bool lively = false;
    bool listOwed = false;
    QDateTime membersDue; // the list waits until every member may be polled again
    for (const qsizetype index : members) {
        const WatchedOperation &op = store.at(index);
        if (!op.isPolled() || op.inFlight)
            continue;
        lively = lively || isLively(op, now);
        const bool urgent = isUrgent(op, listed, neverListed);
        // In a listed team only first sightings and stragglers are fetched one by one.
        if (listed && !urgent) {
            listOwed = true;
            membersDue = later(membersDue, op.nextPollAt);
            continue;
        }
        // Regular polls also wait for their slot; urgent ones go when the budget allows.
        agenda.nextDue = earlier(agenda.nextDue, later(later(op.nextPollAt, teamRetry),
                                                       urgent ? QDateTime() : m_nextSlotAt));
        if (held || op.nextPollAt > now)
            continue;
        const QDateTime rank =
            isLively(op, now) ? op.nextPollAt.addMSecs(-headStart.count()) : op.nextPollAt;
        agenda.dueNow.append(
            Work{Work::Kind::Operation, op.key, teamKey, op.ref.url, urgent, rank});
    }
    const bool pagePending = state && state->pendingPage.isValid();
    if (!listed || (state && state->listInFlight) || !(listOwed || pagePending))
        return agenda;
    if (pagePending) { // the next page of a listing in progress goes as soon as allowed
        agenda.nextDue = earlier(agenda.nextDue, later(teamRetry, now));
        if (!held) {
            agenda.dueNow.append(Work{Work::Kind::TeamList, teamKey, teamKey, state->pendingPage,
                                      true, state->listStartedAt});
        }
        return agenda;
    }
    const QDateTime due = later(state ? state->nextListAt : QDateTime(), membersDue);
    // After a failed listing it is a retry: it goes when allowed, not at the next slot.
    const bool retry = state && state->consecutiveFailures > 0;
    agenda.nextDue =
        earlier(agenda.nextDue, later(later(due, teamRetry), retry ? QDateTime() : m_nextSlotAt));
    if (!held && due <= now) {
        const QUrl first = m_resolve(
            QStringLiteral("/teams/%1/operations?$top=%2").arg(teamKey).arg(kListPageSize));
        agenda.dueNow.append(Work{Work::Kind::TeamList, teamKey, teamKey, first, retry,
                                  lively ? due.addMSecs(-headStart.count()) : due});
    }
    return agenda;
}

QDateTime PollPlanner::nextPollAt(const OperationStore &store, const QDateTime &now) const
{
    QDateTime next;
    for (auto it = store.teams().cbegin(); it != store.teams().cend(); ++it)
        next = earlier(next, agendaOf(store, it.key(), it.value(), now).nextDue);
    if (next.isValid() && m_tenantRetryAt.isValid())
        next = later(next, m_tenantRetryAt);
    return next;
}

QList<PollPlanner::Work> PollPlanner::takeWithinBudget(QList<Work> &candidates, int max,
                                                       const QDateTime &now)
{
    QList<Work> taken;
    int tenantLeft = m_tenantWindow.available(now);
    QHash<QString, int> teamLeft;
    for (auto it = candidates.begin();
         it != candidates.end() && int(taken.size()) < max && tenantLeft > 0;) {
        if (!teamLeft.contains(it->teamKey))
            teamLeft.insert(it->teamKey, team(it->teamKey).window.available(now));
        int &left = teamLeft[it->teamKey];
        if (left <= 0) {
            ++it;
            continue;
        }
        --left;
        --tenantLeft;
        taken.append(*it);
        it = candidates.erase(it);
    }
    return taken;
}

QDateTime PollPlanner::budgetFreeAt(const QList<Work> &waiting, const QDateTime &now)
{
    QDateTime wake;
    for (const Work &work : waiting)
        wake = earlier(wake, team(work.teamKey).window.freeAt(now, 1));
    return later(wake, m_tenantWindow.freeAt(now, 1));
}

void PollPlanner::recordSent(const OperationStore &store, const Request &request,
                             const QDateTime &now)
{
    m_tenantWindow.record(now, int(request.size()));
    for (const Work &work : request) {
        TeamState &state = team(work.teamKey);
        state.window.record(now);
        if (work.kind != Work::Kind::TeamList)
            continue;
        state.listInFlight = true;
        if (!state.pendingPage.isValid()) { // a new listing starts
            state.listStartedAt = now;
            state.nextListAt = now.addMSecs(m_interval.count());
            state.seenInListing.clear();
            state.linksInListing.clear();
            state.pagesInListing = 0;
            state.pageLimit = maxListPages(store.indexesOfTeam(work.teamKey).size());
        }
        // Decoded, so "$top" and "%24top" are one link.
        state.linksInListing.insert(QUrl::fromPercentEncoding(work.url.toEncoded()));
        state.pendingPage = QUrl();
    }
}

PollPlanner::Plan PollPlanner::plan(const OperationStore &store, const QDateTime &now)
{
    Plan plan;
    if (m_tenantRetryAt.isValid() && m_tenantRetryAt > now) {
        plan.wakeAt = m_tenantRetryAt;
        return plan;
    }
    updateCycle(store);

    QList<Work> urgent;
    QList<Work> regular;
    for (auto it = store.teams().cbegin(); it != store.teams().cend(); ++it) {
        for (const Work &work : agendaOf(store, it.key(), it.value(), now).dueNow)
            (work.urgent ? urgent : regular).append(work);
    }
    const auto byRank = [](const Work &a, const Work &b) { return a.rank < b.rank; };
    std::stable_sort(urgent.begin(), urgent.end(), byRank);
    std::stable_sort(regular.begin(), regular.end(), byRank);

    const int size = batchSize();
    const auto send = [&](const QList<Work> &request) {
        recordSent(store, request, now);
        plan.requests.append(request);
    };
    // First sightings, retries and next pages go as soon as the budget allows, in full batches.
    while (!urgent.isEmpty()) {
        const int want = std::min<int>(size, int(urgent.size()));
        if (m_tenantWindow.available(now) < want) {
            plan.wakeAt = m_tenantWindow.freeAt(now, want);
            break;
        }
        const QList<Work> batch = takeWithinBudget(urgent, size, now);
        if (batch.isEmpty()) {
            plan.wakeAt = budgetFreeAt(urgent, now);
            break;
        }
        send(batch);
    }
    // Everything else: one batch per slot, slots spread over the effective interval.
    if (regular.isEmpty() || !urgent.isEmpty())
        return plan;
    const int want = std::min<int>(size, int(regular.size()));
    if (m_nextSlotAt.isValid() && m_nextSlotAt > now) {
        plan.wakeAt = earlier(plan.wakeAt, m_nextSlotAt);
    } else if (m_tenantWindow.available(now) < want) {
        plan.wakeAt = earlier(plan.wakeAt, m_tenantWindow.freeAt(now, want));
    } else if (const QList<Work> batch = takeWithinBudget(regular, size, now); batch.isEmpty()) {
        plan.wakeAt = earlier(plan.wakeAt, budgetFreeAt(regular, now));
    } else {
        send(batch);
        const QDateTime next =
            (m_nextSlotAt.isValid() ? m_nextSlotAt : now).addMSecs(m_slotSpacing.count());
        m_nextSlotAt = next > now ? next : now.addMSecs(m_slotSpacing.count());
        // Work a team's budget kept out of this batch goes when that budget allows, not a
        // whole slot later.
        if (batch.size() < want && !regular.isEmpty())
            m_nextSlotAt = std::min(m_nextSlotAt, budgetFreeAt(regular, now));
        if (!regular.isEmpty())
            plan.wakeAt = earlier(plan.wakeAt, m_nextSlotAt);
    }
    return plan;
}

QDateTime PollPlanner::nextPollAfterSuccess(const QDateTime &sentAt) const
{
    // The interval runs from when the poll went out, so polls keep their phase.
    return sentAt.addMSecs(m_interval.count());
}

QDateTime PollPlanner::nextPollAfterFailure(const WatchedOperation &op, const GraphReply &reply,
                                            const QDateTime &now) const
{
    // Retry-After is a floor set by the service; without one, back off exponentially.
    const milliseconds wait = waitAfter(reply, op.consecutiveFailures, now);
    const QDateTime next = op.lastPolledAt.addMSecs(std::max(wait, m_interval).count());
    return m_tenantRetryAt.isValid() ? std::max(next, m_tenantRetryAt) : next;
}

QDateTime PollPlanner::requestedPollAt(const WatchedOperation &op, milliseconds floor,
                                       const QDateTime &now)
{
    return op.lastSentAt.isValid() ? std::max(now, op.lastSentAt.addMSecs(floor.count())) : now;
}
