// soak: a simulated week of TeamsOps against a faulty simulated tenant.
//
//   build/bench/soak [--operations N] [--days D] [--restart-hours H] [--seed S]
//
// N operations (default 10 000) start at random moments of D days (default 7) and run 10 min to
// 4 h each; TeamsOps starts watching each when it starts, as an admin would. The simulator
// answers some requests with a fault of every kind TeamsOps must survive: 429 with seconds and
// with an HTTP date, 503 with an HTML page, 502, a 401 (the token is renewed and polling goes
// on), connections reset mid-answer, truncated JSON, passing 404s (which must not stop an
// operation), and requests never answered, which the client gives up on after its reply
// deadline, measured on the moved clock like everything else. Every H simulated hours (default 24)
// TeamsOps is restarted from its SQLite store — every other time without saving first, as after a
// crash. Operations finished for 6 h are compared with the simulator and forgotten (as an admin
// clears them), so the store holds a steady number of rows and memory can be compared across days.
//
// Time moves from event to event on a manual clock, never by sleeping. Printed: per restart, the
// rows restored and the resident memory; at the end, requests, faults, renewals, and how many
// operations ended in the client exactly as in the simulator. The last line is a summary for
// scripts:
//   soak operations=<n> days=<d> restarts=<r> mismatches=<m> missing=<k> stopped=<s>
//   rss_day1_kib=<a> rss_last_kib=<b> requests=<q> faults=<f> unanswered=<u> renewals=<t>
//   real_s=<e>
// The exit status is 0 when every operation ended as in the simulator.
#include "clock.h"
#include "graphclient.h"
#include "identityclient.h"
#include "operationdatabase.h"
#include "operationpoller.h"
#include "operationstore.h"
#include "residentmemory.h"
#include "signinconfig.h"
#include "signinsession.h"
#include "simserver.h"
#include "simtenant.h"
#include "storesaver.h"
#include "tokenset.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>

#include <cstdio>
#include <map>
#include <memory>

using namespace std::chrono;

