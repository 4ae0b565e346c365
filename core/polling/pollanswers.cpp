// OperationPoller, part 2: what answers do to the records — team list pages, successes,
// failures. What an answer means for the schedule is PollPlanner's.
#include "polling/operationpoller.h"

#include "graph/graphpages.h"
#include "model/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

void OperationPoller::handleListPage(const Work &work, const GraphReply &reply, PollRound &round)
{
    const QDateTime now = m_clock.now();
    const QString &teamKey = work.teamKey;
    const QList<qsizetype> members = m_store.indexesOfTeam(teamKey);

    const OperationListPage page = readOperationListPage(reply.body);
    const bool readable = reply.ok() && page.readable;
    if (!readable) {
        GraphReply failure = reply;
        if (reply.ok()) {
            failure.failure = GraphFailure::MalformedReply;
            failure.errorMessage = QStringLiteral("the team's operation list is not readable");
        }
        ++round.polled;
        ++round.failed;
        round.lastFailure = failure.describe();
        round.unreachable += failure.isNoAnswer();
        const bool oneByOne = m_planner.listPageFailed(teamKey, work.url, failure, now);
        if (failure.failure == GraphFailure::Unauthorized) {
            pauseForSignIn(failure);
            return;
        }
        for (const qsizetype index : members) {
            if (m_store.at(index).isPolled() && !m_store.at(index).inFlight) {
                WatchedOperation &op = m_store.edit(index);
                op.missingFromList = oneByOne; // owed a poll of its own, now
                op.lastFailure = failure.failure;
                op.lastFailureMessage = failure.describe();
                emit pollFailed(op, failure);
            }
        }
        return;
    }

    const QDateTime listStartedAt = m_planner.listStartedAt(teamKey);
    QSet<QString> seen;
    // One copy of the page's ids for all its operations: a copy apiece cost 200 bytes each.
    const AnswerIds pageAnswer = AnswerIds::of(reply);
    for (const OperationListPage::Entry &entry : page.entries) {
        const qsizetype index =
            m_store.indexOf(teamKey + QLatin1Char('/') + entry.operation.id.toLower());
        if (index < 0 || !m_store.at(index).isPolled() || m_store.at(index).inFlight)
            continue;
        WatchedOperation *op = &m_store.edit(index);
        op->lastPolledAt = now;
        op->lastReply = entry.json;
        op->lastAnswer = pageAnswer;
        ++op->polls;
        ++round.polled;
        round.changed += recordSuccess(*op, entry.operation, listStartedAt) ? 1 : 0;
        seen.insert(op->key);
    }
    const PollPlanner::ListStep step = m_planner.listPageRead(teamKey, seen, page.nextLink, now);
    if (step == PollPlanner::ListStep::NextPage)
        return;
    if (step == PollPlanner::ListStep::Abandoned) {
        round.lastFailure =
            QStringLiteral("the operation list of team %1 never ends (a page links "
                           "back, or more than %2 pages); reading its operations "
                           "one by one")
                .arg(teamKey)
                .arg(PollPlanner::maxListPages(m_store.indexesOfTeam(teamKey).size()));
        emit notice(round.lastFailure);
    }
    // Operations the list left out (too new, or listed elsewhere) are asked for directly.
    const QSet<QString> listed = m_planner.seenInListing(teamKey);
    for (const qsizetype index : members) {
        const WatchedOperation &member = m_store.at(index);
        if (member.isPolled() && !member.inFlight && !listed.contains(member.key)) {
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
        m_graphUnreachable = round.reachedNothing();
        if (round.failed > 0)
            m_lastFailure = round.lastFailure;
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
        operation.history.append(StatusChange{
            operation.lastPolledAt, snapshot.statusRaw, snapshot.status, snapshot.attemptsCount,
            snapshot.error, snapshot.targetResourceLocation, operation.lastAnswer});
    }
    operation.pollRequested = false;
    operation.latest = snapshot;
    // Its id is the one its Location named: held once, not twice.
    if (operation.latest->id == operation.ref.operationId)
        operation.latest->id = operation.ref.operationId;
    operation.consecutiveFailures = 0;
    operation.consecutiveNotFound = 0;
    operation.missingFromList = false;
    operation.lastFailure = GraphFailure::None;
    operation.lastFailureMessage.clear();
    operation.nextPollAt = m_planner.nextPollAfterSuccess(sentAt);
    emit operationObserved(operation, changed);
    return changed;
}

void OperationPoller::recordFailure(WatchedOperation &operation, const GraphReply &reply)
{
    ++operation.consecutiveFailures;
    operation.pollRequested = false;
    operation.lastFailure = reply.failure;
    operation.lastFailureMessage = reply.describe();
    operation.nextPollAt = m_planner.nextPollAfterFailure(operation, reply, m_clock.now());
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
