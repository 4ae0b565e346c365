// teamsops-sim: the Graph simulator on its own, for trying the CLI or a script against it.
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
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A simulated Microsoft Graph tenant on 127.0.0.1 for TeamsOps."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("scenario"), QStringLiteral("Scenario JSON file to seed the tenant."),
         QStringLiteral("FILE")},
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (default: any free one)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("token"), QStringLiteral("Bearer token to accept (default: random)."),
         QStringLiteral("TOKEN")},
        {QStringLiteral("time-scale"),
         QStringLiteral("Simulated seconds per real second (overrides the scenario)."),
         QStringLiteral("X")},
    });
    parser.process(app);

    SimTenant tenant;
    if (parser.isSet(QStringLiteral("scenario"))) {
        QFile file(parser.value(QStringLiteral("scenario")));
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
