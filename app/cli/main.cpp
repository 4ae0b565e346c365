// teamsops-cli: the headless twin of the dashboard, for scripts.
#include "clock.h"
#include "operationpoller.h"
#include "storecommands.h"
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
        "  teamsops-cli watch [options] --team TEAM [LOCATION...]\n"
        "  teamsops-cli watch [options]              resume every unfinished operation stored\n"
        "  teamsops-cli list [--json]                what the store holds, last status each\n"
        "  teamsops-cli history [--json] LOCATION    every change seen of one operation\n"
        "  teamsops-cli forget LOCATION...           remove operations from the store\n"
        "  teamsops-cli forget --terminal-older-than DAYS\n\n"
        "LOCATION is the Location header of a 202 reply, or a Graph URL of the operation.\n"
        "The access token is read from TEAMSOPS_TOKEN. Everything watched is kept in the store\n"
        "(--store), shared with the TeamsOps window.\n"
        "Exit status: 0 all succeeded, 2 some failed (or were stopped: access denied, not found),\n"
        "3 --timeout passed, 1 usage/Location/sign-in/store error."));
    parser.addHelpOption();
    parser.addVersionOption();
    WatchOptions::addTo(parser, true);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object per line.")});
    parser.addOption({QStringLiteral("team"),
                      QStringLiteral("Also watch every operation of this team (an id, "
                                     "/teams('id') or a Graph URL of the team); repeatable."),
                      QStringLiteral("TEAM")});
    parser.addOption({QStringLiteral("terminal-older-than"),
                      QStringLiteral("forget: the finished operations whose last change is older "
                                     "than this many days."),
                      QStringLiteral("DAYS")});
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("watch, list, history or forget"));
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
    const QString command = positional.isEmpty() ? QString() : positional.takeFirst();
    const QStringList commands{QStringLiteral("watch"), QStringLiteral("list"),
                               QStringLiteral("history"), QStringLiteral("forget")};
    if (!commands.contains(command)) {
        err << "error: unknown command; usage: teamsops-cli watch|list|history|forget "
               "(see --help)"
            << Qt::endl;
        return kUsageError;
    }

    WatchOptions shared;
    const QString problem = shared.readFrom(parser, std::chrono::seconds(30));
    if (!problem.isEmpty()) {
        err << "error: " << problem << Qt::endl;
        return kUsageError;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    if (command == QLatin1String("list"))
        return StoreCommands::list(shared.storePath, json, out, err);
    if (command == QLatin1String("history")) {
        if (positional.size() != 1) {
            err << "error: history takes one LOCATION" << Qt::endl;
            return kUsageError;
        }
        return StoreCommands::history(shared.storePath, positional.first(), shared.graphUrl, json,
                                      out, err);
    }
    if (command == QLatin1String("forget")) {
        int days = -1;
        if (parser.isSet(QStringLiteral("terminal-older-than"))) {
            bool ok = false;
            days = parser.value(QStringLiteral("terminal-older-than")).toInt(&ok);
            if (!ok || days < 0) {
                err << "error: --terminal-older-than takes a whole number of days" << Qt::endl;
                return kUsageError;
            }
        }
        if (positional.isEmpty() && days < 0) {
            err << "error: forget takes LOCATION... or --terminal-older-than DAYS" << Qt::endl;
            return kUsageError;
        }
        return StoreCommands::forget(shared.storePath, positional, shared.graphUrl, days, out, err);
    }

    WatchSession::Options options;
    options.graphUrl = shared.graphUrl;
    options.interval = shared.interval;
    options.timeout = shared.timeout;
    options.tenantBudget = shared.tenantBudget;
    options.teamBudget = shared.teamBudget;
    options.json = json;
    options.storePath = shared.storePath;
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