namespace {

const QString kClientId = QStringLiteral("0c5a4d2e-5a0b-4c39-9d0e-50a4c0ffee01");
const QString kSecret = QStringLiteral("soak-secret");
constexpr int kConnectionsPerHost = 6; // Qt's, per QNetworkAccessManager and host
constexpr qint64 kForgetAfterSecs = 6 * 3600;

// The faults, each on a small share of the requests for operations (single GETs, lists and
// the sub-requests of batches alike).
void addFaults(SimTenant &tenant)
{
    const QString path = QStringLiteral("/operations");
    const auto fault = [&](double rate, int status, const QByteArray &retryAfter = {}) {
        SimFault f = SimFault::answer(path, status, retryAfter, -1);
        f.rate = rate;
        return f;
    };
    const auto kind = [&](double rate, const QString &name) {
        SimFault f;
        f.pathContains = path;
        f.rate = rate;
        f.kind = name;
        return f;
    };
    SimFaults &faults = tenant.faults();
    faults.add(fault(0.002, 429, "7"));
    faults.add(fault(0.001, 429, "Wed, 21 Oct 2015 07:28:00 GMT")); // a date, already past
    SimFault html = fault(0.002, 503, "5");
    html.body = "<html><body><h1>Service Unavailable</h1></body></html>";
    html.contentType = "text/html";
    faults.add(html);
    faults.add(kind(0.001, QStringLiteral("html")));
    faults.add(fault(0.0005, 401));
    faults.add(kind(0.001, QStringLiteral("reset")));
    faults.add(kind(0.002, QStringLiteral("truncated")));
    faults.add(fault(0.003, 404));
    faults.add(kind(0.0005, QStringLiteral("hang")));
}

struct Planned
{
    double startsAt = 0; // simulated seconds since the tenant's start
    QString teamId;
    QString operationId;
};

// The tenant's teams and operations; returns them in the order they start.
QList<Planned> plan(SimTenant &tenant, int operations, int days, QRandomGenerator &random)
{
    const int teams = std::max(1, operations / 10);
    QStringList teamIds;
    for (int t = 0; t < teams; ++t) {
        SimTeam team;
        team.id = SimTenant::newId();
        team.displayName = QStringLiteral("Template %1").arg(t);
        teamIds.append(tenant.addTeam(team).id);
    }
    const double span = days * 86400.0 - 5 * 3600.0; // the last ones finish within the run
    QList<Planned> planned;
    for (int i = 0; i < operations; ++i) {
        SimOperation op;
        op.teamId = teamIds[i % teams];
        op.type = QStringLiteral("cloneTeam");
        op.createdAt = random.bounded(span);
        op.startAfter = 5 + random.bounded(295);
        op.duration = 600 + random.bounded(4 * 3600 - 600);
        op.attempts = 1 + int(random.bounded(3));
        if (random.bounded(100) < 15) {
            op.outcome = QStringLiteral("failed");
            op.errorCode = QStringLiteral("InternalServerError");
            op.errorMessage = QStringLiteral("Failed to execute Skype backend request.");
        } else {
            SimTeam produced;
            produced.id = SimTenant::newId();
            produced.displayName = QStringLiteral("Clone %1").arg(i);
            op.producesTeam = produced;
            op.targetTeamId = produced.id;
        }
        const SimOperation &added = tenant.addOperation(op);
        planned.append({added.createdAt, added.teamId, added.id});
    }
    std::sort(planned.begin(), planned.end(),
              [](const Planned &a, const Planned &b) { return a.startsAt < b.startsAt; });
    return planned;
}

// One run of TeamsOps, from start (restoring the store) to exit or crash.
class Instance
{
public:
    Instance(const QString &path, SimServer &server, Clock &clock)
        : m_clock(clock)
        , m_identity(signInConfig(server))
        , m_session(m_identity, clock)
        , m_client(server.baseUrl(), m_session.tokenProvider())
    {
        const OperationDatabase::OpenResult opened = m_database.open(path);
        if (!opened.ok)
            qFatal("soak: the store did not open: %s", qPrintable(opened.error));
        m_saver = std::make_unique<StoreSaver>(m_database, m_store, clock);
        m_restored = m_saver->restore();
        if (m_restored < 0)
            qFatal("soak: the store could not be read: %s", qPrintable(m_saver->lastError()));
        // Simulated time is not real time: a request may wait for the clock to move for as
        // long as the harness takes, so Qt's real-time transfer timeout would abort answers
        // still on their way. The reply deadline (the app's two minutes) runs on the moved
        // clock instead: it is what ends the requests the simulator never answers.
        m_client.setTransferTimeout(hours(1));
        m_client.setClock(&clock);
        const AppCredential credential{kSecret, nullptr};
        m_session.setAppCredential(credential);
        m_identity.requestAppToken(
            credential, m_clock.now(), &m_receiver, [this](const IdentityReply &reply) {
                if (!reply.ok())
                    qFatal("soak: no app token: %s", qPrintable(reply.describe()));
                TokenSet tokens = TokenSet::fromTokenAnswer(reply.json, m_clock.now());
                tokens.appOnly = true;
                m_session.setTokens(tokens);
                startPolling();
            });
        m_tokenPending = true;
        QObject::connect(&m_session, &SignInSession::renewed, &m_receiver, [this] {
            ++m_renewals;
            if (m_poller && m_poller->isPausedForSignIn())
                m_poller->resume();
        });
        QObject::connect(&m_session, &SignInSession::lost, &m_receiver, [](const QString &why) {
            qFatal("soak: sign-in lost: %s", qPrintable(why));
        });
    }

