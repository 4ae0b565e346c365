// poll_bench: TeamsOps' poller against a naive loop (one GET per operation every 30 s, all at
// once, as a script does), on the simulator over real loopback HTTP, with a moved clock.
//
//   poll_bench [--quick] [--span SECONDS]
//
//   poll_bench --n N          one N only
//
// For N watched operations, in two layouts (all on one template team; one operation per team),
// it prints round trips, sub-requests, 429s received, and the delay between a status change in
// the simulator and its sighting by the client (mean, 95th percentile, and mean divided by the
// optimum under the budget, max(interval, N / budget) / 2). Its last line is a summary for scripts.
#include "clock.h"
#include "graphclient.h"
#include "operationpoller.h"
#include "operationstore.h"
#include "simserver.h"
#include "simtenant.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace std::chrono;

namespace {

constexpr seconds kInterval{30};
constexpr milliseconds kStep{250};

struct Transition
{
    QString key; // "team/operation", lower-cased
    bool final;  // false: notStarted → inProgress; true: → succeeded/failed
    double at;   // seconds after the start of the run
};

struct World
{
    QJsonObject scenario;
    QList<Transition> transitions;
    QStringList locations;
};

// N operations on `teams` teams; each starts within the first half of the span and runs for a
// minute to half the span, so most change status twice while watched.
World makeWorld(int n, int teams, double span)
{
    QRandomGenerator random(20261123);
    World world;
    QJsonArray teamList;
    for (int t = 0; t < teams; ++t) {
        teamList.append(QJsonObject{
            {"id", QStringLiteral("00000000-0000-4000-8000-%1").arg(t, 12, 10, QLatin1Char('0'))},
            {"displayName", QStringLiteral("Team %1").arg(t)}});
    }
    QJsonArray operations;
    for (int i = 0; i < n; ++i) {
        const QString team = teamList.at(i % teams).toObject().value("id").toString();
        const QString id =
            QStringLiteral("%1-0000-4000-9000-000000000000").arg(i, 8, 10, QLatin1Char('0'));
        const double startAfter = random.bounded(span / 2);
        const double duration = 60 + random.bounded(std::max(1.0, span / 2 - 60));
        operations.append(
            QJsonObject{{"id", id},
                        {"teamId", team},
                        {"operationType", "cloneTeam"},
                        {"startAfter", startAfter},
                        {"duration", duration},
                        {"outcome", random.bounded(10) == 0 ? "failed" : "succeeded"}});
        const QString key = (team + QLatin1Char('/') + id).toLower();
        world.transitions.append({key, false, startAfter});
        world.transitions.append({key, true, startAfter + duration});
        world.locations.append(QStringLiteral("/teams('%1')/operations('%2')").arg(team, id));
    }
    world.scenario = QJsonObject{{"teams", teamList}, {"operations", operations}};
    return world;
}

struct Result
{
    int roundTrips = 0;
    int subRequests = 0;
    int throttled = 0;
    double meanDelay = 0;
    double p95Delay = 0;
    int unseen = 0; // changes never sighted within the span (counted up to the end)
};

// When the client first saw each operation in progress and finished.
struct Sightings
{
    QHash<QString, double> inProgress;
    QHash<QString, double> finished;

    void observe(const QString &key, const QString &status, double at)
    {
        const bool done = status == QLatin1String("succeeded") || status == QLatin1String("failed");
        if ((done || status == QLatin1String("inProgress")) && !inProgress.contains(key))
            inProgress.insert(key, at);
        if (done && !finished.contains(key))
            finished.insert(key, at);
    }
};

Result measure(const World &world, const SimServer &server, const Sightings &seen, double span)
{
    Result result;
    result.roundTrips = server.roundTrips();
    result.throttled = server.throttled();
    for (const SimRequestRecord &r : server.requests())
        result.subRequests += r.method == "GET" ? 1 : 0;
    QList<double> delays;
    for (const Transition &t : world.transitions) {
        if (t.at <= 0 || t.at >= span)
            continue;
        const QHash<QString, double> &when = t.final ? seen.finished : seen.inProgress;
        const auto it = when.constFind(t.key);
        if (it == when.cend()) {
            ++result.unseen;
            delays.append(span - t.at);
        } else {
            delays.append(std::max(0.0, *it - t.at));
        }
    }
    std::sort(delays.begin(), delays.end());
    double sum = 0;
    for (double d : delays)
        sum += d;
    result.meanDelay = delays.isEmpty() ? 0 : sum / double(delays.size());
    result.p95Delay = delays.isEmpty() ? 0 : delays.at(qsizetype(0.95 * double(delays.size() - 1)));
    return result;
}

struct Harness
{
    ManualClock clock{QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC)};
    SimTenant tenant{[this] { return clock.now(); }, 1.0};
    SimServer server{tenant, QStringLiteral("bench-token")};

    explicit Harness(const World &world)
    {
        const QString problem = tenant.loadScenario(QJsonDocument(world.scenario).toJson());
        if (!problem.isEmpty())
            qFatal("%s", qPrintable(problem));
        server.listen();
    }
    double elapsed(const QDateTime &start) const { return start.msecsTo(clock.now()) / 1000.0; }
};

