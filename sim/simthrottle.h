#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

// Graph's Teams limits as the simulator enforces them: at most tenantPerSecond GETs in any one
// second for the tenant, and teamPerSecond on any one team, counted per (sub-)request.
class SimThrottle
{
public:
    int tenantPerSecond = 30;
    int teamPerSecond = 4;
    // Another client of the same app spending part of the tenant's budget, evenly over time:
    // any one second holds this many of its requests, so this client gets the rest.
    int otherClientPerSecond = 0;

    // Starting operations: clones and team creations have tenant-wide limits of their own;
    // every POST on a team also counts towards that team's limit.
    int clonePerSecond = 6;
    int createPerSecond = 10;

    // Records the request when it is allowed; otherwise returns how long to wait (Retry-After).
    std::optional<std::chrono::seconds> admit(const QString &teamKey, const QDateTime &now);
    // The same for a POST: kind "clone", "create" or another (no limit of its own).
    std::optional<std::chrono::seconds> admitWrite(const QString &kind, const QString &teamKey,
                                                   const QDateTime &now);

private:
    static int countInWindow(QList<qint64> &sentAtMs, qint64 nowMs);

    QList<qint64> m_tenant;
    QHash<QString, QList<qint64>> m_teams;
    QHash<QString, QList<qint64>> m_writes; // by kind
};
