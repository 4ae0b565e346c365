// scale_bench: what watching many operations costs the process that polls them.
//
//   build/bench/scale_bench [--sizes 1000,10000,100000] [--layouts spread,teams]
//                           [--warmup SECONDS] [--seconds SECONDS]
//
// For each size and layout ("spread": one operation per team; "teams": 100 per team), the
// simulator runs in a process of its own (teamsops-sim, real time, Graph's throttling) with that
// many never-ending operations, and this process watches them all as the dashboard and
// `teamsops-cli watch` do: an OperationPoller at a 30 s interval and the default budget, polling
// at the budget (first sightings, then rounds). After the warm-up, over the measured seconds:
//   cpu%      this process's CPU time over wall time, in % of one core (the simulator's is not in)
//   B/op      resident memory beyond the baseline measured before watching, per operation
//   stall_ms  the longest gap between ticks of a 10 ms timer on this thread, beyond its 10 ms:
//             what the dashboard's GUI thread would lose to polling
//   answers/s operations read per second (from single GETs, batches and team lists), and
//   throttled answers (429) received
// Wall-clock figures: they vary from run to run. The last lines are a summary for scripts:
//   scale layout=<l> n=<n> cpu_pct=<c> bytes_per_op=<b> stall_ms=<s> answers_per_s=<a>
//   throttled=<t>
#include "graph/graphclient.h"
#include "model/clock.h"
#include "model/operationref.h"
#include "polling/operationpoller.h"
#include "residentmemory.h"
#include "store/operationstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>
#include <memory>

using namespace std::chrono;

namespace {

constexpr int kPerTeamInTeamsLayout = 100;
constexpr milliseconds kTick{10};

QString teamId(int team)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(team, 12, 10, QLatin1Char('0'));
}

QString operationId(int op)
{
    return QStringLiteral("10000000-0000-4000-8000-%1").arg(op, 12, 10, QLatin1Char('0'));
}

int teamOf(int op, int perTeam)
{
    return op / perTeam;
}

QByteArray scenario(int operations, int perTeam)
{
    QJsonArray teams;
    QJsonArray ops;
    for (int team = 0; team < (operations + perTeam - 1) / perTeam; ++team)
        teams.append(QJsonObject{{"id", teamId(team)}, {"displayName", QString::number(team)}});
    for (int op = 0; op < operations; ++op) {
        ops.append(QJsonObject{{"id", operationId(op)},
                               {"teamId", teamId(teamOf(op, perTeam))},
                               {"startAfter", 1},
                               {"duration", 1e9}});
    }
    return QJsonDocument(QJsonObject{{"teams", teams}, {"operations", ops}})
        .toJson(QJsonDocument::Compact);
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The simulator in a process of its own, so that this process's CPU and memory are the poller's.
class SimulatorProcess
{
public:
    bool start(const QString &scenarioFile)
    {
        m_process.setProgram(QStringLiteral(TEAMSOPS_SIM_PATH));
        m_process.setArguments({QStringLiteral("--scenario"), scenarioFile,
                                QStringLiteral("--time-scale"), QStringLiteral("1")});
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted())
            return false;
        while (m_url.isEmpty() || m_token.isEmpty()) {
            if (!m_process.canReadLine() && !m_process.waitForReadyRead(120000))
                return false;
            const QByteArray line = m_process.readLine().trimmed();
            if (line.startsWith("graph-url="))
                m_url = QUrl(QString::fromUtf8(line.mid(10)));
            else if (line.startsWith("token="))
                m_token = QString::fromUtf8(line.mid(6));
        }
        // The Locations it prints are not needed: drop them as they come.
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_process.readAllStandardOutput(); });
        return true;
    }
    ~SimulatorProcess()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    QUrl url() const { return m_url; }
    QString token() const { return m_token; }

private:
    QProcess m_process;
    QUrl m_url;
    QString m_token;
};

struct Figures
{
    double cpuPercent = 0;
    double bytesPerOperation = 0;
    double stallMs = 0;
    double answersPerSecond = 0;
    int throttled = 0;
};

// Runs the event loop for `span`, measuring the longest gap between ticks of a kTick timer.
double runMeasuringStalls(milliseconds span)
{
    QElapsedTimer wall;
    wall.start();
    qint64 lastTick = 0;
    qint64 longest = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = wall.elapsed();
        longest = std::max(longest, now - lastTick);
        lastTick = now;
    });
    ticker.start(kTick);
    // A loop that sleeps between events: processEvents() with a time limit would spin, and be
    // counted as the poller's CPU.
    QEventLoop loop;
    QTimer::singleShot(span, &loop, &QEventLoop::quit);
    loop.exec();
    return double(std::max<qint64>(0, longest - kTick.count()));
}