    qsizetype restored() const { return m_restored; }
    int renewals() const { return m_renewals; }
    bool isRenewing() const { return m_tokenPending || m_session.isRenewing(); }
    OperationStore &store() { return m_store; }
    OperationPoller *poller() const { return m_poller.get(); }
    void saveNow() { m_saver->saveNow(); }

    void watch(const OperationRef &ref, const QString &location)
    {
        if (m_poller)
            m_poller->watch(ref, location);
        else
            m_pending.append({ref, location});
    }
    int inFlight() const
    {
        const int polls = m_poller ? m_poller->inFlightRequests() : 0;
        return std::min(polls, kConnectionsPerHost) +
               (m_tokenPending || m_session.isRenewing() ? 1 : 0);
    }
    QDateTime wakeAt() const { return m_poller ? m_poller->wakeAt() : QDateTime(); }

private:
    static SignInConfig signInConfig(const SimServer &server)
    {
        SignInConfig config;
        QUrl host = server.baseUrl();
        host.setPath(QString());
        config.authorityHost = host;
        config.tenant = QStringLiteral("contoso.onmicrosoft.com");
        config.clientId = kClientId;
        config.graphUrl = server.baseUrl();
        return config;
    }

    void startPolling()
    {
        m_tokenPending = false;
        m_poller = std::make_unique<OperationPoller>(m_client, m_clock, m_store);
        m_poller->setInterval(seconds(30));
        m_poller->restorePace(m_saver->savedPace());
        m_saver->setPaceSource([this] { return m_poller->savedPace(); });
        QObject::connect(m_poller.get(), &OperationPoller::authenticationRequired, &m_receiver,
                         [this] {
                             if (!m_session.isRenewing())
                                 m_session.renew();
                         });
        for (const auto &[ref, location] : std::as_const(m_pending))
            m_poller->watch(ref, location);
        m_pending.clear();
    }

