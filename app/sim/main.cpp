// teamsops-sim: the Graph simulator on its own, for trying the CLI or a script against it.
#include "model/programversion.h"
#include "simserver.h"
#include "simtenant.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("teamsops-sim"));
    QCoreApplication::setApplicationVersion(programVersion());
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A simulated Microsoft Graph tenant on 127.0.0.1, for trying TeamsOps and "
                       "scripts without a real tenant: teams, clones, archives and their "
                       "operations, sign-in, throttling and faults. (teamsops --demo runs the same "
                       "simulator inside the dashboard.) It is not Microsoft Graph and holds no "
                       "real data."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("scenario"),
         QStringLiteral("Scenario JSON file to seed the tenant (default: the demo tenant of "
                        "teamsops --demo)."),
         QStringLiteral("FILE")},
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (default: any free one)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("token"), QStringLiteral("Bearer token to accept (default: random)."),
         QStringLiteral("TOKEN")},
        {QStringLiteral("time-scale"),
         QStringLiteral("Simulated seconds per real second (overrides the scenario)."),
         QStringLiteral("X")},
    });
    if (parser.parse(QCoreApplication::arguments()) && parser.isSet(QStringLiteral("version"))) {
        out << programVersionLine(QStringLiteral("teamsops-sim")) << Qt::endl;
        return 0;
    }
    parser.process(app);

    SimTenant tenant;
    {
        // Without --scenario, the demo tenant built in (so the installed simulator needs no file).
        QFile file(parser.isSet(QStringLiteral("scenario"))
                       ? parser.value(QStringLiteral("scenario"))
                       : QStringLiteral(":/scenarios/demo.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            err << "error: cannot read scenario " << file.fileName() << ": " << file.errorString()
                << Qt::endl;
            return 1;
        }
        const QString problem = tenant.loadScenario(file.readAll());
        if (!problem.isEmpty()) {
            err << "error: " << file.fileName() << ": " << problem << Qt::endl;
            return 1;
        }
    }
    if (parser.isSet(QStringLiteral("time-scale")))
        tenant.setTimeScale(parser.value(QStringLiteral("time-scale")).toDouble());

    SimServer server(tenant, parser.value(QStringLiteral("token")));
    if (server.listen(static_cast<quint16>(parser.value(QStringLiteral("port")).toUInt())) == 0) {
        err << "error: cannot listen on 127.0.0.1:" << parser.value(QStringLiteral("port"))
            << Qt::endl;
        return 1;
    }
    // Machine-readable lines first (scripts read them), then one Location per seeded operation.
    out << "graph-url=" << server.baseUrl().toString() << '\n'
        << "token=" << server.token() << '\n';
    for (const QString &location : tenant.operationLocations())
        out << "location=" << location << '\n';
    out << "# Try: TEAMSOPS_TOKEN=" << server.token() << " teamsops-cli watch --graph-url "
        << server.baseUrl().toString() << " --interval 2 \"LOCATION\"" << Qt::endl;
    return app.exec();
}