bool measure(int operations, int perTeam, seconds warmup, seconds window, Figures &figures)
{
    QTemporaryDir dir;
    const QString scenarioFile = dir.filePath(QStringLiteral("scenario.json"));
    {
        QFile file(scenarioFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(scenario(operations, perTeam)) < 0)
            return false;
    }
    SimulatorProcess simulator;
    if (!simulator.start(scenarioFile))
        return false;

    SystemClock clock;
    const QString token = simulator.token();
    GraphClient client(simulator.url(), [token] { return token; });
    OperationStore store;
    OperationPoller poller(client, clock, store);
    poller.setInterval(PollPlanner::kServiceFloor);
    int answers = 0;
    int throttled = 0;
    QObject::connect(&poller, &OperationPoller::roundFinished,
                     [&](const PollRound &round) { answers += round.polled; });
    QObject::connect(&poller, &OperationPoller::pollFailed,
                     [&](const WatchedOperation &, const GraphReply &reply) {
                         throttled += reply.httpStatus == 429;
                     });
    // The baseline: everything set up but the operations.
    QCoreApplication::processEvents();
    malloc_trim(0);
    const qint64 baselineKiB = residentKiB();
    for (int op = 0; op < operations; ++op) {
        const QString location = QStringLiteral("/teams('%1')/operations('%2')")
                                     .arg(teamId(teamOf(op, perTeam)), operationId(op));
        poller.watch(*resolveLocation(location, simulator.url()).ref, location);
    }
    runMeasuringStalls(warmup);

    answers = 0;
    throttled = 0;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    figures.stallMs = runMeasuringStalls(window);
    const double elapsed = double(wall.elapsed()) / 1000.0;
    figures.cpuPercent = 100.0 * (cpuSeconds() - cpuBefore) / elapsed;
    figures.answersPerSecond = answers / elapsed;
    figures.throttled = throttled;
    figures.bytesPerOperation = double(residentKiB() - baselineKiB) * 1024.0 / operations;
    return true;
}

QList<int> parseSizes(const QString &text)
{
    QList<int> sizes;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        sizes.append(part.toInt());
    return sizes;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("CPU, memory and event-loop stalls of polling many operations."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("sizes"), QStringLiteral("Operations watched, comma-separated."),
         QStringLiteral("N,..."), QStringLiteral("1000,10000,100000")},
        {QStringLiteral("layouts"), QStringLiteral("spread (one per team), teams (100 per team)."),
         QStringLiteral("L,..."), QStringLiteral("spread,teams")},
        {QStringLiteral("warmup"), QStringLiteral("Seconds before measuring."), QStringLiteral("S"),
         QStringLiteral("15")},
        {QStringLiteral("seconds"), QStringLiteral("Seconds measured."), QStringLiteral("S"),
         QStringLiteral("40")},
    });
    parser.process(app);
    const seconds warmup(parser.value(QStringLiteral("warmup")).toInt());
    const seconds window(parser.value(QStringLiteral("seconds")).toInt());

    std::printf("%-7s %7s %7s %8s %9s %10s %9s\n", "layout", "n", "cpu%", "B/op", "stall_ms",
                "answers/s", "throttled");
    QStringList summary;
    for (const QString &layout : parser.value(QStringLiteral("layouts")).split(QLatin1Char(','))) {
        const int perTeam = layout == QLatin1String("teams") ? kPerTeamInTeamsLayout : 1;
        for (const int n : parseSizes(parser.value(QStringLiteral("sizes")))) {
            Figures figures;
            if (!measure(n, perTeam, warmup, window, figures)) {
                std::fprintf(stderr, "scale_bench: the simulator did not start for %d\n", n);
                return 1;
            }
            std::printf("%-7s %7d %7.1f %8.0f %9.0f %10.1f %9d\n", qPrintable(layout), n,
                        figures.cpuPercent, figures.bytesPerOperation, figures.stallMs,
                        figures.answersPerSecond, figures.throttled);
            std::fflush(stdout);
            summary.append(QStringLiteral("scale layout=%1 n=%2 cpu_pct=%3 bytes_per_op=%4 "
                                          "stall_ms=%5 answers_per_s=%6 throttled=%7")
                               .arg(layout)
                               .arg(n)
                               .arg(figures.cpuPercent, 0, 'f', 1)
                               .arg(figures.bytesPerOperation, 0, 'f', 0)
                               .arg(figures.stallMs, 0, 'f', 0)
                               .arg(figures.answersPerSecond, 0, 'f', 1)
                               .arg(figures.throttled));
        }
    }
    for (const QString &line : std::as_const(summary))
        std::printf("%s\n", qPrintable(line));
    return 0;
}
