#include "polling/operationpoller.h"

#include "model/clock.h"
#include "polling/pacedrequests.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include <algorithm>
#include <limits>

using namespace std::chrono;

namespace {

// What Graph says when it wants us slower: a 429, or a 503 that names a time to come back.
bool asksToSlowDown(const GraphReply &reply)
{
    return reply.failure == GraphFailure::Throttled ||
           (reply.httpStatus == 503 && !reply.retryAfterHeader.isEmpty());
}

} // namespace

OperationPoller::OperationPoller(GraphClient &client, Clock &clock, OperationStore &store,
                                 QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
    , m_store(store)
    , m_planner([&client](const QString &path) { return client.resolve(path); })
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OperationPoller::pollDue);
    connect(&m_clock, &Clock::jumped, this, &OperationPoller::pollDue);
    m_client.setPacer(new PacedRequests(*this, m_clock, this));
    // Records restored from disk or added by another process are polled like any other.
    connect(&m_store, &OperationStore::added, this, [this] {
        m_reportedAllTerminal = false;
        schedulePlanning();
    });
    if (!m_store.isEmpty())
        schedulePlanning();
}

void OperationPoller::tenantRequestThrottled(const QDateTime &sentAt)
{
    PollPlanner::Feedback feedback;
    feedback.sentAt = sentAt;
    feedback.envelopeThrottled = true; // not on a team: the tenant's limit
    m_planner.learn(feedback, m_clock.now());
}

void OperationPoller::restorePace(const QJsonObject &saved)
{
    m_planner.restorePace(saved, m_clock.now());
}

milliseconds OperationPoller::minimumInterval() const
{
    return m_client.talksToLoopback() ? kLoopbackFloor : kServiceFloor;
}

milliseconds OperationPoller::setInterval(milliseconds interval)
{
    return m_planner.setInterval(interval, minimumInterval());
}

void OperationPoller::setBudget(int tenantPerSecond, int teamPerSecond)
{
    m_planner.setBudget(tenantPerSecond, teamPerSecond);
}

bool OperationPoller::watch(const OperationRef &ref, const QString &locationText,
                            const QString &startedBy)
{
    // Watched already (restored from the store, say): the URL resolved now, against the Graph
    // URL in use now, is the one to poll.
    if (const WatchedOperation *known = m_store.find(ref.key())) {
        if (known->ref.graphBase != ref.graphBase)
            m_store.edit(ref.key())->ref.graphBase = ref.graphBase;
        return false;
    }
    WatchedOperation operation;
    operation.ref = ref;
    operation.setLocation(locationText.isEmpty() ? ref.location() : locationText.trimmed());
    operation.addedAt = m_clock.now();
    operation.nextPollAt = operation.addedAt;
    operation.startedBy = startedBy.isEmpty() ? m_starter : startedBy;
    if (!operation.startedBy.isEmpty())
        operation.startedOn = m_hostName;
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
    requestPoll(*op, interval()); // not sooner than the interval after the last poll
}

