// teamsops-cli: the headless twin of the dashboard, for scripts.
#include "clock.h"
#include "operationpoller.h"
#include "watchoptions.h"
#include "watchsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <chrono>
#include <cstdio>

namespace {

constexpr int kUsageError = WatchSession::UsageError;

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("teamsops-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Watch Microsoft Teams async operations (clone, archive, create...) until they finish.\n\n"
        "  teamsops-cli watch [options] LOCATION...\n"
        "  teamsops-cli watch [options] --team TEAM [LOCATION...]\n\n"
        "LOCATION is the Location header of a 202 reply, or a Graph URL of the operation.\n"
        "The access token is read from TEAMSOPS_TOKEN.\n"
        "Exit status: 0 all succeeded, 2 some failed (or were stopped: access denied, not found),\n"
        "3 --timeout passed, 1 usage/Location/sign-in error."));
    parser.addHelpOption();
    parser.addVersionOption();
    WatchOptions::addTo(parser, true);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object per line.")});
    parser.addOption({QStringLiteral("team"),
                      QStringLiteral("Also watch every operation of this team (an id, "
                                     "/teams('id') or a Graph URL of the team); repeatable."),
                      QStringLiteral("TEAM")});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("watch"));
    parser.addPositionalArgument(QStringLiteral("LOCATION"), QStringLiteral("Operations to watch."),
                                 QStringLiteral("LOCATION..."));
    if (!parser.parse(QCoreApplication::arguments())) {
        err << "error: " << parser.errorText() << Qt::endl;
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << "teamsops-cli " << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.first() != QLatin1String("watch")) {
        err << "error: unknown command; usage: teamsops-cli watch [options] LOCATION... "
               "(see --help)"
            << Qt::endl;
        return kUsageError;
    }
    positional.removeFirst();

    WatchOptions shared;
    const QString problem = shared.readFrom(parser, std::chrono::seconds(30));
    if (!problem.isEmpty()) {
        err << "error: " << problem << Qt::endl;
        return kUsageError;
    }
    WatchSession::Options options;
    options.graphUrl = shared.graphUrl;
    options.interval = shared.interval;
    options.timeout = shared.timeout;
    options.tenantBudget = shared.tenantBudget;
    options.teamBudget = shared.teamBudget;
    options.json = parser.isSet(QStringLiteral("json"));
    options.locations = positional;
    options.teams = parser.values(QStringLiteral("team"));
    options.token = qEnvironmentVariable("TEAMSOPS_TOKEN").trimmed();

    SystemClock clock;
    WatchSession session(options, clock, out, err);
    QObject::connect(&session, &WatchSession::finished, &app, &QCoreApplication::exit);
    if (!session.start())
        return kUsageError;
    return app.exec();
}
