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
//   rss_day1_kib=<a> rss_last_kib=<b> heap_day1_kib=<c> heap_last_kib=<d> requests=<q>
//   faults=<f> unanswered=<u> renewals=<t> real_s=<e>
// (RSS and heap in use are the client's: the simulator runs in a process of its own.)
// The exit status is 0 when every operation ended as in the simulator.
#include "model/operationref.h"
#include "remotesimulator.h"
#include "residentmemory.h"
#include "simulatorprocess.h"
#include "soakinstance.h"

#include <QBitArray>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <map>
#include <memory>

using namespace std::chrono;
using namespace soak;

namespace {

constexpr qint64 kForgetAfterSecs = 6 * 3600;

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
    QCommandLineOption simulatorRole(
        QStringLiteral("simulator"),
        QStringLiteral("Be the simulator process (the soak starts it)."));
    simulatorRole.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(simulatorRole);
    parser.process(app);
    SimulatorSettings settings;
    settings.operations = std::max(1, parser.value(QStringLiteral("operations")).toInt());
    settings.days = std::max(1, parser.value(QStringLiteral("days")).toInt());
    settings.seed = parser.value(QStringLiteral("seed")).toUInt();
    if (parser.isSet(simulatorRole))
        return runSimulatorProcess(settings);
    const int operations = settings.operations;
    const int days = settings.days;
    const qint64 restartEvery =
        std::max<qint64>(1, parser.value(QStringLiteral("restart-hours")).toLongLong()) * 3600;

    QElapsedTimer real;
    real.start();
    // The tenant lives in a process of its own: the resident memory read here is TeamsOps'.
    RemoteSimulator remote;
    remote.start(QCoreApplication::applicationFilePath(),
                 {QStringLiteral("--simulator"), QStringLiteral("--operations"),
                  QString::number(operations), QStringLiteral("--days"), QString::number(days),
                  QStringLiteral("--seed"), QString::number(settings.seed)});
    const QList<Planned> &planned = remote.planned();
    ManualClock clock(weekStart());
    // The simulator's clock first: a request the client sends once its own has moved must not
    // be stamped with the time before.
    const auto moveClockTo = [&](const QDateTime &to) {
        const qint64 by = std::max<qint64>(1, clock.now().msecsTo(to));
        remote.advanceTo(clock.now().addMSecs(by));
        clock.advance(milliseconds(by));
    };

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    const QDateTime start = clock.now();
    const QDateTime end = start.addSecs(qint64(days) * 86400);
    auto instance = std::make_unique<Instance>(path, remote.baseUrl(), clock);