QDateTime OperationPoller::requestPoll(WatchedOperation &op, milliseconds floor)
{
    op.nextPollAt = PollPlanner::requestedPollAt(op, floor, m_clock.now());
    op.pollRequested = true; // skips the slot queue, not the floor or the budget
    schedulePlanning();
    return op.inFlight ? m_clock.now() : op.nextPollAt;
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

void OperationPoller::pauseUntilSignedIn()
{
    m_pausedForSignIn = true;
    pollDue(); // stops the timer and says there is no next poll
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

void OperationPoller::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    pollDue(); // stops the timer when following, sends what is due when taking over
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
    return m_planner.tenantRetryAt(m_clock.now());
}

QDateTime OperationPoller::nextPollAt() const
{
    if (m_pausedForSignIn || !m_online)
        return QDateTime();
    return m_planner.nextPollAt(m_store, m_clock.now());
}

void OperationPoller::pollDue()
{
    if (m_pausedForSignIn || !m_online || m_following) {
        rearm(QDateTime());
        emit scheduleChanged(QDateTime());
        return;
    }
    const QDateTime now = m_clock.now();
    const PollPlanner::Plan plan = m_planner.plan(m_store, now);
    for (const PollPlanner::Request &request : plan.requests)
        send(request, now);
    // Wake for the budget or the next slot, or for whatever falls due later.
    const QDateTime next = nextPollAt();
    QDateTime wake = plan.wakeAt;
    if (next.isValid() && next > now && (!wake.isValid() || next < wake))
        wake = next;
    rearm(wake);
    emit scheduleChanged(next);
}

void OperationPoller::rearm(const QDateTime &wakeAt)
{
    m_wakeAt = wakeAt;
    if (!wakeAt.isValid()) {
        m_timer.stop();
        return;
    }
    const qint64 delay = std::max<qint64>(0, m_clock.now().msecsTo(wakeAt));
    m_timer.start(static_cast<int>(std::min<qint64>(delay, std::numeric_limits<int>::max())));
}

void OperationPoller::send(const PollPlanner::Request &request, const QDateTime &sentAt)
{
    for (const Work &work : request) {
        if (work.kind != Work::Kind::Operation)
            continue;
        WatchedOperation *op = operation(work.key);
        op->inFlight = true;
        op->lastSentAt = sentAt;
    }
    ++m_inFlightRequests;
    auto answered = [this, request, sentAt](const GraphReply &envelope,
                                            const QHash<QString, GraphReply> &answers) {
        --m_inFlightRequests;
        const QDateTime now = m_clock.now();
        if (request.size() > 1 && batchEndpointRefused(envelope)) {
            fallBackFromBatches(request, envelope);
            return;
        }
        m_planner.envelopeAnswered(envelope, now);
        PollPlanner::Feedback feedback;
        feedback.sentAt = sentAt;
        feedback.envelopeThrottled = envelope.failure == GraphFailure::Throttled;
        PollRound round;
        for (qsizetype i = 0; i < request.size(); ++i) {
            const Work &work = request.at(i);
            const GraphReply &answer = envelope.ok() ? answers.value(QString::number(i)) : envelope;
            if (envelope.ok() && asksToSlowDown(answer))
                feedback.throttledTeams.insert(work.teamKey);
            else if (answer.ok())
                feedback.cleanTeams.insert(work.teamKey);
            handleAnswer(work, sentAt, answer, round);
        }
        m_planner.learn(feedback, now);
        finishRound(round);
        pollDue();
    };
    if (request.size() == 1) {
        // Alone, a request needs no batch: its reply is its own answer (and a 429 on it applies
        // to that operation or team, not the tenant).
        m_client.get(request.first().url, this, [answered](const GraphReply &reply) {
            answered(GraphReply(), QHash<QString, GraphReply>{{QStringLiteral("0"), reply}});
        });
        return;
    }
    QList<GraphClient::BatchGet> batch;
    for (qsizetype i = 0; i < request.size(); ++i)
        batch.append(GraphClient::BatchGet{QString::number(i), request.at(i).url});
    m_client.getBatch(batch, this, answered);
}

bool OperationPoller::batchEndpointRefused(const GraphReply &envelope)
{
    // Refused, not for the operations in it but for being a batch: a proxy or a policy that
    // blocks POST /$batch (403, 404, 405, or 400 for a body it would not read). 401 is the
    // token's, 429 and 5xx are Graph's load, and are handled as such.
    return envelope.httpStatus == 403 || envelope.httpStatus == 404 || envelope.httpStatus == 405 ||
           envelope.httpStatus == 400;
}

void OperationPoller::fallBackFromBatches(const PollPlanner::Request &request,
                                          const GraphReply &envelope)
{
    const bool firstRefusal = m_planner.isBatchingEnabled();
    m_planner.disableBatching();
    m_planner.requeue(request);
    const QDateTime now = m_clock.now();
    for (const Work &work : request) {
        WatchedOperation *op = work.kind == Work::Kind::Operation ? operation(work.key) : nullptr;
        if (!op)
            continue;
        op->inFlight = false;
        op->nextPollAt = now; // asked again at once, on its own: nothing is known against it
        op->pollRequested = true;
    }
    PollRound round;
    round.failed = int(request.size());
    round.polled = int(request.size());
    round.lastFailure = tr("Graph's $batch endpoint refused the request (%1); polling each "
                           "operation on its own from now on")
                            .arg(envelope.describe());
    if (firstRefusal) // batches already on their way may be refused too: say it once
        emit notice(round.lastFailure);
    finishRound(round);
    pollDue();
}

void OperationPoller::handleAnswer(const Work &work, const QDateTime &sentAt,
                                   const GraphReply &reply, PollRound &round)
{
    if (work.kind == Work::Kind::TeamList) {
        handleListPage(work, reply, round);
        return;
    }
    WatchedOperation *op = operation(work.key);
    if (!op)
        return;
    op->inFlight = false;
    op->lastPolledAt = m_clock.now();
    op->lastAnswer = AnswerIds::of(reply);
    ++op->polls;
    ++round.polled;

    const OperationParseResult parsed =
        reply.ok() ? parseOperation(reply.body) : OperationParseResult();
    if (parsed.operation) {
        op->lastReply = reply.body;
        op->lastReply.squeeze(); // kept as long as the record: without the reader's spare room
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
    round.unreachable += failure.isNoAnswer();
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
