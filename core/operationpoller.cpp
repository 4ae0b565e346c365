// OperationPoller, part 2: the watch list and what answers do to it. Planning is in
// pollplanning.cpp.
#include "operationpoller.h"

#include "clock.h"
#include "retryafter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>

using namespace std::chrono;

OperationPoller::OperationPoller(GraphClient &client, Clock &clock, OperationStore &store,
                                 QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
    , m_store(store)
    , m_interval(kServiceFloor)
    , m_effectiveInterval(kServiceFloor)
    , m_slotSpacing(kServiceFloor)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OperationPoller::pollDue);
    connect(&m_clock, &Clock::jumped, this, &OperationPoller::pollDue);
}

milliseconds OperationPoller::minimumInterval() const
{
    return m_client.talksToLoopback() ? kLoopbackFloor : kServiceFloor;
}

milliseconds OperationPoller::setInterval(milliseconds interval)
{
    m_interval = std::max(interval, minimumInterval());
    m_effectiveInterval = std::max(m_effectiveInterval, m_interval);
    return m_interval;
}

void OperationPoller::setBudget(int tenantPerSecond, int teamPerSecond)
{
    m_tenantWindow.setLimit(std::max(1, tenantPerSecond));
    m_teamBudget = std::max(1, teamPerSecond);
    for (TeamState &state : m_teams)
        state.window.setLimit(m_teamBudget);
}

OperationPoller::TeamState &OperationPoller::team(const QString &teamKey)
{
    auto it = m_teams.find(teamKey);
    if (it == m_teams.end()) {
        it = m_teams.insert(teamKey, TeamState());
        it->window.setLimit(m_teamBudget);
    }
    return *it;
}

bool OperationPoller::watch(const OperationRef &ref, const QString &locationText)
{
    WatchedOperation operation;
    operation.ref = ref;
    operation.locationText = locationText.isEmpty() ? ref.location() : locationText.trimmed();
    operation.nextPollAt = m_clock.now();
    if (!m_store.add(std::move(operation)))
        return false;
    m_reportedAllTerminal = false;
    schedulePlanning(); // so a caller adding many operations sees them go out together
    return true;
}

void OperationPoller::schedulePlanning()
{
    if (m_planningQueued)
        return;
    m_planningQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_planningQueued = false;
        pollDue();
    });
}

void OperationPoller::retry(const OperationRef &ref)
{
    WatchedOperation *op = operation(ref.key());
    if (!op || op->watch == WatchedOperation::Watch::Active)
        return;
    op->watch = WatchedOperation::Watch::Active;
    op->consecutiveNotFound = 0;
    op->firstNotFoundAt = QDateTime();
    m_reportedAllTerminal = false;
    requestPoll(*op, m_interval); // not sooner than the interval after the last poll
}

QDateTime OperationPoller::requestPoll(WatchedOperation &op, milliseconds floor)
{
    const QDateTime now = m_clock.now();
    op.nextPollAt =
        op.lastSentAt.isValid() ? std::max(now, op.lastSentAt.addMSecs(floor.count())) : now;
    op.pollRequested = true; // skips the slot queue, not the floor or the budget
    schedulePlanning();
    return op.inFlight ? now : op.nextPollAt;
}

bool OperationPoller::unwatch(const OperationRef &ref)
{
    return unwatch(QList<OperationRef>{ref}) == 1;
}

qsizetype OperationPoller::unwatch(const QList<OperationRef> &refs)
{
    QStringList keys;
    keys.reserve(refs.size());
    for (const OperationRef &ref : refs)
        keys.append(ref.key());
    // A reply still in flight for a removed operation finds no record and is dropped.
    return m_store.remove(keys);
}

void OperationPoller::setWatching(const OperationRef &ref, bool watching)
{
    WatchedOperation *op = operation(ref.key());
    if (!op)
        return;
    if (!watching && op->watch == WatchedOperation::Watch::Active) {
        op->watch = WatchedOperation::Watch::Paused;
    } else if (watching && op->watch == WatchedOperation::Watch::Paused) {
        op->watch = WatchedOperation::Watch::Active;
        op->nextPollAt = std::min(op->nextPollAt, m_clock.now());
        op->pollRequested = op->nextPollAt <= m_clock.now(); // overdue: catch up at once
        m_reportedAllTerminal = false;
    } else {
        return;
    }
    schedulePlanning();
}

QDateTime OperationPoller::pollNow(const OperationRef &ref)
{
    WatchedOperation *op = operation(ref.key());
    if (!op || !op->isPolled())
        return QDateTime();
    // The service's floor (30 s, not the chosen interval) still holds for a poll on request.
    return requestPoll(*op, minimumInterval());
}

bool OperationPoller::allTerminal() const
{
    const QList<WatchedOperation> &records = m_store.records();
    return std::none_of(records.cbegin(), records.cend(),
                        [](const WatchedOperation &op) { return op.isPolled(); });
}

