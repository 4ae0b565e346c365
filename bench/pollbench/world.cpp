#include "world.h"

#include "simserver.h"

#include <QJsonArray>
#include <QRandomGenerator>

#include <algorithm>

World makeWorld(int n, int teams, double span)
{
    QRandomGenerator random(20261123);
    World world;
    QJsonArray teamList;
    for (int t = 0; t < teams; ++t) {
        teamList.append(QJsonObject{
            {"id", QStringLiteral("00000000-0000-4000-8000-%1").arg(t, 12, 10, QLatin1Char('0'))},
            {"displayName", QStringLiteral("Team %1").arg(t)}});
    }
    QJsonArray operations;
    for (int i = 0; i < n; ++i) {
        const QString team = teamList.at(i % teams).toObject().value("id").toString();
        const QString id =
            QStringLiteral("%1-0000-4000-9000-000000000000").arg(i, 8, 10, QLatin1Char('0'));
        const double startAfter = random.bounded(span / 2);
        const double duration = 60 + random.bounded(std::max(1.0, span / 2 - 60));
        operations.append(
            QJsonObject{{"id", id},
                        {"teamId", team},
                        {"operationType", "cloneTeam"},
                        {"startAfter", startAfter},
                        {"duration", duration},
                        {"outcome", random.bounded(10) == 0 ? "failed" : "succeeded"}});
        const QString key = (team + QLatin1Char('/') + id).toLower();
        world.transitions.append({key, false, startAfter});
        world.transitions.append({key, true, startAfter + duration});
        world.locations.append(QStringLiteral("/teams('%1')/operations('%2')").arg(team, id));
    }
    world.scenario = QJsonObject{{"teams", teamList}, {"operations", operations}};
    return world;
}

void Sightings::observe(const QString &key, const QString &status, double at)
{
    const bool done = status == QLatin1String("succeeded") || status == QLatin1String("failed");
    if ((done || status == QLatin1String("inProgress")) && !inProgress.contains(key))
        inProgress.insert(key, at);
    if (done && !finished.contains(key))
        finished.insert(key, at);
}

Result measure(const World &world, const QList<SimRequestRecord> &requests, int client,
               const Sightings &seen, double span)
{
    Result result;
    for (const SimRequestRecord &r : requests) {
        if (r.client != client)
            continue;
        result.roundTrips += r.viaBatch ? 0 : 1;
        result.subRequests += r.method == "GET" ? 1 : 0;
        result.throttled += r.status == 429 ? 1 : 0;
    }
    QList<double> delays;
    for (const Transition &t : world.transitions) {
        if (t.at <= 0 || t.at >= span)
            continue;
        const QHash<QString, double> &when = t.final ? seen.finished : seen.inProgress;
        const auto it = when.constFind(t.key);
        if (it == when.cend()) {
            ++result.unseen;
            delays.append(span - t.at);
        } else {
            delays.append(std::max(0.0, *it - t.at));
        }
    }
    std::sort(delays.begin(), delays.end());
    double sum = 0;
    for (double d : delays)
        sum += d;
    result.meanDelay = delays.isEmpty() ? 0 : sum / double(delays.size());
    result.p95Delay = delays.isEmpty() ? 0 : delays.at(qsizetype(0.95 * double(delays.size() - 1)));
    return result;
}
