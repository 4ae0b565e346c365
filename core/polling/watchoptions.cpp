#include "polling/watchoptions.h"

#include "store/storelocation.h"

#include "graph/graphclient.h"
#include "polling/operationpoller.h"
#include "store/operationdatabase.h"

#include <QCommandLineParser>

#include <cmath>

using namespace std::chrono;

namespace {

const QString kGraphUrl = QStringLiteral("graph-url");
const QString kInterval = QStringLiteral("interval");
const QString kTimeout = QStringLiteral("timeout");
const QString kTenantBudget = QStringLiteral("tenant-budget");
const QString kTeamBudget = QStringLiteral("team-budget");
const QString kStore = QStringLiteral("store");

// A number of seconds in (0, max]: "nan", "inf", "1e16", "-1" and "soon" are all refused.
QString readSeconds(const QCommandLineParser &parser, const QString &name, double max,
                    milliseconds &out)
{
    bool ok = false;
    const double seconds = parser.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > max) {
        return QStringLiteral("--%1 takes a number of seconds above 0 and at most %2 (got \"%3\")")
            .arg(name)
            .arg(max, 0, 'f', 0)
            .arg(parser.value(name));
    }
    out = milliseconds(std::max<qint64>(1, std::llround(seconds * 1000)));
    return QString();
}

QString readBudget(const QCommandLineParser &parser, const QString &name, int &out)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < 1 || value > WatchOptions::kMaxBudget) {
        return QStringLiteral("--%1 takes a whole number of requests per second from 1 to %2 "
                              "(got \"%3\")")
            .arg(name)
            .arg(WatchOptions::kMaxBudget)
            .arg(parser.value(name));
    }
    out = value;
    return QString();
}

} // namespace

QUrl WatchOptions::defaultGraphUrl()
{
    return GraphClient::defaultBaseUrl();
}

void WatchOptions::addTo(QCommandLineParser &parser, bool withTimeout)
{
    parser.addOptions({
        {kGraphUrl,
         QStringLiteral("Graph base URL (default %1).").arg(defaultGraphUrl().toString()),
         QStringLiteral("URL"), defaultGraphUrl().toString()},
        {kInterval,
         QStringLiteral("Seconds between polls of one operation (at least 30 against Graph; "
                        "shorter only against 127.0.0.1)."),
         QStringLiteral("SECONDS")},
        {kTenantBudget,
         QStringLiteral("Most requests per second to Graph in all (default %1; Graph allows 30).")
             .arg(OperationPoller::kDefaultTenantBudget),
         QStringLiteral("N"), QString::number(OperationPoller::kDefaultTenantBudget)},
        {kTeamBudget,
         QStringLiteral("Most requests per second on any one team (default %1; Graph allows 4).")
             .arg(OperationPoller::kDefaultTeamBudget),
         QStringLiteral("N"), QString::number(OperationPoller::kDefaultTeamBudget)},
        {kStore,
         QStringLiteral("Where watched operations are kept: a file (default %1), or a "
                        "PostgreSQL database shared by a team, postgresql://USER@HOST/DATABASE "
                        "(its password from PGPASSWORD or ~/.pgpass).")
             .arg(OperationDatabase::defaultPath()),
         QStringLiteral("STORE")},
    });
    if (withTimeout) {
        parser.addOption({kTimeout, QStringLiteral("Give up after this many seconds (exit 3)."),
                          QStringLiteral("SECONDS")});
    }
}

QString WatchOptions::readFrom(const QCommandLineParser &parser, milliseconds defaultInterval)
{
    graphUrl = QUrl(parser.value(kGraphUrl), QUrl::StrictMode);
    QString problem = GraphClient::checkBaseUrl(graphUrl);
    if (!problem.isEmpty())
        return problem;
    interval = defaultInterval;
    if (parser.isSet(kInterval)) {
        problem = readSeconds(parser, kInterval, kMaxIntervalSeconds, interval);
        if (!problem.isEmpty())
            return problem;
    }
    timeout.reset();
    if (parser.optionNames().contains(kTimeout)) { // given (only the CLI defines it)
        milliseconds limit{0};
        problem = readSeconds(parser, kTimeout, kMaxTimeoutSeconds, limit);
        if (!problem.isEmpty())
            return problem;
        timeout = limit;
    }
    storeGiven = parser.isSet(kStore);
    storePath = storeGiven ? parser.value(kStore) : OperationDatabase::defaultPath();
    StoreLocation::parse(storePath, problem);
    if (!problem.isEmpty())
        return problem;
    problem = readBudget(parser, kTenantBudget, tenantBudget);
    if (problem.isEmpty())
        problem = readBudget(parser, kTeamBudget, teamBudget);
    return problem;
}
