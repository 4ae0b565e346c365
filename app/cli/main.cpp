// teamsops-cli: the headless twin of the dashboard, for scripts.
#include "clock.h"
#include "operationpoller.h"
#include "watchsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <chrono>
#include <cstdio>

namespace {

constexpr int kUsageError = WatchSession::UsageError;

std::optional<std::chrono::milliseconds> secondsOption(const QCommandLineParser &parser,
                                                       const QString &name, QTextStream &err)
{
    if (!parser.isSet(name))
        return std::nullopt;
    bool ok = false;
    const double seconds = parser.value(name).toDouble(&ok);
    if (!ok || seconds <= 0) {
        err << "error: --" << name << " takes a positive number of seconds" << Qt::endl;
        return std::chrono::milliseconds(-1);
    }
    return std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
}

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
        "  teamsops-cli watch [options] LOCATION...\n\n"
        "LOCATION is the Location header of a 202 reply, or a Graph URL of the operation.\n"
        "The access token is read from TEAMSOPS_TOKEN.\n"
        "Exit status: 0 all succeeded, 2 some failed (or were stopped: access denied, not found),\n"
        "3 --timeout passed, 1 usage/Location/sign-in error."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("graph-url"),
         QStringLiteral("Graph base URL (default %1).")
             .arg(QStringLiteral("https://graph.microsoft.com/v1.0")),
         QStringLiteral("URL"), QStringLiteral("https://graph.microsoft.com/v1.0")},
        {QStringLiteral("interval"),
         QStringLiteral("Seconds between polls of one operation (default and minimum 30; "
                        "shorter only against 127.0.0.1)."),
         QStringLiteral("SECONDS")},
        {QStringLiteral("timeout"), QStringLiteral("Give up after this many seconds (exit 3)."),
         QStringLiteral("SECONDS")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object per line.")},
        {QStringLiteral("tenant-budget"),
         QStringLiteral("Most requests per second to Graph in all (default %1; Graph allows 30).")
             .arg(OperationPoller::kDefaultTenantBudget),
         QStringLiteral("N")},
        {QStringLiteral("team-budget"),
         QStringLiteral("Most requests per second on any one team (default %1; Graph allows 4).")
             .arg(OperationPoller::kDefaultTeamBudget),
         QStringLiteral("N")},
    });
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

    WatchSession::Options options;
    options.graphUrl = QUrl(parser.value(QStringLiteral("graph-url")), QUrl::StrictMode);
    options.json = parser.isSet(QStringLiteral("json"));
    options.locations = positional;
    options.token = qEnvironmentVariable("TEAMSOPS_TOKEN").trimmed();
    const auto interval = secondsOption(parser, QStringLiteral("interval"), err);
    const auto timeout = secondsOption(parser, QStringLiteral("timeout"), err);
    if ((interval && interval->count() < 0) || (timeout && timeout->count() < 0))
        return kUsageError;
    if (interval)
        options.interval = *interval;
    for (const auto &[name, target] :
         {std::pair{QStringLiteral("tenant-budget"), &options.tenantBudget},
          std::pair{QStringLiteral("team-budget"), &options.teamBudget}}) {
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        *target = parser.value(name).toInt(&ok);
        if (!ok || *target < 1) {
            err << "error: --" << name << " takes a whole number of requests per second"
                << Qt::endl;
            return kUsageError;
        }
    }
    options.timeout = timeout;

    SystemClock clock;
    WatchSession session(options, clock, out, err);
    QObject::connect(&session, &WatchSession::finished, &app, &QCoreApplication::exit);
    if (!session.start())
        return kUsageError;
    return app.exec();
}