    // Each operation's comparison with the simulator, kept in room fixed at the start (so the
    // harness's own bookkeeping does not grow the memory it measures): by its place in the
    // plan, whether it was compared, whether it differed, whether it stopped polling. An
    // operation forgotten just before a crash comes back from the store and is compared again.
    QHash<QString, int> placeOf;
    placeOf.reserve(planned.size());
    for (int i = 0; i < planned.size(); ++i)
        placeOf.insert(OperationRef{planned[i].teamId, planned[i].operationId, QUrl()}.key(), i);
    QBitArray compared(planned.size()), differs(planned.size()), stoppedPolling(planned.size());
    int restarts = 0;
    int renewals = 0;
    qint64 rssDay1 = 0;
    qint64 heapDay1 = 0;
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
            const int place = placeOf.value(op.key, -1);
            if (place < 0)
                qFatal("soak: %s was never planned", qPrintable(op.key));
            if (op.watch != WatchedOperation::Watch::Active && !stoppedPolling.testBit(place)) {
                stoppedPolling.setBit(place);
                std::printf("stopped: %s (%d)\n", qPrintable(op.key), int(op.watch));
            }
            const std::optional<QJsonObject> truth =
                remote.operationJson(op.ref.teamId, op.ref.operationId);
            const QString difference =
                truth ? differenceFrom(op, *truth) : QStringLiteral("unknown to the simulator");
            if (!difference.isEmpty())
                std::printf("mismatch: %s: %s\n", qPrintable(op.key), qPrintable(difference));
            compared.setBit(place);
            differs.setBit(place, !difference.isEmpty());
            done.append(op.ref);
        }
        if (instance->poller())
            instance->poller()->unwatch(done);
    };

    // Until every request sent is on its way or held unanswered at the service, and every
    // answer given has been read (as bench/pollbench/harness.cpp).
    const auto atService = [&] { return remote.requestsInTransit() + remote.requestsHeld(); };
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
                   int(instance->isRenewing()), remote.requestsInTransit(), remote.requestsHeld());
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
            instance->watch(*resolveLocation(location, remote.baseUrl()).ref, location);
        }
        if (now >= nextSweep) {
            compareAndForget(false);
            nextSweep = now.addSecs(3600);
        }
        if (now >= nextRestart && now < end) {
            // Requests on their way are answered first: the simulator would otherwise hold them
            // for a client that is gone, and settle() would wait for them forever.
            for (int i = 0; i < 200 && remote.requestsInTransit() > 0; ++i) {
                moveClockTo(remote.nextArrivalAt());
                settle();
            }
            const bool crash = restarts % 2 == 1;
            if (!crash)
                instance->saveNow();
            const qsizetype before = instance->store().size();
            renewals += instance->renewals();
            const qint64 rss = residentKiB();
            const qint64 heap = heapInUseKiB();
            const qint64 simulatorRss = remote.figures().residentKiB;
            if (restarts == 0) {
                rssDay1 = rss;
                heapDay1 = heap;
            }
            instance.reset();
            instance = std::make_unique<Instance>(path, remote.baseUrl(), clock);
            ++restarts;
            std::printf("day %.1f: %s restart, %lld rows before, %lld restored, RSS %lld KiB, heap "
                        "in use %lld KiB (the simulator's process: %lld KiB)\n",
                        elapsed / 86400, crash ? "crash" : "clean", qint64(before),
                        qint64(instance->restored()), rss, heap, simulatorRss);
            std::fflush(stdout);
            nextRestart = now.addSecs(restartEvery);
        }
        if (now >= end && next >= planned.size())
            break;
        QDateTime wake = remote.nextArrivalAt();
        for (const QDateTime &candidate : {instance->wakeAt(), nextRestart, nextSweep, end}) {
            if (candidate.isValid() && (!wake.isValid() || candidate < wake))
                wake = candidate;
        }
        if (next < planned.size()) {
            const QDateTime due = start.addMSecs(qint64(planned[next].startsAt * 1000));
            if (due < wake)
                wake = due;
        }
        moveClockTo(wake);
    }
    renewals += instance->renewals();
    const qint64 rssLast = residentKiB();
    const qint64 heapLast = heapInUseKiB();
    const int stillPolled =
        int(std::count_if(instance->store().records().cbegin(), instance->store().records().cend(),
                          [](const WatchedOperation &op) { return !op.isTerminal(); }));
    compareAndForget(true);
    const int comparedCount = int(compared.count(true));
    const int mismatches = int(differs.count(true));
    const int stopped = int(stoppedPolling.count(true));
    std::printf("%d compared with the simulator: %d differ, %d stopped polling, %d not finished "
                "in the client\n",
                comparedCount, mismatches, stopped, stillPolled);
    const SimulatorFigures figures = remote.figures();
    const qint64 requests = figures.roundTrips + figures.subRequests;
    std::printf("requests %lld (round trips %lld), 429 answers %lld, faults drawn (all kinds) "
                "%lld, never answered %lld, token renewals %d, real time %.0f s; the "
                "simulator's process ended at %lld KiB\n",
                requests, figures.roundTrips, figures.throttled, figures.faults, figures.unanswered,
                renewals, real.elapsed() / 1000.0, figures.residentKiB);
    std::printf("soak operations=%d days=%d restarts=%d mismatches=%d missing=%d stopped=%d "
                "rss_day1_kib=%lld rss_last_kib=%lld heap_day1_kib=%lld heap_last_kib=%lld "
                "requests=%lld faults=%lld unanswered=%lld renewals=%d real_s=%.0f\n",
                operations, days, restarts, mismatches, operations - comparedCount, stopped,
                rssDay1, rssLast, heapDay1, heapLast, requests, figures.faults, figures.unanswered,
                renewals, real.elapsed() / 1000.0);
    return mismatches == 0 && comparedCount == operations ? 0 : 1;
}
