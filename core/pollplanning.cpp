// OperationPoller, part 1: deciding what to send and when. See operationpoller.h for the rules.
#include "clock.h"
#include "operationpoller.h"

#include <algorithm>
#include <limits>

using namespace std::chrono;

namespace {

// Operations that are moving, or moved lately, deserve their polls first when the budget is
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

} // namespace

bool OperationPoller::teamNeverListed(const QString &teamKey) const
{
    const auto state = m_teams.constFind(teamKey);
    return state == m_teams.cend() || state->listingsCompleted == 0;
}

bool OperationPoller::isUrgent(const WatchedOperation &op, bool listed, bool neverListed)
{
    // First sightings go out at once, one by one, unless the team's first list will bring them;
    // so do retries after a failure and operations a list left out.
    const bool firstSighting = op.polls == 0 && !(listed && neverListed);
    return firstSighting || op.consecutiveFailures > 0 || op.missingFromList || op.pollRequested;
}

bool OperationPoller::usesTeamList(const QString &teamKey) const
{
    if (!m_teamListsEnabled)
        return false;
    const auto state = m_teams.constFind(teamKey);
    if (state != m_teams.cend() && state->listUnsupported)
        return false;
    const bool neverListed = teamNeverListed(teamKey);
    int listed = 0;
    for (const qsizetype index : m_store.indexesOfTeam(teamKey)) {
        const WatchedOperation &op = m_store.at(index);
        if (op.isPolled() && (op.polls > 0 || neverListed) && !op.missingFromList)
            ++listed;
    }
    const int pages = state == m_teams.cend() ? 1 : state->pagesLastTime;
    // A list only pays when it replaces two or more GETs with fewer pages.
    return listed >= 2 && pages < listed;
}

void OperationPoller::updateCycle(const QDateTime &)
{
    int cost = 0;
    int busiestTeam = 0;
    for (auto it = m_store.teams().cbegin(); it != m_store.teams().cend(); ++it) {
        int active = 0;
        for (const qsizetype index : it.value())
            active += m_store.at(index).isPolled() ? 1 : 0;
        if (active == 0)
            continue;
        const int teamCost =
            usesTeamList(it.key()) ? m_teams.value(it.key()).pagesLastTime : active;
        cost += teamCost;
        busiestTeam = std::max(busiestTeam, teamCost);
    }
    const int batch = GraphClient::kMaxBatchSize;
    const int tenantBudget = std::max(1, m_tenantWindow.limit());
    // Only whole batches fit a one-second window of tenantBudget: 25/s carries one batch of 20.
    const int perSecond = tenantBudget >= batch ? (tenantBudget / batch) * batch : tenantBudget;
    const milliseconds tenantNeed(qint64(cost) * 1000 / perSecond);
    const milliseconds teamNeed(qint64(busiestTeam) * 1000 / std::max(1, m_teamBudget));
    m_effectiveInterval = std::max({m_interval, tenantNeed, teamNeed});
    const int batchesPerCycle = std::max(1, (cost + batch - 1) / batch);
    m_slotSpacing = m_effectiveInterval / batchesPerCycle;
}

QList<OperationPoller::Work> OperationPoller::dueWork(const QDateTime &now) const
{
    const milliseconds headStart = m_effectiveInterval / 2;
    QList<Work> work;
    for (auto it = m_store.teams().cbegin(); it != m_store.teams().cend(); ++it) {
        const QString &teamKey = it.key();
        const TeamState *state =
            m_teams.contains(teamKey) ? &m_teams.find(teamKey).value() : nullptr;
        if (state && state->retryAt.isValid() && state->retryAt > now)
            continue;
        const bool listed = usesTeamList(teamKey);
        const bool neverListed = teamNeverListed(teamKey);
        bool lively = false;
        QDateTime membersDue; // the list waits until every member may be polled again
        for (const qsizetype index : it.value()) {
            const WatchedOperation &op = m_store.at(index);
            if (!op.isPolled() || op.inFlight)
                continue;
            lively = lively || isLively(op, now);
            const bool urgent = isUrgent(op, listed, neverListed);
            // In a listed team only first sightings and stragglers are fetched one by one.
            if (listed && !urgent) {
                membersDue = later(membersDue, op.nextPollAt);
                continue;
            }
            if (op.nextPollAt > now)
                continue;
            const QDateTime rank =
                isLively(op, now) ? op.nextPollAt.addMSecs(-headStart.count()) : op.nextPollAt;
            work.append(Work{Work::Kind::Operation, op.ref.key(), op.ref.url, urgent, rank});
        }
        if (!listed || (state && state->listInFlight))
            continue;
        if (state && state->pendingPage.isValid()) {
            work.append(Work{Work::Kind::TeamList, teamKey, state->pendingPage, true,
                             state->listStartedAt});
        } else if (later(state ? state->nextListAt : QDateTime(), membersDue) <= now) {
            const QDateTime due = later(state ? state->nextListAt : QDateTime(), membersDue);
            const QUrl first = m_client.resolve(
                QStringLiteral("/teams/%1/operations?$top=%2").arg(teamKey).arg(kListPageSize));
            // After a failed listing it is a retry: it goes when allowed, not at the next slot.
            const bool retry = state && state->consecutiveFailures > 0;
            work.append(Work{Work::Kind::TeamList, teamKey, first, retry,
                             lively ? due.addMSecs(-headStart.count()) : due});
        }
    }
    return work;
}