void OperationPoller::resume()
{
    m_pausedForSignIn = false;
    const QDateTime now = m_clock.now();
    for (qsizetype i = 0; i < m_store.size(); ++i) {
        const WatchedOperation &operation = m_store.at(i);
        if (operation.isPolled() && operation.nextPollAt > now)
            m_store.edit(i).nextPollAt = now;
    }
    pollDue();
}

void OperationPoller::setOnline(bool online)
{
    if (online == m_online)
        return;
    m_online = online;
    emit onlineChanged(online);
    pollDue(); // stops the timer when offline, sends what is due when back
}

QDateTime OperationPoller::tenantThrottledUntil() const
{
    return m_tenantRetryAt.isValid() && m_tenantRetryAt > m_clock.now() ? m_tenantRetryAt
                                                                        : QDateTime();
}

void OperationPoller::handleAnswer(const Work &work, const QDateTime &sentAt,
                                   const GraphReply &reply, PollRound &round)
{
    if (work.kind == Work::Kind::TeamList) {
        handleListPage(work, sentAt, reply, round);
        return;
    }
    WatchedOperation *op = operation(work.key);
    if (!op)
        return;
    op->inFlight = false;
    op->lastPolledAt = m_clock.now();
    ++op->polls;
    ++round.polled;

    const OperationParseResult parsed =
        reply.ok() ? parseOperation(reply.body) : OperationParseResult();
    if (parsed.operation) {
        op->lastReply = reply.body;
        round.changed += recordSuccess(*op, *parsed.operation, sentAt) ? 1 : 0;
        return;
    }
    GraphReply failure = reply;
    if (reply.ok()) { // a 2xx whose body is not an operation
        failure.failure = GraphFailure::MalformedReply;
        failure.errorMessage = parsed.error;
    }
    ++round.failed;
    round.lastFailure = failure.describe();
    if (failure.failure == GraphFailure::Forbidden) {
        op->watch = WatchedOperation::Watch::AccessDenied; // asking again will not help
    } else if (failure.failure == GraphFailure::NotFound) {
        // A brand-new operation can 404 for a little while; only a lasting 404 means "gone".
        if (op->consecutiveNotFound++ == 0)
            op->firstNotFoundAt = op->lastPolledAt;
        if (op->consecutiveNotFound >= kNotFoundLimit &&
            op->firstNotFoundAt.secsTo(op->lastPolledAt) >=
                duration_cast<seconds>(kNotFoundPatience).count()) {
            op->watch = WatchedOperation::Watch::NotFound;
        }
    }
    recordFailure(*op, failure);
    if (failure.failure == GraphFailure::Unauthorized)
        pauseForSignIn(failure);
}

void OperationPoller::handleListPage(const Work &work, const QDateTime &, const GraphReply &reply,
                                     PollRound &round)
{
    TeamState &state = team(work.key);
    state.listInFlight = false;
    const QDateTime now = m_clock.now();
    const QList<qsizetype> members = m_store.indexesOfTeam(work.key);

    const QJsonObject page = QJsonDocument::fromJson(reply.body).object();
    const bool readable = reply.ok() && page.value(QLatin1String("value")).isArray();
    if (!readable) {
        GraphReply failure = reply;
        if (reply.ok()) {
            failure.failure = GraphFailure::MalformedReply;
            failure.errorMessage = QStringLiteral("the team's operation list is not readable");
        }
        ++round.polled;
        ++round.failed;
        round.lastFailure = failure.describe();
        if (failure.failure == GraphFailure::Unauthorized) {
            pauseForSignIn(failure);
            return;
        }
        ++state.consecutiveFailures;
        if (failure.failure == GraphFailure::Throttled) {
            // Retry-After on a team's list holds back everything of that team.
            const milliseconds wait = waitAfter(failure, state.consecutiveFailures);
            state.retryAt = now.addMSecs(wait.count());
            // Carry on where a listing stopped; a refused first page starts a new listing later
            // (so the interval counts from when that one goes out).
            state.pendingPage = state.pagesInListing > 0 ? work.url : QUrl();
        } else if (failure.httpStatus >= 400 && failure.httpStatus < 500) {
            // The list call is an optimisation Graph does not document; without it, GET each.
            state.listUnsupported = true;
        } else {
            state.nextListAt =
                now.addMSecs(std::max(backoff(state.consecutiveFailures), m_interval).count());
        }
        for (const qsizetype index : members) {
            if (m_store.at(index).isPolled() && !m_store.at(index).inFlight) {
                WatchedOperation &op = m_store.edit(index);
                op.missingFromList = state.listUnsupported; // owed a poll of its own, now
                op.lastFailure = failure.failure;
                op.lastFailureMessage = failure.describe();
                emit pollFailed(op, failure);
            }
        }
        return;
    }

    state.consecutiveFailures = 0;
    ++state.pagesInListing;
    const QJsonArray values = page.value(QLatin1String("value")).toArray();
    for (const QJsonValue &value : values) {
        const OperationParseResult parsed = parseOperation(value.toObject());
        if (!parsed.operation)
            continue;
        const qsizetype index =
            m_store.indexOf(work.key + QLatin1Char('/') + parsed.operation->id.toLower());
        if (index < 0 || !m_store.at(index).isPolled() || m_store.at(index).inFlight)
            continue;
        WatchedOperation *op = &m_store.edit(index);
        op->lastPolledAt = now;
        op->lastReply = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        ++op->polls;
        ++round.polled;
        round.changed += recordSuccess(*op, *parsed.operation, state.listStartedAt) ? 1 : 0;
        state.seenInListing.insert(op->ref.key());
    }
    const QString nextLink = page.value(QLatin1String("@odata.nextLink")).toString();
    if (!nextLink.isEmpty()) {
        state.pendingPage = QUrl(nextLink);
        return;
    }
    state.pagesLastTime = std::max(1, state.pagesInListing);
    ++state.listingsCompleted;
    // Operations the list left out (too new, or listed elsewhere) are asked for directly.
    for (const qsizetype index : members) {
        const WatchedOperation &member = m_store.at(index);
        if (member.isPolled() && !member.inFlight && !state.seenInListing.contains(member.key)) {
            WatchedOperation &op = m_store.edit(index);
            op.missingFromList = true;
            op.nextPollAt = std::min(op.nextPollAt, now);
        }
    }
}

