// poll_bench: TeamsOps' poller against the ways people poll today, on the simulator over real
// loopback HTTP, with a moved clock (ten simulated minutes take seconds).
//
//   poll_bench [--quick] [--n N] [--span SECONDS]
//
// For N watched operations, in two layouts (all on one template team; one operation per team),
// on a steady network (every request reaches Graph 50 ms after it is sent) and on one with
// jitter (50-400 ms, drawn per request), it runs four clients in turn:
// TeamsOps; "paced", the best a client without $batch and team lists can do (single GETs evenly
// spaced at the budget); "sequential", one GET at a time then a 30 s sleep (a PowerShell loop);
// and "burst", every operation at once every 30 s (the naive script). It prints round trips,
// sub-requests, 429s received, and the delay between a status change in the simulator and its
// sighting by the client (mean, 95th percentile, mean over the optimum under the budget,
// max(interval, N / budget) / 2, and mean over the paced client's). Then two and three copies
// of TeamsOps share one tenant under jitter. The last line is a summary for scripts.
#include "clients.h"
#include "harness.h"
#include "world.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <memory>

namespace {

constexpr int kJitterMinMs = 50;
constexpr int kJitterMaxMs = 400;

enum class Kind
{
    TeamsOps,
    Paced,
    Sequential,
    Burst
};

const char *nameOf(Kind kind)
{
    switch (kind) {
    case Kind::TeamsOps:
        return "TeamsOps";
    case Kind::Paced:
        return "paced";
    case Kind::Sequential:
        return "sequential";
    case Kind::Burst:
        return "burst";
    }
    return "";
}

std::unique_ptr<BenchClient> makeClient(Kind kind, Harness &harness)
{
    switch (kind) {
    case Kind::TeamsOps:
        return std::make_unique<TeamsOpsClient>(harness);
    case Kind::Paced:
        return std::make_unique<PacedClient>(harness);
    case Kind::Sequential:
        return std::make_unique<SequentialClient>(harness);
    case Kind::Burst:
        return std::make_unique<BurstClient>(harness);
    }
    return nullptr;
}

// `copies` clients of one kind on one tenant, each watching every operation of the world.
QList<Result> runClients(Kind kind, int copies, const World &world, double span, bool jitter)
{
    Harness harness(world, kJitterMinMs, jitter ? kJitterMaxMs : kJitterMinMs);
    std::vector<std::unique_ptr<BenchClient>> clients;
    QList<BenchClient *> running;
    for (int c = 0; c < copies; ++c) {
        clients.push_back(makeClient(kind, harness));
        running.append(clients.back().get());
    }
    for (BenchClient *client : std::as_const(running))
        client->start(world.locations);
    harness.run(running, span);
    QList<Result> results;
    for (const BenchClient *client : std::as_const(running))
        results.append(
            measure(world, harness.server.requests(), client->id(), client->seen(), span));
    return results;
}

struct Totals
{
    int roundTrips = 0;
    int throttled = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TeamsOps polling benchmark."));
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("quick"), QStringLiteral("Only N = 1000.")},
         {QStringLiteral("n"), QStringLiteral("Only this N."), QStringLiteral("N")},
         {QStringLiteral("copies-only"), QStringLiteral("Only the runs of two and three copies.")},
         {QStringLiteral("span"), QStringLiteral("Simulated seconds (default 600)."),
          QStringLiteral("SECONDS"), QStringLiteral("600")}});
    parser.process(app);
    const double span = parser.value(QStringLiteral("span")).toDouble();
    QList<int> sizes{100, 1000, 10000};
    if (parser.isSet(QStringLiteral("quick")))
        sizes = {1000};
    if (parser.isSet(QStringLiteral("n")))
        sizes = {parser.value(QStringLiteral("n")).toInt()};
    const double budget = OperationPoller::kDefaultTenantBudget;

    std::printf("Simulated span %.0f s, interval %lld s, budget %.0f requests/s per tenant, %d per "
                "team; Graph allows 30 and 4. Each request reaches Graph %d ms after it is sent "
                "(steady) or %d-%d ms (jitter).\n",
                span, qlonglong(kInterval.count()), budget, OperationPoller::kDefaultTeamBudget,
                kJitterMinMs, kJitterMinMs, kJitterMaxMs);
    std::printf("%-6s %-9s %-7s %-10s %11s %12s %6s %10s %10s %8s %7s %7s\n", "N", "layout",
                "network", "client", "round trips", "sub-requests", "429s", "mean delay",
                "p95 delay", "/optimum", "/paced", "unseen");
    QString summary;
    for (const int n : sizes) {
        const double optimum = std::max(double(kInterval.count()), n / budget) / 2;
        Totals teamsOps, naive;
        int jitter429 = 0;
        double worstRatio = 0;
        const bool copiesOnly = parser.isSet(QStringLiteral("copies-only"));
        for (const auto &[layout, teams] : {std::pair{"one team", 1}, std::pair{"spread", n}}) {
            if (copiesOnly)
                break;
            const World world = makeWorld(n, teams, span);
            for (const bool jitter : {false, true}) {
                double pacedDelay = 0;
                for (const Kind kind :
                     {Kind::Paced, Kind::TeamsOps, Kind::Sequential, Kind::Burst}) {
                    const Result result = runClients(kind, 1, world, span, jitter).first();
                    if (kind == Kind::Paced)
                        pacedDelay = result.meanDelay;
                    const double ratio = result.meanDelay / optimum;
                    std::printf(
                        "%-6d %-9s %-7s %-10s %11d %12d %6d %9.1fs %9.1fs %8.2f %7.2f %7d\n", n,
                        layout, jitter ? "jitter" : "steady", nameOf(kind), result.roundTrips,
                        result.subRequests, result.throttled, result.meanDelay, result.p95Delay,
                        ratio, pacedDelay > 0 ? result.meanDelay / pacedDelay : 0.0, result.unseen);
                    std::fflush(stdout);
                    if (kind == Kind::TeamsOps && jitter)
                        jitter429 += result.throttled;
                    if (jitter)
                        continue;
                    if (kind == Kind::TeamsOps) {
                        teamsOps.roundTrips += result.roundTrips;
                        teamsOps.throttled += result.throttled;
                        worstRatio = std::max(worstRatio, ratio);
                    } else if (kind == Kind::Burst) {
                        naive.roundTrips += result.roundTrips;
                        naive.throttled += result.throttled;
                    }
                }
            }
        }

        // Two and three copies of TeamsOps on one tenant, one app: two or three admins.
        std::printf("\n%-6s %-7s %-6s %12s %6s %8s %-24s %-24s\n", "N", "copies", "layout",
                    "sub-requests", "429s", "429 share", "each copy's share", "each mean delay");
        const World spread = makeWorld(n, n, span);
        double shareOf429[4] = {};
        double smallestShare[4] = {};
        for (const int copies : {2, 3}) {
            const QList<Result> results = runClients(Kind::TeamsOps, copies, spread, span, true);
            int sent = 0, throttled = 0, fewest = std::numeric_limits<int>::max();
            for (const Result &r : results) {
                sent += r.subRequests;
                throttled += r.throttled;
                fewest = std::min(fewest, r.subRequests);
            }
            QString shares, delays;
            for (const Result &r : results) {
                shares += QStringLiteral("%1 ").arg(double(r.subRequests) / sent, 0, 'f', 2);
                delays += QStringLiteral("%1s ").arg(r.meanDelay, 0, 'f', 1);
            }
            shareOf429[copies] = sent > 0 ? double(throttled) / sent : 0;
            smallestShare[copies] = sent > 0 ? double(fewest) / sent : 0;
            std::printf("%-6d %-7d %-6s %12d %6d %8.2f%% %-24s %-24s\n", n, copies, "spread", sent,
                        throttled, 100 * shareOf429[copies], qPrintable(shares),
                        qPrintable(delays));
            std::fflush(stdout);
        }
        std::printf("\n");
        summary = QStringLiteral("poll_bench N=%1 teamsops_round_trips=%2 naive_round_trips=%3 "
                                 "teamsops_429=%4 naive_429=%5 latency_ratio_to_optimum=%6 "
                                 "jitter_429=%7 pair_429_share=%8 pair_min_share=%9 "
                                 "triple_429_share=%10")
                      .arg(n)
                      .arg(teamsOps.roundTrips)
                      .arg(naive.roundTrips)
                      .arg(teamsOps.throttled)
                      .arg(naive.throttled)
                      .arg(worstRatio, 0, 'f', 2)
                      .arg(jitter429)
                      .arg(shareOf429[2], 0, 'f', 4)
                      .arg(smallestShare[2], 0, 'f', 2)
                      .arg(shareOf429[3], 0, 'f', 4);
    }
    std::printf("%s\n", qPrintable(summary));
    return 0;
}
