#include "simulatorprocess.h"

#include "model/clock.h"
#include "residentmemory.h"
#include "simserver.h"
#include "simtenant.h"
#include "soakworld.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace soak {

namespace {

void writeLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

class SimulatorProcess
{
public:
    explicit SimulatorProcess(const SimulatorSettings &settings)
        : m_clock(weekStart())
        , m_tenant([this] { return m_clock.now(); }, 1.0)
    {
        m_tenant.setLatency(20, 150);
        m_tenant.identity().registerApp(kClientId, kSecret);
        QRandomGenerator random(settings.seed);
        m_planned = plan(m_tenant, settings.operations, settings.days, random);
        addFaults(m_tenant);
        m_server = std::make_unique<SimServer>(m_tenant, QStringLiteral("soak-unused-token"));
        m_server->setKeepingRecords(false); // a week would keep millions
        QObject::connect(&m_clock, &Clock::jumped, m_server.get(), &SimServer::serveArrived);
        // Coalesced: one state line for the many changes one turn of the event loop makes.
        m_statePush.setSingleShot(true);
        m_statePush.setInterval(0);
        QObject::connect(&m_statePush, &QTimer::timeout, [this] { pushState(); });
        QObject::connect(m_server.get(), &SimServer::trafficChanged, &m_statePush,
                         qOverload<>(&QTimer::start));
    }

    bool start()
    {
        const quint16 port = m_server->listen();
        if (port == 0)
            return false;
        writeLine("port " + QByteArray::number(port));
        for (const Planned &p : std::as_const(m_planned)) {
            writeLine("plan " + QByteArray::number(p.startsAt, 'f', 3) + ' ' + p.teamId.toLatin1() +
                      ' ' + p.operationId.toLatin1());
        }
        m_planned.clear();
        writeLine("planned");
        m_input = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(m_input.get(), &QSocketNotifier::activated, [this] { readInput(); });
        return true;
    }

private:
    void readInput()
    {
        char buffer[4096];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) { // the harness is gone
            m_input->setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        m_pending.append(buffer, qsizetype(got));
        qsizetype end;
        while ((end = m_pending.indexOf('\n')) >= 0) {
            const QByteArray line = m_pending.left(end);
            m_pending.remove(0, end + 1);
            handle(line);
        }
    }

    void handle(const QByteArray &line)
    {
        const QList<QByteArray> words = line.split(' ');
        const QByteArray &command = words.value(0);
        if (command == "advance") {
            const qint64 to = words.value(1).toLongLong();
            const qint64 by = to - m_clock.now().toMSecsSinceEpoch();
            if (by > 0)
                m_clock.advance(std::chrono::milliseconds(by)); // serves what has arrived
            reply("advanced");
        } else if (command == "truth") {
            const SimOperation *op = m_tenant.operation(QString::fromLatin1(words.value(1)),
                                                        QString::fromLatin1(words.value(2)));
            reply(op ? "truth " + QJsonDocument(m_tenant.operationJson(*op, false, false))
                                      .toJson(QJsonDocument::Compact)
                     : QByteArray("truth none"));
        } else if (command == "stats") {
            const QList<qint64> figures{m_server->roundTrips(),
                                        m_server->subRequests(),
                                        m_server->throttled(),
                                        m_tenant.faults().drawn(),
                                        m_server->requestsLeftUnanswered(),
                                        residentKiB()};
            QByteArray text = "stats";
            for (qint64 figure : figures)
                text += ' ' + QByteArray::number(figure);
            reply(text);
        } else if (command == "quit") {
            QCoreApplication::quit();
        } else {
            qFatal("soak simulator: unknown command \"%s\"", line.constData());
        }
    }

    // Every reply comes after the state it was given in, so the harness reads them in order.
    void reply(const QByteArray &line)
    {
        pushState();
        writeLine(line);
    }

    void pushState()
    {
        m_statePush.stop();
        const QDateTime next = m_server->nextArrivalAt();
        writeLine("state " + QByteArray::number(m_server->requestsInTransit()) + ' ' +
                  QByteArray::number(m_server->requestsHeld()) + ' ' +
                  QByteArray::number(next.isValid() ? next.toMSecsSinceEpoch() : -1));
    }

    ManualClock m_clock;
    SimTenant m_tenant;
    std::unique_ptr<SimServer> m_server;
    QList<Planned> m_planned;
    std::unique_ptr<QSocketNotifier> m_input;
    QByteArray m_pending;
    QTimer m_statePush;
};

} // namespace

int runSimulatorProcess(const SimulatorSettings &settings)
{
    SimulatorProcess simulator(settings);
    if (!simulator.start()) {
        std::fprintf(stderr, "soak simulator: could not listen on 127.0.0.1\n");
        return 1;
    }
    return QCoreApplication::exec();
}

} // namespace soak