void OperationPoller::finishRound(PollRound &round)
{
    if (round.polled > 0) {
        round.finishedAt = m_clock.now();
        emit roundFinished(round);
    }
    if (!m_reportedAllTerminal && !m_store.isEmpty() && allTerminal()) {
        m_reportedAllTerminal = true;
        emit allOperationsTerminal();
    }
}

bool OperationPoller::recordSuccess(WatchedOperation &operation, const Operation &snapshot,
                                    const QDateTime &sentAt)
{
    const std::optional<Operation> &previous = operation.latest;
    const bool changed = !previous || previous->statusRaw != snapshot.statusRaw ||
                         previous->attemptsCount != snapshot.attemptsCount ||
                         previous->error != snapshot.error;
    // A first sighting is not a change: it says nothing about whether the operation is moving.
    if (changed && previous)
        operation.lastChangedAt = operation.lastPolledAt;
    if (changed) {
        operation.history.append(StatusChange{operation.lastPolledAt, snapshot.statusRaw,
                                              snapshot.status, snapshot.attemptsCount,
                                              snapshot.error});
    }
    operation.pollRequested = false;
    operation.latest = snapshot;
    operation.consecutiveFailures = 0;
    operation.consecutiveNotFound = 0;
    operation.missingFromList = false;
    operation.lastFailure = GraphFailure::None;
    operation.lastFailureMessage.clear();
    // The interval runs from when the poll went out, so polls keep their phase.
    operation.nextPollAt = sentAt.addMSecs(m_interval.count());
    emit operationObserved(operation, changed);
    return changed;
}

void OperationPoller::recordFailure(WatchedOperation &operation, const GraphReply &reply)
{
    ++operation.consecutiveFailures;
    operation.pollRequested = false;
    operation.lastFailure = reply.failure;
    operation.lastFailureMessage = reply.describe();
    // Retry-After is a floor set by the service; without one, back off exponentially.
    const milliseconds wait = waitAfter(reply, operation.consecutiveFailures);
    operation.nextPollAt = operation.lastPolledAt.addMSecs(std::max(wait, m_interval).count());
    if (m_tenantRetryAt.isValid())
        operation.nextPollAt = std::max(operation.nextPollAt, m_tenantRetryAt);
    emit pollFailed(operation, reply);
}

void OperationPoller::pauseForSignIn(const GraphReply &reply)
{
    if (m_pausedForSignIn)
        return;
    m_pausedForSignIn = true;
    m_timer.stop();
    emit authenticationRequired(reply.describe());
}

milliseconds OperationPoller::waitAfter(const GraphReply &reply, int consecutiveFailures) const
{
    // Read against our clock (an HTTP date means nothing against the wall clock in a test or a
    // simulated week), and capped: one answer must not park polling for good.
    if (const auto asked = parseRetryAfter(reply.retryAfterHeader, m_clock.now()))
        return std::min<milliseconds>(*asked, kRetryAfterCap);
    return backoff(consecutiveFailures);
}

milliseconds OperationPoller::backoff(int consecutiveFailures) const
{
    // 3 s doubling per failure (as the Graph SDKs do), capped, with up to 20 % jitter upwards so
    // many operations failing together do not come back in lockstep.
    const int doublings = std::clamp(consecutiveFailures - 1, 0, 16);
    const milliseconds base = std::min<milliseconds>(seconds(3) * (1 << doublings), kMaxBackoff);
    const double jitter = 1.0 + QRandomGenerator::global()->bounded(0.2);
    return std::min(milliseconds(static_cast<qint64>(static_cast<double>(base.count()) * jitter)),
                    kMaxBackoff);
}