QList<OperationPoller::Work> OperationPoller::takeWithinBudget(QList<Work> &candidates, int max,
                                                               const QDateTime &now)
{
    QList<Work> taken;
    int tenantLeft = m_tenantWindow.available(now);
    QHash<QString, int> teamLeft;
    for (auto it = candidates.begin();
         it != candidates.end() && int(taken.size()) < max && tenantLeft > 0;) {
        const QString teamKey =
            it->kind == Work::Kind::TeamList ? it->key : it->key.section(QLatin1Char('/'), 0, 0);
        if (!teamLeft.contains(teamKey))
            teamLeft.insert(teamKey, team(teamKey).window.available(now));
        int &left = teamLeft[teamKey];
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

QDateTime OperationPoller::budgetFreeAt(const QList<Work> &waiting, const QDateTime &now)
{
    QDateTime wake;
    for (const Work &work : waiting) {
        const QString teamKey =
            work.kind == Work::Kind::TeamList ? work.key : work.key.section(QLatin1Char('/'), 0, 0);
        wake = earlier(wake, team(teamKey).window.freeAt(now, 1));
    }
    return later(wake, m_tenantWindow.freeAt(now, 1));
}

void OperationPoller::pollDue()
{
    if (m_pausedForSignIn || !m_online) {
        m_timer.stop();
        emit scheduleChanged(QDateTime());
        return;
    }
    const QDateTime now = m_clock.now();
    if (m_tenantRetryAt.isValid() && m_tenantRetryAt > now) {
        rearm(m_tenantRetryAt, nextPollAt());
        return;
    }
    updateCycle(now);

    QList<Work> due = dueWork(now);
    const auto byRank = [](const Work &a, const Work &b) { return a.rank < b.rank; };
    QList<Work> urgent;
    QList<Work> regular;
    for (const Work &work : std::as_const(due))
        (work.urgent ? urgent : regular).append(work);
    std::stable_sort(urgent.begin(), urgent.end(), byRank);
    std::stable_sort(regular.begin(), regular.end(), byRank);

    const int batchSize = std::min(GraphClient::kMaxBatchSize, std::max(1, m_tenantWindow.limit()));
    QDateTime wake;
    // First sightings, retries and next pages go as soon as the budget allows, in full batches.
    while (!urgent.isEmpty()) {
        const int want = std::min<int>(batchSize, int(urgent.size()));
        if (m_tenantWindow.available(now) < want) {
            wake = m_tenantWindow.freeAt(now, want);
            break;
        }
        const QList<Work> batch = takeWithinBudget(urgent, batchSize, now);
        if (batch.isEmpty()) {
            wake = budgetFreeAt(urgent, now);
            break;
        }
        dispatch(batch, now);
    }
    // Everything else: one batch per slot, slots spread over the effective interval.
    if (!regular.isEmpty() && urgent.isEmpty()) {
        if (m_nextSlotAt.isValid() && m_nextSlotAt > now) {
            wake = earlier(wake, m_nextSlotAt);
        } else if (m_tenantWindow.available(now) < std::min<int>(batchSize, int(regular.size()))) {
            wake = earlier(
                wake, m_tenantWindow.freeAt(now, std::min<int>(batchSize, int(regular.size()))));
        } else {
            const QList<Work> batch = takeWithinBudget(regular, batchSize, now);
            if (batch.isEmpty()) {
                wake = earlier(wake, budgetFreeAt(regular, now));
            } else {
                dispatch(batch, now);
                const QDateTime next =
                    (m_nextSlotAt.isValid() ? m_nextSlotAt : now).addMSecs(m_slotSpacing.count());
                m_nextSlotAt = next > now ? next : now.addMSecs(m_slotSpacing.count());
                if (!regular.isEmpty())
                    wake = earlier(wake, m_nextSlotAt);
            }
        }
    }
    // And whatever falls due later.
    const QDateTime next = nextPollAt();
    if (next.isValid() && next > now)
        wake = earlier(wake, next);
    rearm(wake, next);
}

void OperationPoller::rearm(const QDateTime &wakeAt, const QDateTime &nextDue)
{
    if (!wakeAt.isValid()) {
        m_timer.stop();
    } else {
        const qint64 delay = std::max<qint64>(0, m_clock.now().msecsTo(wakeAt));
        m_timer.start(static_cast<int>(std::min<qint64>(delay, std::numeric_limits<int>::max())));
    }
    emit scheduleChanged(nextDue); // computed by the caller: it walks every operation
}

QDateTime OperationPoller::nextPollAt() const
{
    if (m_pausedForSignIn || !m_online)
        return QDateTime();
    QDateTime next;
    for (auto it = m_store.teams().cbegin(); it != m_store.teams().cend(); ++it) {
        const auto state = m_teams.constFind(it.key());
        const QDateTime teamRetry = state == m_teams.cend() ? QDateTime() : state->retryAt;
        const bool listed = usesTeamList(it.key());
        const bool neverListed = teamNeverListed(it.key());
        bool listPending = false;
        QDateTime membersDue;
        for (const qsizetype index : it.value()) {
            const WatchedOperation &op = m_store.at(index);
            if (!op.isPolled() || op.inFlight)
                continue;
            const bool urgent = isUrgent(op, listed, neverListed);
            if (listed && !urgent) {
                listPending = true;
                membersDue = later(membersDue, op.nextPollAt);
                continue;
            }
            QDateTime due = later(op.nextPollAt, teamRetry);
            if (!urgent)
                due = later(due, m_nextSlotAt);
            next = earlier(next, due);
        }
        if (listPending && state != m_teams.cend() && !state->listInFlight) {
            next = earlier(next, state->pendingPage.isValid()
                                     ? later(state->retryAt, m_clock.now())
                                     : later(later(later(state->nextListAt, membersDue), teamRetry),
                                             m_nextSlotAt));
        }
    }
    if (next.isValid() && m_tenantRetryAt.isValid())
        next = later(next, m_tenantRetryAt);
    return next;
}

void OperationPoller::dispatch(const QList<Work> &batch, const QDateTime &sentAt)
{
    m_tenantWindow.record(sentAt, int(batch.size()));
    for (const Work &work : batch) {
        if (work.kind == Work::Kind::TeamList) {
            TeamState &state = team(work.key);
            state.window.record(sentAt);
            state.listInFlight = true;
            if (!state.pendingPage.isValid()) { // a new listing starts
                state.listStartedAt = sentAt;
                state.nextListAt = sentAt.addMSecs(m_interval.count());
                state.seenInListing.clear();
                state.pagesInListing = 0;
            }
            state.pendingPage = QUrl();
        } else {
            WatchedOperation *op = operation(work.key);
            team(work.key.section(QLatin1Char('/'), 0, 0)).window.record(sentAt);
            op->inFlight = true;
            op->lastSentAt = sentAt;
        }
    }
    ++m_inFlightRequests;
    auto answered = [this, batch, sentAt](const GraphReply &envelope,
                                          const QHash<QString, GraphReply> &answers) {
        --m_inFlightRequests;
        PollRound round;
        const bool tenantThrottled = envelope.failure == GraphFailure::Throttled;
        if (tenantThrottled) {
            // A 429 on the batch itself applies to the whole tenant.
            ++m_tenantFailures;
            const milliseconds wait = waitAfter(envelope, m_tenantFailures);
            m_tenantRetryAt = m_clock.now().addMSecs(wait.count());
        } else if (envelope.ok()) {
            m_tenantFailures = 0;
        }
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const GraphReply &answer = envelope.ok() ? answers.value(QString::number(i)) : envelope;
            handleAnswer(batch.at(i), sentAt, answer, round);
        }
        finishRound(round);
        pollDue();
    };
    if (batch.size() == 1) {
        // Alone, a request needs no batch: its reply is its own answer (and a 429 on it applies
        // to that operation or team, not the tenant).
        m_client.get(batch.first().url, this, [answered](const GraphReply &reply) {
            answered(GraphReply(), QHash<QString, GraphReply>{{QStringLiteral("0"), reply}});
        });
        return;
    }
    QList<GraphClient::BatchGet> requests;
    for (qsizetype i = 0; i < batch.size(); ++i)
        requests.append(GraphClient::BatchGet{QString::number(i), batch.at(i).url});
    m_client.getBatch(requests, this, answered);
}
