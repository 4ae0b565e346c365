#include "polling/pollstate.h"

#include "model/clock.h"
#include "polling/operationpoller.h"
#include "store/operationcounts.h"

using namespace std::chrono;

PollState::PollState(OperationPoller &poller, const OperationCounts &counts, Clock &clock,
                     QObject *parent)
    : QObject(parent)
    , m_poller(poller)
    , m_counts(counts)
    , m_clock(clock)
    , m_nextPollAt(poller.nextPollAt())
{
    connect(&poller, &OperationPoller::scheduleChanged, this, [this](const QDateTime &next) {
        m_nextPollAt = next;
        emit changed();
    });
    connect(&poller, &OperationPoller::onlineChanged, this, &PollState::changed);
    connect(&poller, &OperationPoller::roundFinished, this, &PollState::changed);
    connect(&counts, &OperationCounts::countsChanged, this, &PollState::changed);
}

void PollState::setPolledBy(const QString &poller)
{
    m_polledBy = poller;
    emit changed();
}

void PollState::setSignInNeeded(bool needed)
{
    m_signInNeeded = needed;
    emit changed();
}

PollState::Kind PollState::kind() const
{
    // In order of what matters most to the admin: nothing else holds while it does.
    if (!m_polledBy.isEmpty())
        return Kind::Following;
    if (m_counts.total() == 0)
        return Kind::NothingToWatch;
    if (m_counts.count(OperationOutcome::Pending) == 0)
        return Kind::AllFinished;
    if (!m_poller.isOnline())
        return Kind::Offline;
    if (m_signInNeeded || m_poller.isPausedForSignIn())
        return Kind::NeedsSignIn;
    if (m_poller.tenantThrottledUntil().isValid())
        return Kind::Throttled;
    if (m_poller.isGraphUnreachable())
        return Kind::Unreachable;
    return Kind::Polling;
}

int PollState::secondsUntil(const QDateTime &time) const
{
    return int(std::max<qint64>(0, (m_clock.now().msecsTo(time) + 999) / 1000));
}

QString PollState::stateText() const
{
    switch (kind()) {
    case Kind::NothingToWatch:
        return tr("Nothing to watch yet");
    case Kind::AllFinished:
        return tr("All operations finished");
    case Kind::Following:
        return tr("Polled by %1: showing what it sees").arg(m_polledBy);
    case Kind::Offline:
        return tr("Offline: polling paused until the network is back");
    case Kind::NeedsSignIn:
        return tr("Not signed in: polling waits for a sign-in");
    case Kind::Throttled:
        return tr("Graph asked this tenant to wait: polling resumes at %1")
            .arg(
                m_poller.tenantThrottledUntil().toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    case Kind::Unreachable:
        return m_nextPollAt.isValid() ? tr("Graph cannot be reached: trying again in %1 s")
                                            .arg(secondsUntil(m_nextPollAt))
                                      : tr("Graph cannot be reached");
    case Kind::Polling:
        break;
    }
    return QString();
}

QString PollState::schedule() const
{
    if (kind() != Kind::Polling)
        return stateText();
    const qint64 every = duration_cast<seconds>(m_poller.effectiveInterval()).count();
    // Said when the budget, not the chosen interval, sets the pace.
    const QString cadence = m_poller.effectiveInterval() > m_poller.interval()
                                ? tr("every %1 s, to stay within Graph's limits").arg(every)
                                : tr("every %1 s").arg(every);
    if (!m_nextPollAt.isValid())
        return tr("Polling now (%1)").arg(cadence);
    const int in = secondsUntil(m_nextPollAt);
    return in == 0 ? tr("Polling now (%1)").arg(cadence)
                   : tr("Next poll in %1 s (%2)").arg(in).arg(cadence);
}

QString PollState::health() const
{
    if (kind() != Kind::Polling)
        return stateText();
    const PollPlanner::Pace pace = m_poller.pace();
    const QString slowed = pace.describe(m_clock.now());
    return slowed.isEmpty() ? tr("Polling at full pace (%1 requests/s)").arg(pace.budget)
                            : tr("Slower: %1").arg(slowed);
}

bool PollState::isSlowed() const
{
    return kind() == Kind::Polling && !m_poller.pace().describe(m_clock.now()).isEmpty();
}

QString PollState::details() const
{
    return kind() == Kind::Unreachable ? m_poller.lastFailure() : QString();
}
