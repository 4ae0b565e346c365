#include "operationpoller.h"

#include "clock.h"
#include "graphclient.h"

#include <QRandomGenerator>

#include <algorithm>
#include <limits>

using namespace std::chrono;

OperationPoller::OperationPoller(GraphClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
    , m_interval(kServiceFloor)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
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
    return m_interval;
}

bool OperationPoller::watch(const OperationRef &ref, const QString &locationText)
{
    if (m_indexByKey.contains(ref.key()))
        return false;
    WatchedOperation operation;
    operation.ref = ref;
    operation.locationText = locationText.isEmpty() ? ref.location() : locationText.trimmed();
    operation.nextPollAt = m_clock.now();
    m_indexByKey.insert(ref.key(), m_operations.size());
    m_operations.append(operation);
    m_reportedAllTerminal = false;
    emit operationAdded(m_operations.constLast());
    // Send from the event loop, so a caller adding many operations sees them go out together.
    QTimer::singleShot(0, this, &OperationPoller::pollDue);
    return true;
}

const WatchedOperation *OperationPoller::find(const OperationRef &ref) const
{
    const auto it = m_indexByKey.constFind(ref.key());
    return it == m_indexByKey.cend() ? nullptr : &m_operations.at(*it);
}

bool OperationPoller::allTerminal() const
{
    return std::all_of(m_operations.cbegin(), m_operations.cend(),
                       [](const WatchedOperation &op) { return op.isTerminal(); });
}

void OperationPoller::resume()
{
    m_pausedForSignIn = false;
    const QDateTime now = m_clock.now();
    for (WatchedOperation &operation : m_operations) {
        if (!operation.isTerminal())
            operation.nextPollAt = std::min(operation.nextPollAt, now);
    }
    pollDue();
}

QDateTime OperationPoller::nextPollAt() const
{
    QDateTime next;
    if (m_pausedForSignIn)
        return next;
    for (const WatchedOperation &operation : m_operations) {
        if (operation.isTerminal() || operation.inFlight)
            continue;
        if (!next.isValid() || operation.nextPollAt < next)
            next = operation.nextPollAt;
    }
    return next;
}

void OperationPoller::pollDue()
{
    if (m_pausedForSignIn)
        return;
    const QDateTime now = m_clock.now();
    const int round = m_nextRound;
    int sent = 0;
    for (WatchedOperation &operation : m_operations) {
        if (!operation.isTerminal() && !operation.inFlight && operation.nextPollAt <= now) {
            send(operation, round);
            ++sent;
        }
    }
    if (sent > 0) {
        ++m_nextRound;
        m_openRounds.insert(round, PollRound());
        m_outstandingByRound.insert(round, sent);
    }
    rearm();
}

void OperationPoller::send(WatchedOperation &operation, int round)
{
    operation.inFlight = true;
    const QString key = operation.ref.key();
    m_client.get(operation.ref.url, this,
                 [this, key, round](const GraphReply &reply) { handleReply(key, round, reply); });
}

void OperationPoller::countIntoRound(int round, bool changed, const GraphReply *failure)
{
    const auto open = m_openRounds.find(round);
    if (open == m_openRounds.end())
        return;
    ++open->polled;
    open->changed += changed ? 1 : 0;
    if (failure) {
        ++open->failed;
        open->lastFailure = failure->describe();
    }
    if (--m_outstandingByRound[round] > 0)
        return;
    PollRound finished = *open;
    finished.finishedAt = m_clock.now();
    m_openRounds.erase(open);
    m_outstandingByRound.remove(round);
    emit roundFinished(finished);
}

void OperationPoller::handleReply(const QString &key, int round, const GraphReply &reply)
{
    const auto index = m_indexByKey.constFind(key);
    if (index == m_indexByKey.cend())
        return;
    WatchedOperation &operation = m_operations[*index];
    operation.inFlight = false;
    operation.lastPolledAt = m_clock.now();
    ++operation.polls;

    const OperationParseResult parsed =
        reply.ok() ? parseOperation(reply.body) : OperationParseResult();
    if (parsed.operation) {
        const bool changed = recordSuccess(operation, *parsed.operation);
        countIntoRound(round, changed, nullptr);
    } else {
        GraphReply failure = reply;
        if (reply.ok()) { // a 2xx whose body is not an operation
            failure.failure = GraphFailure::MalformedReply;
            failure.errorMessage = parsed.error;
        }
        recordFailure(operation, failure);
        countIntoRound(round, false, &failure);
    }

    if (reply.failure == GraphFailure::Unauthorized && !m_pausedForSignIn) {
        m_pausedForSignIn = true;
        m_timer.stop();
        emit authenticationRequired(reply.describe());
    }
    rearm();
    if (!m_reportedAllTerminal && allTerminal()) {
        m_reportedAllTerminal = true;
        emit allOperationsTerminal();
    }
}

bool OperationPoller::recordSuccess(WatchedOperation &operation, const Operation &snapshot)
{
    const std::optional<Operation> &previous = operation.latest;
    const bool changed = !previous || previous->statusRaw != snapshot.statusRaw ||
                         previous->attemptsCount != snapshot.attemptsCount ||
                         previous->error != snapshot.error;
    operation.latest = snapshot;
    operation.consecutiveFailures = 0;
    operation.lastFailure = GraphFailure::None;
    operation.lastFailureMessage.clear();
    operation.nextPollAt = operation.lastPolledAt.addMSecs(m_interval.count());
    emit operationObserved(operation, changed);
    return changed;
}

void OperationPoller::recordFailure(WatchedOperation &operation, const GraphReply &reply)
{
    ++operation.consecutiveFailures;
    operation.lastFailure = reply.failure;
    operation.lastFailureMessage = reply.describe();
    // Retry-After is a floor set by the service; without one, back off exponentially.
    const milliseconds wait =
        reply.retryAfter ? milliseconds(*reply.retryAfter) : backoff(operation.consecutiveFailures);
    operation.nextPollAt = operation.lastPolledAt.addMSecs(std::max(wait, m_interval).count());
    emit pollFailed(operation, reply);
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

void OperationPoller::rearm()
{
    const QDateTime next = nextPollAt();
    if (!next.isValid()) {
        m_timer.stop();
    } else {
        const qint64 delay = std::max<qint64>(0, m_clock.now().msecsTo(next));
        m_timer.start(static_cast<int>(std::min<qint64>(delay, std::numeric_limits<int>::max())));
    }
    emit scheduleChanged(next);
}
