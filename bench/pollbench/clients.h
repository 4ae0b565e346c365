#pragma once

// The clients poll_bench compares, all on the same simulated tenant and network.

#include "harness.h"
#include "model/operationref.h"
#include "polling/operationpoller.h"
#include "polling/ratewindow.h"
#include "store/operationstore.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <chrono>

inline constexpr std::chrono::seconds kInterval{30};

// TeamsOps itself: the OperationPoller with its default budgets.
class TeamsOpsClient final : public BenchClient
{
public:
    explicit TeamsOpsClient(Harness &harness);
    void start(const QStringList &locations) override;
    int inFlight() const override { return m_poller.inFlightRequests(); }
    QDateTime wakeAt() const override { return m_poller.wakeAt(); }

private:
    OperationStore m_store;
    OperationPoller m_poller;
};

// Polls operations one GET at a time, each after the previous answer, then sleeps the interval
// before the next pass: what a PowerShell `foreach` with Start-Sleep does.
class SequentialClient final : public BenchClient
{
public:
    using BenchClient::BenchClient;
    void start(const QStringList &locations) override;
    int inFlight() const override { return m_waiting ? 1 : 0; }
    QDateTime wakeAt() const override { return m_sleepUntil; }
    void clockMoved() override;

private:
    void sendNext();

    QList<OperationRef> m_refs;
    QSet<QString> m_finished;
    qsizetype m_next = 0;
    bool m_waiting = false;
    QDateTime m_sleepUntil;
    QObject m_receiver;
};

// The best a client without $batch and team lists can do: single GETs evenly spaced at the
// tenant budget, within the team budget, each operation at most once per interval.
class PacedClient final : public BenchClient
{
public:
    using BenchClient::BenchClient;
    void start(const QStringList &locations) override;
    int inFlight() const override { return m_inFlight; }
    QDateTime wakeAt() const override { return m_nextSendAt; }
    void clockMoved() override;

private:
    bool sendOne(const QDateTime &now); // false when nothing may go now

    QList<OperationRef> m_refs;
    QSet<QString> m_finished;
    QHash<QString, QDateTime> m_lastSentAt;
    QHash<QString, RateWindow> m_teamWindows;
    qsizetype m_cursor = 0;
    int m_inFlight = 0;
    QDateTime m_nextSendAt;
    QObject m_receiver;
};

// Every interval, one GET for every unfinished operation, all at once: today's scripts.
class BurstClient final : public BenchClient
{
public:
    using BenchClient::BenchClient;
    void start(const QStringList &locations) override;
    int inFlight() const override { return m_inFlight; }
    QDateTime wakeAt() const override { return m_nextRoundAt; }
    void clockMoved() override;

private:
    QList<OperationRef> m_refs;
    QSet<QString> m_finished;
    int m_inFlight = 0;
    QDateTime m_nextRoundAt;
    QObject m_receiver;
};