    Clock &m_clock;
    OperationDatabase m_database;
    OperationStore m_store;
    std::unique_ptr<StoreSaver> m_saver;
    IdentityClient m_identity;
    SignInSession m_session;
    GraphClient m_client;
    std::unique_ptr<OperationPoller> m_poller;
    QObject m_receiver;
    QList<std::pair<OperationRef, QString>> m_pending;
    qsizetype m_restored = 0;
    bool m_tokenPending = false;
    int m_renewals = 0;
};

// Whether the client's record ended as the simulator's operation did; a reason when not.
QString differenceFrom(const WatchedOperation &record, const QJsonObject &truth)
{
    if (!record.latest)
        return QStringLiteral("never read");
    const Operation &op = *record.latest;
    if (op.statusRaw != truth.value(QLatin1String("status")).toString())
        return QStringLiteral("status %1, the simulator says %2")
            .arg(op.statusRaw, truth.value(QLatin1String("status")).toString());
    if (op.attemptsCount != truth.value(QLatin1String("attemptsCount")).toInt())
        return QStringLiteral("attempts %1 vs %2")
            .arg(op.attemptsCount)
            .arg(truth.value(QLatin1String("attemptsCount")).toInt());
    const QString code = truth.value(QLatin1String("error")).toObject().value("code").toString();
    if ((op.error ? op.error->code : QString()) != code)
        return QStringLiteral("error code differs");
    if (op.targetResourceLocation !=
        truth.value(QLatin1String("targetResourceLocation")).toString())
        return QStringLiteral("target differs");
    return QString();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("operations"), QStringLiteral("Operations (default 10000)."),
         QStringLiteral("N"), QStringLiteral("10000")},
        {QStringLiteral("days"), QStringLiteral("Simulated days (default 7)."), QStringLiteral("D"),
         QStringLiteral("7")},
        {QStringLiteral("restart-hours"),
         QStringLiteral("Simulated hours between restarts (default 24)."), QStringLiteral("H"),
         QStringLiteral("24")},
        {QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."), QStringLiteral("S"),
         QStringLiteral("1")},
    });
    parser.process(app);
    const int operations = std::max(1, parser.value(QStringLiteral("operations")).toInt());
    const int days = std::max(1, parser.value(QStringLiteral("days")).toInt());
    const qint64 restartEvery =
        std::max<qint64>(1, parser.value(QStringLiteral("restart-hours")).toLongLong()) * 3600;
    QRandomGenerator random(parser.value(QStringLiteral("seed")).toUInt());

    QElapsedTimer real;
    real.start();
    ManualClock clock(QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC));
    SimTenant tenant([&clock] { return clock.now(); }, 1.0);
    tenant.setLatency(20, 150);
    tenant.identity().registerApp(kClientId, kSecret);
    const QList<Planned> planned = plan(tenant, operations, days, random);
    addFaults(tenant);
    SimServer server(tenant, QStringLiteral("soak-unused-token"));
    server.setKeepingRecords(false); // a week would keep millions
    if (server.listen() == 0)
        qFatal("soak: the simulator could not listen");
    QObject::connect(&clock, &Clock::jumped, &server, &SimServer::serveArrived);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    const QDateTime start = clock.now();
    const QDateTime end = start.addSecs(qint64(days) * 86400);
    auto instance = std::make_unique<Instance>(path, server, clock);

    // Each operation's comparison with the simulator: empty when equal, else how it differs. An
    // operation forgotten just before a crash comes back from the store and is compared again.
    QHash<QString, QString> outcomes;
    QSet<QString> stoppedKeys;
    int restarts = 0;
    int renewals = 0;
    qint64 rssDay1 = 0;
    qsizetype next = 0;
    QDateTime nextRestart = start.addSecs(restartEvery);
    QDateTime nextSweep = start.addSecs(3600);

    // Compares finished operations with the simulator and forgets them; `all`: every operation.
    const auto compareAndForget = [&](bool all) {
        QList<OperationRef> done;
        for (const WatchedOperation &op : instance->store().records()) {
            const bool finishedLongAgo = op.isTerminal() && op.lastPolledAt.isValid() &&
                                         op.lastPolledAt.secsTo(clock.now()) >= kForgetAfterSecs;
            if (!all && !finishedLongAgo)
                continue;
            if (op.watch != WatchedOperation::Watch::Active && !stoppedKeys.contains(op.key)) {
                stoppedKeys.insert(op.key);
                std::printf("stopped: %s (%d)\n", qPrintable(op.key), int(op.watch));
            }
            const SimOperation *truth = tenant.operation(op.ref.teamId, op.ref.operationId);
            const QString difference =
                truth ? differenceFrom(op, tenant.operationJson(*truth, false, false))
                      : QStringLiteral("unknown to the simulator");
            if (!difference.isEmpty())
                std::printf("mismatch: %s: %s\n", qPrintable(op.key), qPrintable(difference));
            outcomes.insert(op.key, difference);
            done.append(op.ref);
        }
        if (instance->poller())
            instance->poller()->unwatch(done);
    };

    // Until every request sent is on its way or held unanswered at the service, and every
    // answer given has been read (as bench/pollbench/harness.cpp).
    const auto atService = [&] { return server.requestsInTransit() + server.requestsHeld(); };
    const auto settle = [&] {
        QCoreApplication::processEvents();
        QDeadlineTimer deadline(minutes(1));
        while (instance->inFlight() != atService() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (deadline.hasExpired()) {
            qFatal("soak: the client never settled: %d in flight (polls %d, renewing %d), %d on "
                   "their way at the simulator, %d held",
                   instance->inFlight(),
                   instance->poller() ? instance->poller()->inFlightRequests() : -1,
                   int(instance->isRenewing()), server.requestsInTransit(), server.requestsHeld());
        }
    };

    std::printf("%d operations over %d days; restart every %lld h\n", operations, days,
                restartEvery / 3600);
    for (;;) {
        settle();
        const QDateTime now = clock.now();
        const double elapsed = start.msecsTo(now) / 1000.0;
        while (next < planned.size() && planned[next].startsAt <= elapsed) {
            const Planned &p = planned[next++];
            const QString location =
                QStringLiteral("/teams('%1')/operations('%2')").arg(p.teamId, p.operationId);
            instance->watch(*resolveLocation(location, server.baseUrl()).ref, location);
        }
        if (now >= nextSweep) {
            compareAndForget(false);
            nextSweep = now.addSecs(3600);
        }
        if (now >= nextRestart && now < end) {
            // Requests on their way are answered first: the simulator would otherwise hold them
            // for a client that is gone, and settle() would wait for them forever.
            for (int i = 0; i < 200 && server.requestsInTransit() > 0; ++i) {
                const QDateTime arrival = server.nextArrivalAt();
                clock.advance(milliseconds(std::max<qint64>(1, clock.now().msecsTo(arrival))));
                settle();
            }
            const bool crash = restarts % 2 == 1;
            if (!crash)
                instance->saveNow();
            const qsizetype before = instance->store().size();
            renewals += instance->renewals();
            const qint64 rss = residentKiB();
            if (restarts == 0)
                rssDay1 = rss;
            instance.reset();
            instance = std::make_unique<Instance>(path, server, clock);
            ++restarts;
            std::printf("day %.1f: %s restart, %lld rows before, %lld restored, RSS %lld KiB\n",
                        elapsed / 86400, crash ? "crash" : "clean", qint64(before),
                        qint64(instance->restored()), rss);
            std::fflush(stdout);
            nextRestart = now.addSecs(restartEvery);
        }
        if (now >= end && next >= planned.size())
            break;
        QDateTime wake = server.nextArrivalAt();
        for (const QDateTime &candidate : {instance->wakeAt(), nextRestart, nextSweep, end}) {
            if (candidate.isValid() && (!wake.isValid() || candidate < wake))
                wake = candidate;
        }
        if (next < planned.size()) {
            const QDateTime due = start.addMSecs(qint64(planned[next].startsAt * 1000));
            if (due < wake)
                wake = due;
        }
        clock.advance(milliseconds(std::max<qint64>(1, now.msecsTo(wake))));
    }
    renewals += instance->renewals();
    const qint64 rssLast = residentKiB();
    const int stillPolled =
        int(std::count_if(instance->store().records().cbegin(), instance->store().records().cend(),
                          [](const WatchedOperation &op) { return !op.isTerminal(); }));
    compareAndForget(true);
    const int compared = int(outcomes.size());
    const int mismatches = int(std::count_if(outcomes.cbegin(), outcomes.cend(),
                                             [](const QString &d) { return !d.isEmpty(); }));
    const int stopped = int(stoppedKeys.size());
    std::printf("%d compared with the simulator: %d differ, %d stopped polling, %d not finished "
                "in the client\n",
                compared, mismatches, stopped, stillPolled);
    std::printf("requests %d (round trips %d), 429 answers %d, faults drawn (all kinds) %lld, "
                "never answered %d, token renewals %d, real time %.0f s\n",
                server.roundTrips() + server.subRequests(), server.roundTrips(), server.throttled(),
                qint64(tenant.faults().drawn()), server.requestsLeftUnanswered(), renewals,
                real.elapsed() / 1000.0);
    std::printf("soak operations=%d days=%d restarts=%d mismatches=%d missing=%d stopped=%d "
                "rss_day1_kib=%lld rss_last_kib=%lld requests=%d faults=%lld unanswered=%d "
                "renewals=%d real_s=%.0f\n",
                operations, days, restarts, mismatches, operations - compared, stopped, rssDay1,
                rssLast, server.roundTrips() + server.subRequests(),
                qint64(tenant.faults().drawn()), server.requestsLeftUnanswered(), renewals,
                real.elapsed() / 1000.0);
    return mismatches == 0 && compared == operations ? 0 : 1;
}
