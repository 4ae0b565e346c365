#pragma once

#include "graphreply.h"
#include "operation.h"
#include "operationref.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <optional>

class Clock;
class GraphClient;

// What the poller knows of one watched operation.
struct WatchedOperation
{
    OperationRef ref;
    QString locationText; // as the user gave it
    std::optional<Operation> latest;
    QDateTime nextPollAt;
    QDateTime lastPolledAt;
    bool inFlight = false;
    int polls = 0;
    int consecutiveFailures = 0;
    GraphFailure lastFailure = GraphFailure::None;
    QString lastFailureMessage;

    bool isTerminal() const { return latest && latest->isTerminal(); }
};

// What one round of polls (all the polls that fell due together) found, once every reply is in.
struct PollRound
{
    QDateTime finishedAt;
    int polled = 0;
    int changed = 0;
    int failed = 0;
    QString lastFailure; // describe() of the last failed reply in the round
};

// Polls watched operations, each no more often than the interval, with one single-shot timer
// re-armed after every round. Time comes from an injectable Clock, so tests move it by hand.
// Terminal operations stop being polled; polls of one operation never overlap; Retry-After is
// honoured; a 401 stops everything until resume().
class OperationPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationPoller)
public:
    // Microsoft asks for more than 30 s between checks; only the loopback simulator may go faster.
    static constexpr std::chrono::milliseconds kServiceFloor{std::chrono::seconds(30)};
    static constexpr std::chrono::milliseconds kLoopbackFloor{100};
    static constexpr std::chrono::milliseconds kMaxBackoff{std::chrono::seconds(180)};

    OperationPoller(GraphClient &client, Clock &clock, QObject *parent = nullptr);

    std::chrono::milliseconds minimumInterval() const;
    // Clamped to minimumInterval(); returns the interval in force.
    std::chrono::milliseconds setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }

    // Starts watching; the first poll is due at once. False when already watched.
    bool watch(const OperationRef &ref, const QString &locationText = QString());
    const QList<WatchedOperation> &operations() const { return m_operations; }
    const WatchedOperation *find(const OperationRef &ref) const;
    bool allTerminal() const;

    bool isPausedForSignIn() const { return m_pausedForSignIn; }
    // After a new token: poll again whatever is not finished.
    void resume();

    // When the next poll is due; invalid when nothing is left to poll.
    QDateTime nextPollAt() const;

public slots:
    // Sends every poll that is due now, then re-arms the timer. Called by the timer and whenever
    // the clock is moved by hand.
    void pollDue();

signals:
    void operationAdded(const WatchedOperation &operation);
    void operationObserved(const WatchedOperation &operation, bool changed);
    void pollFailed(const WatchedOperation &operation, const GraphReply &reply);
    void authenticationRequired(const QString &reason);
    void allOperationsTerminal();
    void scheduleChanged(const QDateTime &nextPollAt);
    void roundFinished(const PollRound &round);

private:
    void send(WatchedOperation &operation, int round);
    void handleReply(const QString &key, int round, const GraphReply &reply);
    void countIntoRound(int round, bool changed, const GraphReply *failure);
    bool recordSuccess(WatchedOperation &operation, const Operation &snapshot);
    void recordFailure(WatchedOperation &operation, const GraphReply &reply);
    std::chrono::milliseconds backoff(int consecutiveFailures) const;
    void rearm();

    GraphClient &m_client;
    Clock &m_clock;
    QTimer m_timer;
    std::chrono::milliseconds m_interval;
    QList<WatchedOperation> m_operations;
    QHash<QString, qsizetype> m_indexByKey;
    // Rounds still waiting for replies, by number.
    QHash<int, PollRound> m_openRounds;
    QHash<int, int> m_outstandingByRound;
    int m_nextRound = 0;
    bool m_pausedForSignIn = false;
    bool m_reportedAllTerminal = false;
};

Q_DECLARE_METATYPE(PollRound)
