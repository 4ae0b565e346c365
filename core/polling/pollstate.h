#pragma once

#include <QDateTime>
#include <QObject>

class Clock;
class OperationCounts;
class OperationPoller;

// Where polling stands, read in one place for every place that says it (the status bar, the
// overview), so that they never contradict each other: one state at a time, one wording each.
// The poller says most of it; the window adds who polls for a shared store and whether a sign-in
// is missing.
class PollState final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PollState)
public:
    enum class Kind
    {
        NothingToWatch,
        AllFinished,
        Following,   // another process polls for the store
        Offline,     // the network is down
        NeedsSignIn, // no sign-in, or the last one no longer works
        Throttled,   // Graph asked the whole tenant to wait
        Unreachable, // the last round reached nothing (refused, timed out)
        Polling      // on schedule, at full pace or slower
    };

    PollState(OperationPoller &poller, const OperationCounts &counts, Clock &clock,
              QObject *parent = nullptr);

    void setPolledBy(const QString &poller);
    void setSignInNeeded(bool needed);

    Kind kind() const;
    // The status bar's words: the state, with the countdown to the next poll while polling.
    QString schedule() const;
    // The overview's words: the state, with the pace while polling.
    QString health() const;
    // Polling, slower than the budget because Graph asked for less.
    bool isSlowed() const;
    // More on the state, for a tooltip (the last failure when Graph cannot be reached).
    QString details() const;
    QDateTime nextPollAt() const { return m_nextPollAt; }

signals:
    void changed();

private:
    // The words of every state but Polling, where both places say the same.
    QString stateText() const;
    int secondsUntil(const QDateTime &time) const;

    OperationPoller &m_poller;
    const OperationCounts &m_counts;
    Clock &m_clock;
    QString m_polledBy;
    bool m_signInNeeded = false;
    QDateTime m_nextPollAt; // as the poller last said: asking walks its agendas
};
