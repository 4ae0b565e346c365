#include "harness.h"

#include "model/operation.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>

namespace {
// Qt opens at most six connections to one host per QNetworkAccessManager; more requests wait
// in the client for one of them, so no more than six per client can be on their way.
constexpr int kConnectionsPerHost = 6;

int nextTokenNumber()
{
    static int number = 0;
    return ++number;
}
} // namespace

Harness::Harness(const World &world, int latencyMinMs, int latencyMaxMs)
{
    const QString problem = tenant.loadScenario(QJsonDocument(world.scenario).toJson());
    if (!problem.isEmpty())
        qFatal("%s", qPrintable(problem));
    tenant.setLatency(latencyMinMs, latencyMaxMs);
    server.listen();
    // Requests that arrive at a moment are served before clients act on it.
    QObject::connect(&clock, &Clock::jumped, &server, &SimServer::serveArrived);
}

void Harness::settle(const QList<BenchClient *> &clients)
{
    // Until every request a client has sent is either at the service, on its way to it, or
    // queued behind a busy connection, and every answer the service gave has been read.
    const auto quiet = [&] {
        int onTheirWay = 0;
        for (const BenchClient *client : clients)
            onTheirWay += std::min(client->inFlight(), kConnectionsPerHost);
        return onTheirWay == server.requestsInTransit();
    };
    QCoreApplication::processEvents();
    QDeadlineTimer deadline(std::chrono::minutes(10));
    while (!quiet() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (deadline.hasExpired())
        qFatal("poll_bench: clients never settled");
}

void Harness::run(const QList<BenchClient *> &clients, double span)
{
    const QDateTime end = start.addMSecs(qint64(span * 1000));
    for (;;) {
        settle(clients);
        const QDateTime now = clock.now();
        if (now >= end)
            break;
        QDateTime next = server.nextArrivalAt();
        for (const BenchClient *client : clients) {
            const QDateTime wake = client->wakeAt();
            if (wake.isValid() && (!next.isValid() || wake < next))
                next = wake;
        }
        if (!next.isValid() || next > end)
            next = end;
        clock.advance(std::chrono::milliseconds(std::max<qint64>(1, now.msecsTo(next))));
        for (BenchClient *client : clients)
            client->clockMoved();
    }
}

BenchClient::BenchClient(Harness &harness)
    : m_harness(harness)
    , m_token(QStringLiteral("bench-client-%1").arg(nextTokenNumber()))
    , m_id(harness.server.addToken(m_token))
    , m_client(harness.server.baseUrl(), [this] { return m_token; })
{
    // Simulated time is not real time: a request may wait in the client behind its six
    // connections for as long as the run takes, so real-time timeouts would only distort it.
    m_client.setTransferTimeout(std::chrono::hours(1));
    m_client.setReplyDeadline(std::chrono::hours(1));
}

void BenchClient::observe(const QString &key, const QByteArray &body, bool *terminal)
{
    const OperationParseResult parsed = parseOperation(body);
    if (!parsed.operation)
        return;
    m_seen.observe(key, parsed.operation->statusRaw, m_harness.elapsed());
    if (terminal)
        *terminal = parsed.operation->isTerminal();
}
