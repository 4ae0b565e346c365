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
    m_teamLimits.clear(); // the budget may have changed
    for (TeamState &state : m_teams)
        state.window.setLimits(teamLimitsFor(state.rate.rate()));
}

const QList<RateWindow::Limit> &PollPlanner::teamLimitsFor(double rate)
{
    // One list per rate, shared by every team at that rate (most are at the budget): a
    // hundred thousand teams do not hold a hundred thousand copies.
    auto it = m_teamLimits.find(rate);
    if (it == m_teamLimits.end())
        it = m_teamLimits.insert(rate, limitsFor(rate, kServiceTeamLimit, m_teamBudget));
    return *it;
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

void PollPlanner::setTeamListsEnabled(bool enabled)
{
    m_teamListsEnabled = enabled;
    markAllTeamsChanged(); // whether each team is listed may change
}

PollPlanner::TeamState &PollPlanner::team(const QString &teamKey)
{
    m_changedTeams.insert(teamKey);
    return teamBudget(teamKey);
}

PollPlanner::TeamState &PollPlanner::teamBudget(const QString &teamKey)
{
    auto it = m_teams.find(teamKey);
    if (it == m_teams.end()) {
        it = m_teams.insert(teamKey, TeamState());
        it->rate = AdaptiveRate(m_teamBudget);
        it->window.setLimits(teamLimitsFor(m_teamBudget));
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

void PollPlanner::updateCycle()
{
    // Each team's cost is kept with its agenda: a round's sub-requests, and the busiest team's.
    const qint64 cost = m_costSum;
    const int busiestTeam = m_costs.empty() ? 0 : m_costs.rbegin()->first;
    const double teamRate =
        std::min<double>(m_teamBudget, kServiceTeamLimit * 1000.0 /
                                           double((milliseconds(1000) + kJitterAllowance).count()));
    const milliseconds tenantNeed(qint64(std::ceil(double(cost) * 1000.0 / sustainedTenantRate())));
    const milliseconds teamNeed(qint64(std::ceil(busiestTeam * 1000.0 / teamRate)));
    m_budgetNeed = std::max(tenantNeed, teamNeed);
    m_effectiveInterval = std::max(m_interval, m_budgetNeed);
    const int size = batchSize();
    const qint64 batchesPerCycle = std::max<qint64>(1, (cost + size - 1) / size);
    m_slotSpacing = m_effectiveInterval / batchesPerCycle;
}

PollPlanner::Agenda PollPlanner::agendaOf(const OperationStore &store, const QString &teamKey,
                                          const QList<qsizetype> &members,
                                          const QDateTime &now) const
{
    Agenda agenda;
    const auto msOf = [](const QDateTime &time) {
        return time.isValid() ? time.toMSecsSinceEpoch() : kAlways;
    };
    // A due time in the urgent or regular kind. An unknown one says nothing of an urgent poll;
    // a regular one is then due at the next slot (the later of nothing and the slot).
    const auto keepDue = [&agenda](bool urgent, const QDateTime &time) {
        if (urgent && time.isValid())
            agenda.urgentDue = std::min(agenda.urgentDue, time.toMSecsSinceEpoch());
        else if (!urgent)
            agenda.regularDue =
                std::min(agenda.regularDue, time.isValid() ? time.toMSecsSinceEpoch() : kAlways);
    };
    // The next moment time alone changes what is said here.
    const auto changesAt = [&agenda, &now](const QDateTime &time) {
        if (time.isValid() && time > now)
            agenda.validUntil = std::min(agenda.validUntil, time.toMSecsSinceEpoch());
    };
    const auto found = m_teams.constFind(teamKey);
    const TeamState *state = found == m_teams.cend() ? nullptr : &found.value();
    const QDateTime teamRetry = state ? state->retryAt : QDateTime();
    const bool held = teamRetry.isValid() && teamRetry > now;
    changesAt(teamRetry);
    const bool listed = usesTeamList(store, teamKey);
    const bool neverListed = teamNeverListed(teamKey);
    bool lively = false;
    bool listOwed = false;
    int polled = 0;
    QDateTime membersDue; // the list waits until every member may be polled again
    for (const qsizetype index : members) {
        const WatchedOperation &op = store.at(index);
        polled += op.isPolled() ? 1 : 0;
        if (!op.isPolled() || op.inFlight)
            continue;
        const bool opLively = isLively(op, now);
        // Lively only for having changed lately: not ten minutes after that change.
        if (opLively && op.latest && op.latest->status != OperationStatus::InProgress)
            changesAt(op.lastChangedAt.addSecs(600));
        lively = lively || opLively;
        const bool urgent = isUrgent(op, listed, neverListed);
        // In a listed team only first sightings and stragglers are fetched one by one.
        if (listed && !urgent) {
            listOwed = true;
            membersDue = later(membersDue, op.nextPollAt);
            continue;
        }
        // Regular polls also wait for their slot; urgent ones go when the budget allows.
        keepDue(urgent, later(op.nextPollAt, teamRetry));
        changesAt(op.nextPollAt);
        if (held || op.nextPollAt > now)
            continue;
        agenda.due.append({queueOf(urgent, opLively),
                           {DueKey{msOf(op.nextPollAt), 2 * index}, DueWork{teamKey, index, {}}}});
    }
    if (polled > 0) {
        const int pages = state ? state->pagesLastTime : 1;
        agenda.cost = listed ? pages : polled;
    }
    const bool pagePending = state && state->pendingPage.isValid();
    if (!listed || (state && state->listInFlight) || !(listOwed || pagePending))
        return agenda;
    // A team's list comes after its operations when their ranks are equal.
    const qint64 listOrder = 2 * members.constLast() + 1;
    if (pagePending) { // the next page of a listing in progress goes as soon as allowed
        agenda.pagePending = true;
        agenda.pageDue = msOf(teamRetry);
        if (!held) {
            agenda.due.append({queueOf(true, false),
                               {DueKey{msOf(state->listStartedAt), listOrder},
                                DueWork{teamKey, -1, state->pendingPage}}});
        }
        return agenda;
    }
    const QDateTime due = later(state ? state->nextListAt : QDateTime(), membersDue);
    // After a failed listing it is a retry: it goes when allowed, not at the next slot.
    const bool retry = state && state->consecutiveFailures > 0;
    keepDue(retry, later(due, teamRetry));
    changesAt(due);
    if (!held && due <= now) {
        const QUrl first = m_resolve(
            QStringLiteral("/teams/%1/operations?$top=%2").arg(teamKey).arg(kListPageSize));
        agenda.due.append(
            {queueOf(retry, lively), {DueKey{msOf(due), listOrder}, DueWork{teamKey, -1, first}}});
    }
    return agenda;
}

QDateTime PollPlanner::nextPollAt(const OperationStore &store, const QDateTime &now) const
{
    refreshAgendas(store, now);
    // Per due time x: urgent ones at x, regular ones at the later of x and the next slot, a
    // list's next page at the later of the team's Retry-After and now. The earliest of each
    // kind is enough: max(x, s) is smallest where x is.
    qint64 next = kNever;
    if (!m_urgentDues.empty())
        next = std::min(next, m_urgentDues.cbegin()->first);
    if (!m_regularDues.empty()) {
        const qint64 slot = m_nextSlotAt.isValid() ? m_nextSlotAt.toMSecsSinceEpoch() : kAlways;
        // Neither a time nor a slot: nothing said.
        if (const qint64 due = std::max(m_regularDues.cbegin()->first, slot); due != kAlways)
            next = std::min(next, due);
    }
    if (!m_pageDues.empty())
        next = std::min(next, std::max(m_pageDues.cbegin()->first, now.toMSecsSinceEpoch()));
    if (next == kNever)
        return QDateTime();
    QDateTime at = QDateTime::fromMSecsSinceEpoch(next, Qt::UTC);
    if (m_tenantRetryAt.isValid())
        at = later(at, m_tenantRetryAt);
    return at;
}

qsizetype PollPlanner::dueCount(bool urgent) const
{
    const int first = queueOf(urgent, false);
    return qsizetype(m_due[first].size() + m_due[first + 1].size());
}

QList<PollPlanner::Work> PollPlanner::takeWithinBudget(const OperationStore &store, bool urgent,
                                                       int max, const QDateTime &now)
{
    // The two queues of this kind, merged by rank: a lively entry is ranked half the effective
    // interval ahead of its time.
    const qint64 headStart = (m_effectiveInterval / 2).count();
    std::map<DueKey, DueWork> &quiet = m_due[queueOf(urgent, false)];
    std::map<DueKey, DueWork> &lively = m_due[queueOf(urgent, true)];
    const auto rankOf = [headStart](const DueKey &key, bool isLively) {
        return DueKey{isLively ? key.baseMs - headStart : key.baseMs, key.order};
    };
    QList<Work> taken;
    int tenantLeft = m_tenantWindow.available(now);
    QHash<QString, int> teamLeft;
    auto q = quiet.begin();
    auto l = lively.begin();
    while ((q != quiet.end() || l != lively.end()) && int(taken.size()) < max && tenantLeft > 0) {
        const bool fromLively =
            q == quiet.end() || (l != lively.end() && rankOf(l->first, true) < q->first);
        auto &it = fromLively ? l : q;
        std::map<DueKey, DueWork> &queue = fromLively ? lively : quiet;
        const DueWork &due = it->second;
        if (!teamLeft.contains(due.teamKey))
            teamLeft.insert(due.teamKey, teamBudget(due.teamKey).window.available(now));
        int &left = teamLeft[due.teamKey];
        if (left <= 0) {
            ++it;
            continue;
        }
        --left;
        --tenantLeft;
        Work work;
        work.teamKey = due.teamKey;
        work.urgent = urgent;
        work.rank = QDateTime::fromMSecsSinceEpoch(rankOf(it->first, fromLively).baseMs, Qt::UTC);
        if (due.index >= 0) {
            const WatchedOperation &op = store.at(due.index);
            work.kind = Work::Kind::Operation;
            work.key = op.key;
            work.url = op.ref.url();
        } else {
            work.kind = Work::Kind::TeamList;
            work.key = due.teamKey;
            work.url = due.listPage;
        }
        taken.append(std::move(work));
        it = queue.erase(it);
    }
    return taken;
}

QDateTime PollPlanner::budgetFreeAt(bool urgent, const QDateTime &now)
{
    // Only when a team's budget held work back: a walk over what is due, each team once.
    QDateTime wake;
    QSet<QString> seen;
    for (const bool lively : {false, true}) {
        for (const auto &[key, due] : m_due[queueOf(urgent, lively)]) {
            if (!seen.contains(due.teamKey)) {
                seen.insert(due.teamKey);
                wake = earlier(wake, teamBudget(due.teamKey).window.freeAt(now, 1));
            }
        }
    }
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
    refreshAgendas(store, now);
    updateCycle();

    const int size = batchSize();
    const auto send = [&](const QList<Work> &request) {
        recordSent(store, request, now);
        plan.requests.append(request);
    };
    // First sightings, retries and next pages go as soon as the budget allows, in full batches.
    while (dueCount(true) > 0) {
        const int want = std::min<int>(size, int(dueCount(true)));
        if (m_tenantWindow.available(now) < want) {
            plan.wakeAt = m_tenantWindow.freeAt(now, want);
            break;
        }
        const QList<Work> batch = takeWithinBudget(store, true, size, now);
        if (batch.isEmpty()) {
            plan.wakeAt = budgetFreeAt(true, now);
            break;
        }
        send(batch);
    }
    // Everything else: one batch per slot, slots spread over the effective interval.
    if (dueCount(false) == 0 || dueCount(true) > 0)
        return plan;
    const int want = std::min<int>(size, int(dueCount(false)));
    if (m_nextSlotAt.isValid() && m_nextSlotAt > now) {
        plan.wakeAt = earlier(plan.wakeAt, m_nextSlotAt);
    } else if (m_tenantWindow.available(now) < want) {
        plan.wakeAt = earlier(plan.wakeAt, m_tenantWindow.freeAt(now, want));
    } else if (const QList<Work> batch = takeWithinBudget(store, false, size, now);
               batch.isEmpty()) {
        plan.wakeAt = earlier(plan.wakeAt, budgetFreeAt(false, now));
    } else {
        send(batch);
        const QDateTime next =
            (m_nextSlotAt.isValid() ? m_nextSlotAt : now).addMSecs(m_slotSpacing.count());
        m_nextSlotAt = next > now ? next : now.addMSecs(m_slotSpacing.count());
        // Work a team's budget kept out of this batch goes when that budget allows, not a
        // whole slot later.
        if (batch.size() < want && dueCount(false) > 0)
            m_nextSlotAt = std::min(m_nextSlotAt, budgetFreeAt(false, now));
        if (dueCount(false) > 0)
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