void waitUntil(const std::function<bool()> &idle)
{
    QCoreApplication::processEvents();
    QDeadlineTimer deadline(120000);
    while (!idle() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

Result runTeamsOps(const World &world, double span)
{
    Harness h(world);
    GraphClient client(h.server.baseUrl(), [] { return QStringLiteral("bench-token"); });
    OperationStore store;
    OperationPoller poller(client, h.clock, store);
    poller.setInterval(kInterval);
    const QDateTime start = h.clock.now();
    Sightings seen;
    QObject::connect(&poller, &OperationPoller::operationObserved,
                     [&](const WatchedOperation &op, bool) {
                         seen.observe(op.ref.key(), op.latest->statusRaw, h.elapsed(start));
                     });
    for (const QString &location : world.locations)
        poller.watch(*resolveLocation(location, client.baseUrl()).ref);
    for (milliseconds t{0}; t < duration<double>(span); t += kStep) {
        waitUntil([&] { return poller.inFlightRequests() == 0; });
        h.clock.advance(kStep);
    }
    waitUntil([&] { return poller.inFlightRequests() == 0; });
    return measure(world, h.server, seen, span);
}

Result runNaive(const World &world, double span)
{
    Harness h(world);
    GraphClient client(h.server.baseUrl(), [] { return QStringLiteral("bench-token"); });
    const QDateTime start = h.clock.now();
    Sightings seen;
    QList<OperationRef> refs;
    for (const QString &location : world.locations)
        refs.append(*resolveLocation(location, client.baseUrl()).ref);
    QSet<QString> finished;
    int outstanding = 0;
    QObject receiver;
    for (milliseconds t{0}; t < duration<double>(span); t += kStep) {
        if (t.count() % duration_cast<milliseconds>(kInterval).count() == 0) {
            // Every 30 s: one GET for every operation not seen finished, all at once.
            for (const OperationRef &ref : std::as_const(refs)) {
                if (finished.contains(ref.key()))
                    continue;
                ++outstanding;
                client.get(ref.url, &receiver, [&, key = ref.key()](const GraphReply &reply) {
                    --outstanding;
                    const OperationParseResult parsed = parseOperation(reply.body);
                    if (!reply.ok() || !parsed.operation)
                        return; // a script like this simply tries again next round
                    seen.observe(key, parsed.operation->statusRaw, h.elapsed(start));
                    if (parsed.operation->isTerminal())
                        finished.insert(key);
                });
            }
        }
        waitUntil([&] { return outstanding == 0; });
        h.clock.advance(kStep);
    }
    return measure(world, h.server, seen, span);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TeamsOps polling benchmark."));
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("quick"), QStringLiteral("Only N = 1000.")},
                       {QStringLiteral("n"), QStringLiteral("Only this N."), QStringLiteral("N")},
                       {QStringLiteral("span"), QStringLiteral("Simulated seconds (default 600)."),
                        QStringLiteral("SECONDS"), QStringLiteral("600")}});
    parser.process(app);
    const double span = parser.value(QStringLiteral("span")).toDouble();
    const QList<int> sizes =
        parser.isSet(QStringLiteral("quick")) ? QList<int>{1000} : QList<int>{100, 1000, 10000};
    const double budget = OperationPoller::kDefaultTenantBudget;

    std::printf(
        "Simulated span %.0f s, interval %lld s, budget %.0f requests/s per tenant, %d per team.\n",
        span, qlonglong(kInterval.count()), budget, OperationPoller::kDefaultTeamBudget);
    std::printf("%-6s %-9s %-9s %11s %12s %6s %10s %10s %8s %7s\n", "N", "layout", "client",
                "round trips", "sub-requests", "429s", "mean delay", "p95 delay", "/optimum",
                "unseen");
    QString summary;
    for (const int n : sizes) {
        const double optimum = std::max(double(kInterval.count()), n / budget) / 2;
        Result teamsOpsTotal, naiveTotal;
        double worstRatio = 0;
        for (const auto &[layout, teams] : {std::pair{"one team", 1}, std::pair{"spread", n}}) {
            const World world = makeWorld(n, teams, span);
            for (const auto &[name, result] : {std::pair{"TeamsOps", runTeamsOps(world, span)},
                                               std::pair{"naive", runNaive(world, span)}}) {
                const double ratio = result.meanDelay / optimum;
                std::printf("%-6d %-9s %-9s %11d %12d %6d %9.1fs %9.1fs %8.2f %7d\n", n, layout,
                            name, result.roundTrips, result.subRequests, result.throttled,
                            result.meanDelay, result.p95Delay, ratio, result.unseen);
                Result &total =
                    QLatin1String(name) == QLatin1String("TeamsOps") ? teamsOpsTotal : naiveTotal;
                total.roundTrips += result.roundTrips;
                total.throttled += result.throttled;
                if (&total == &teamsOpsTotal)
                    worstRatio = std::max(worstRatio, ratio);
            }
            std::fflush(stdout);
        }
        summary = QStringLiteral("poll_bench N=%1 teamsops_round_trips=%2 naive_round_trips=%3 "
                                 "teamsops_429=%4 naive_429=%5 latency_ratio_to_optimum=%6")
                      .arg(n)
                      .arg(teamsOpsTotal.roundTrips)
                      .arg(naiveTotal.roundTrips)
                      .arg(teamsOpsTotal.throttled)
                      .arg(naiveTotal.throttled)
                      .arg(worstRatio, 0, 'f', 2);
    }
    std::printf("%s\n", qPrintable(summary));
    return 0;
}
