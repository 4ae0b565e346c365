// share_bench: one store shared by 1, 2 and 3 `teamsops-cli watch` processes, against the
// simulator on loopback. One of them polls (the store's lease); the others show what it saves.
// Prints, for each number of processes, the operation GETs the simulator received per second
// and their ratio to one process; then the take-over: the poller is killed (SIGKILL) and the
// time until another process's first GET is measured.
//
//   build/bench/share_bench [--operations N] [--seconds S] [--interval SECONDS]
//
// Wall-clock figures: they vary from run to run. The last line is a summary for scripts:
//   share_bench operations=<n> interval_s=<i> gets_per_s_1=<a> ratio_2=<b> ratio_3=<c>
//   takeover_s=<t>
#include "neverendingtenant.h"
#include "simserver.h"
#include "simtenant.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <memory>
#include <vector>

using namespace neverending;

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
    parser.process(app);
    const int operations = parser.value(QStringLiteral("operations")).toInt();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const QString interval = parser.value(QStringLiteral("interval"));
    QTextStream out(stdout);

    SimTenant tenant;
    if (const QString problem = tenant.loadScenario(QJsonDocument(scenario(operations)).toJson());
        !problem.isEmpty()) {
        out << "scenario: " << problem << Qt::endl;
        return 1;
    }
    SimServer server(tenant, QStringLiteral("token-0"));
    for (int i = 1; i < 3; ++i)
        server.addToken(QStringLiteral("token-%1").arg(i));
    if (server.listen() == 0)
        return 1;
    QStringList locations = tenant.operationLocations();

    QTemporaryDir dir;
    std::vector<std::unique_ptr<QProcess>> running;
    const auto startWatch = [&](int client, const QString &store) {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TEAMSOPS_TOKEN"),
                           QStringLiteral("token-%1").arg(client));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        process->setProcessEnvironment(environment);
        process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process->setStandardOutputFile(QProcess::nullDevice());
        process->start(QStringLiteral(TEAMSOPS_CLI_PATH),
                       QStringList{"watch", "--store", store, "--graph-url",
                                   server.baseUrl().toString(), "--interval", interval} +
                           locations);
        process->waitForStarted();
        running.push_back(std::move(process));
    };
    const auto stopAll = [&] {
        for (const auto &process : running) {
            process->terminate();
            process->waitForFinished(10000);
        }
        running.clear();
    };

    double perSecondAlone = 0;
    double ratios[4] = {0, 1, 0, 0};
    for (int processes = 1; processes <= 3; ++processes) {
        const QString store = dir.filePath(QStringLiteral("shared-%1.sqlite").arg(processes));
        for (int client = 0; client < processes; ++client)
            startWatch(client, store);
        waitFor(3000); // start-up: every process open, the lease settled, the first round out
        const int before = operationGets(server);
        waitFor(seconds * 1000);
        const double perSecond = double(operationGets(server) - before) / seconds;
        stopAll();
        if (processes == 1)
            perSecondAlone = perSecond;
        ratios[processes] = perSecondAlone > 0 ? perSecond / perSecondAlone : 0;
        out << processes << " process(es) on one store: " << qRound(perSecond)
            << " operation GETs/s, " << QString::number(ratios[processes], 'f', 2)
            << "x one process" << Qt::endl;
    }

    // Take-over: the poller (the first started) is killed; the second polls from then on.
    const QString store = dir.filePath(QStringLiteral("takeover.sqlite"));
    startWatch(0, store);
    waitFor(2000);
    startWatch(1, store);
    waitFor(3000);
    const int secondBefore = operationGets(server, 1);
    running.front()->kill();
    QElapsedTimer sinceKill;
    sinceKill.start();
    while (operationGets(server, 1) == secondBefore && sinceKill.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const double takeover = sinceKill.elapsed() / 1000.0;
    stopAll();
    out << "take-over after SIGKILL of the poller: " << QString::number(takeover, 'f', 2)
        << " s (interval " << interval << " s)" << Qt::endl;
    out << "share_bench operations=" << operations << " interval_s=" << interval
        << " gets_per_s_1=" << qRound(perSecondAlone)
        << " ratio_2=" << QString::number(ratios[2], 'f', 2)
        << " ratio_3=" << QString::number(ratios[3], 'f', 2)
        << " takeover_s=" << QString::number(takeover, 'f', 2) << Qt::endl;
    return 0;
}
