#pragma once

// A simulated tenant on loopback, a manual clock, and clients of it that poll operations. Time
// moves from event to event (a request arriving at the service, a client's wake-up), never by
// sleeping, so ten simulated minutes take seconds and every run is repeatable.

#include "graph/graphclient.h"
#include "model/clock.h"
#include "simserver.h"
#include "simtenant.h"
#include "world.h"

#include <QList>

class BenchClient;

struct Harness
{
    ManualClock clock{QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC)};
    SimTenant tenant{[this] { return clock.now(); }, 1.0};
    SimServer server{tenant, QStringLiteral("bench-token-0")};
    QDateTime start = clock.now();

    // latency: how long each request takes to reach the service, uniform in [min, max] ms.
    Harness(const World &world, int latencyMinMs, int latencyMaxMs);
    double elapsed() const { return start.msecsTo(clock.now()) / 1000.0; }
    // Runs the clients for `span` simulated seconds.
    void run(const QList<BenchClient *> &clients, double span);

private:
    void settle(const QList<BenchClient *> &clients);
};

// One client of the tenant, with its own token (so the server tells clients apart) and its own
// GraphClient. Subclasses poll the way a script, a careful script, or TeamsOps does.
class BenchClient
{
public:
    explicit BenchClient(Harness &harness);
    virtual ~BenchClient() = default;

    int id() const { return m_id; }
    const Sightings &seen() const { return m_seen; }

    virtual void start(const QStringList &locations) = 0;
    virtual int inFlight() const = 0;     // round trips awaiting their answer
    virtual QDateTime wakeAt() const = 0; // when it next acts by itself; invalid: on answers only
    virtual void clockMoved() {}          // act on what is due now

protected:
    void observe(const QString &key, const QByteArray &body, bool *terminal = nullptr);

    Harness &m_harness;
    QString m_token;
    int m_id;
    GraphClient m_client;
    Sightings m_seen;
};
