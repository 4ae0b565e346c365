#pragma once

// What share_bench and team_bench share: a tenant of operations that never end (ten per team),
// waiting with the event loop running, and counting the operation GETs the simulator received.
#include "simserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace neverending {

inline QString teamId(int team)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(team, 12, 10, QLatin1Char('0'));
}

inline QString operationId(int op)
{
    return QStringLiteral("10000000-0000-4000-8000-%1").arg(op, 12, 10, QLatin1Char('0'));
}

// A scenario of `operations` never-ending operations, ten per team.
inline QJsonObject scenario(int operations)
{
    QJsonArray teams;
    QJsonArray ops;
    for (int team = 0; team < (operations + 9) / 10; ++team)
        teams.append(QJsonObject{{"id", teamId(team)}, {"displayName", QString::number(team)}});
    for (int op = 0; op < operations; ++op) {
        ops.append(QJsonObject{{"id", operationId(op)},
                               {"teamId", teamId(op / 10)},
                               {"startAfter", 1},
                               {"duration", 1e9}});
    }
    return QJsonObject{{"teams", teams}, {"operations", ops}};
}

// Waits `ms` with the event loop (and so the simulator) running.
inline void waitFor(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

// Operation GETs (sub-requests of a batch included) from the client holding token `client`, or
// from any client with -1.
inline int operationGets(const SimServer &server, int client = -1)
{
    int count = 0;
    for (const SimRequestRecord &record : server.requests()) {
        count += record.method == "GET" && record.path.contains(QLatin1String("/operations")) &&
                 (client < 0 || record.client == client);
    }
    return count;
}

} // namespace neverending
