// team_bench: a team of admins on one PostgreSQL store, against each admin on a store of their
// own, with the simulator on loopback and a real PostgreSQL server on 127.0.0.1 (started here, as
// the tests start it).
//
//   build/bench/team_bench [--operations N] [--seconds S] [--interval SECONDS] [--samples K]
//
// 1. Graph requests: 1, 3 and 5 `teamsops-cli watch` processes, each with a home of its own (as
//    admins on their own machines), all watching the same N operations; operation GETs per second
//    at the simulator, and their ratio to one admin's, with the team store and with a store each.
// 2. Notification delay: another connection commits one operation; the time until a follower's
//    store holds it (median, 95th percentile), pushed by the server's announcement, against a
//    follower that reads on its timer (StoreSaver::kFollowEvery, how a file's followers learn).
//
// Wall-clock figures: they vary from run to run. The last line is a summary for scripts.
#include "model/clock.h"
#include "neverendingtenant.h"
#include "simserver.h"
#include "simtenant.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include "postgresserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTextStream>

#include <algorithm>
#include <memory>
#include <vector>

namespace {

using namespace neverending;

constexpr int kTeamSizes[] = {1, 3, 5};

WatchedOperation operation(int i)
{
    WatchedOperation op;
    op.ref.teamId = QStringLiteral("team");
    op.ref.operationId = QStringLiteral("op-%1").arg(i);
    op.ref.graphBase = sharedGraphBase(QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")));
    op.key = op.ref.key();
    op.setLocation(op.ref.location());
    op.addedAt = QDateTime::currentDateTimeUtc();
    return op;
}

struct Delays
{
    double median = 0;
    double p95 = 0;
};

// Milliseconds from another connection's commit to the follower's store holding the operation.
Delays notificationDelays(const QString &store, std::chrono::milliseconds followEvery, int samples)
{
    SystemClock clock;
    OperationDatabase followerDatabase;
    OperationDatabase writer;
    if (!followerDatabase.open(store).ok || !writer.open(store).ok)
        qFatal("cannot open %s", qPrintable(store));
    OperationStore followed;
    StoreSaver follower(followerDatabase, followed, clock);
    follower.restore();
    follower.followOthers(followEvery);
    std::vector<double> delays;
    QRandomGenerator random(20261205);
    for (int i = 0; i < samples; ++i) {
        // A change comes at any moment of the follower's timer, not just after its last tick.
        if (followEvery <= std::chrono::minutes(1))
            waitFor(int(random.bounded(qint64(followEvery.count()))));
        const WatchedOperation op = operation(i);
        QElapsedTimer timer;
        timer.start();
        if (!writer.commit({{{&op, 0, true}}, {}, std::nullopt}))
            qFatal("commit: %s", qPrintable(writer.lastError()));
        while (followed.indexOf(op.key) < 0 && timer.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        delays.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::sort(delays.begin(), delays.end());
    return {delays[delays.size() / 2],
            delays[std::min(delays.size() - 1, delays.size() * 95 / 100)]};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("operations"), QStringLiteral("watched operations"),
                      QStringLiteral("N"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("measured per run"),
                      QStringLiteral("S"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("poll interval"),
                      QStringLiteral("SECONDS"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("samples"), QStringLiteral("notification samples"),
                      QStringLiteral("K"), QStringLiteral("200")});
    parser.process(app);
    const int operations = parser.value(QStringLiteral("operations")).toInt();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const QString interval = parser.value(QStringLiteral("interval"));
    const int samples = parser.value(QStringLiteral("samples")).toInt();
    QTextStream out(stdout);

    PostgresServer postgres;
    if (const QString problem = postgres.start(); !problem.isEmpty()) {
        out << "PostgreSQL: " << problem << Qt::endl;
        return 1;
    }
    qputenv("PGPASSWORD", postgres.password().toUtf8());
    SimTenant tenant;
    if (const QString problem = tenant.loadScenario(QJsonDocument(scenario(operations)).toJson());
        !problem.isEmpty()) {
        out << "scenario: " << problem << Qt::endl;
        return 1;
    }
    SimServer server(tenant, QStringLiteral("token-0"));
    for (int i = 1; i < 5; ++i)
        server.addToken(QStringLiteral("token-%1").arg(i));
    if (server.listen() == 0)
        return 1;
    const QStringList locations = tenant.operationLocations();

    // 1. Graph requests with 1, 3 and 5 admins.
    std::vector<std::unique_ptr<QTemporaryDir>> homes;
    std::vector<std::unique_ptr<QProcess>> running;
    const auto startAdmin = [&](int admin, const QString &store) {
        homes.push_back(std::make_unique<QTemporaryDir>());
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TEAMSOPS_TOKEN"), QStringLiteral("token-%1").arg(admin));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), homes.back()->path());
        process->setProcessEnvironment(environment);
        // Their notes and warnings (the 429s of admins on stores of their own) are not figures.
        process->setStandardErrorFile(QProcess::nullDevice());
        process->setStandardOutputFile(QProcess::nullDevice());
        QStringList arguments{"watch", "--graph-url", server.baseUrl().toString(), "--interval",
                              interval};
        if (!store.isEmpty())
            arguments += {QStringLiteral("--store"), store};
        process->start(QStringLiteral(TEAMSOPS_CLI_PATH), arguments + locations);
        process->waitForStarted();
        running.push_back(std::move(process));
    };
    const auto measure = [&](int admins, bool team) {
        QString store;
        if (team) {
            const QString database = QStringLiteral("team_%1").arg(admins);
            if (const QString problem = postgres.createDatabase(database); !problem.isEmpty())
                qFatal("%s", qPrintable(problem));
            store = postgres.url(database);
        }
        for (int admin = 0; admin < admins; ++admin)
            startAdmin(admin, store); // no --store: each admin's own file in their own home
        waitFor(4000); // start-up: every process open, the lease settled, the first round out
        const int before = operationGets(server);
        waitFor(seconds * 1000);
        const double perSecond = double(operationGets(server) - before) / seconds;
        for (const auto &process : running) {
            process->terminate();
            process->waitForFinished(10000);
        }
        running.clear();
        return perSecond;
    };
    out << "admins | team store: GETs/s | x one admin | a store each: GETs/s | x one admin"
        << Qt::endl;
    double teamAlone = 0, eachAlone = 0;
    QStringList summary;
    for (const int admins : kTeamSizes) {
        const double team = measure(admins, true);
        const double each = measure(admins, false);
        if (admins == 1) {
            teamAlone = team;
            eachAlone = each;
        }
        const double teamRatio = teamAlone > 0 ? team / teamAlone : 0;
        const double eachRatio = eachAlone > 0 ? each / eachAlone : 0;
        out << admins << " | " << qRound(team) << " | " << QString::number(teamRatio, 'f', 2)
            << " | " << qRound(each) << " | " << QString::number(eachRatio, 'f', 2) << Qt::endl;
        summary << QStringLiteral("team_ratio_%1=%2").arg(admins).arg(teamRatio, 0, 'f', 2)
                << QStringLiteral("each_ratio_%1=%2").arg(admins).arg(eachRatio, 0, 'f', 2);
    }

    // 2. How soon another admin's change shows.
    if (const QString problem = postgres.createDatabase(QStringLiteral("notify"));
        !problem.isEmpty())
        qFatal("%s", qPrintable(problem));
    const Delays pushed =
        notificationDelays(postgres.url(QStringLiteral("notify")), std::chrono::hours(1), samples);
    QTemporaryDir fileDir;
    const Delays timed = notificationDelays(
        fileDir.filePath(QStringLiteral("timer.sqlite")),
        std::chrono::duration_cast<std::chrono::milliseconds>(StoreSaver::kFollowEvery),
        std::max(10, samples / 20));
    out << "another admin's change shown after: pushed (LISTEN/NOTIFY) median "
        << QString::number(pushed.median, 'f', 1) << " ms, p95 "
        << QString::number(pushed.p95, 'f', 1) << " ms; read on a "
        << StoreSaver::kFollowEvery.count() << " s timer median "
        << QString::number(timed.median, 'f', 0) << " ms, p95 "
        << QString::number(timed.p95, 'f', 0) << " ms" << Qt::endl;
    out << "team_bench operations=" << operations << " interval_s=" << interval << ' '
        << summary.join(QLatin1Char(' '))
        << " notify_median_ms=" << QString::number(pushed.median, 'f', 1)
        << " notify_p95_ms=" << QString::number(pushed.p95, 'f', 1)
        << " timer_median_ms=" << QString::number(timed.median, 'f', 0) << Qt::endl;
    return 0;
}
