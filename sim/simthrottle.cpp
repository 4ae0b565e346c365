#include "simthrottle.h"

#include <cmath>

int SimThrottle::countInWindow(QList<qint64> &sentAtMs, qint64 nowMs)
{
    while (!sentAtMs.isEmpty() && sentAtMs.first() <= nowMs - 1000)
        sentAtMs.removeFirst();
    return static_cast<int>(sentAtMs.size());
}

std::optional<std::chrono::seconds> SimThrottle::admit(const QString &teamKey, const QDateTime &now)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    QList<qint64> *team = teamKey.isEmpty() ? nullptr : &m_teams[teamKey];
    const bool tenantFull = tenantPerSecond > 0 && countInWindow(m_tenant, nowMs) >=
                                                       tenantPerSecond - otherClientPerSecond;
    const bool teamFull = team && teamPerSecond > 0 && countInWindow(*team, nowMs) >= teamPerSecond;
    if (tenantFull || teamFull) {
        // Graph answers in whole seconds; the window frees within one.
        return std::chrono::seconds(1);
    }
    m_tenant.append(nowMs);
    if (team)
        team->append(nowMs);
    return std::nullopt;
}

std::optional<std::chrono::seconds>
SimThrottle::admitWrite(const QString &kind, const QString &teamKey, const QDateTime &now)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const int kindLimit = kind == QLatin1String("clone")    ? clonePerSecond
                          : kind == QLatin1String("create") ? createPerSecond
                                                            : 0;
    QList<qint64> &writes = m_writes[kind];
    QList<qint64> *team = teamKey.isEmpty() ? nullptr : &m_teams[teamKey];
    const bool kindFull = kindLimit > 0 && countInWindow(writes, nowMs) >= kindLimit;
    const bool teamFull = team && teamPerSecond > 0 && countInWindow(*team, nowMs) >= teamPerSecond;
    if (kindFull || teamFull)
        return std::chrono::seconds(1);
    writes.append(nowMs);
    if (team)
        team->append(nowMs);
    return std::nullopt;
}
