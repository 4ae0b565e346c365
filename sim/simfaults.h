#pragma once

#include "simreply.h"

#include <QJsonArray>
#include <QList>
#include <QRandomGenerator>
#include <QString>

#include <optional>

// Faults a scenario asks for, each on a share of the requests whose path contains `path`:
//   {"path": "/operations/", "rate": 0.05, "status": 503, "retryAfter": "7"}  a Graph error
//   {"path": "...", "rate": 0.05, "kind": "truncated"}   200 with a body cut in half
//   {"path": "...", "rate": 0.05, "kind": "html"}        502 with an HTML error page
//   {"path": "...", "rate": 0.05, "kind": "oversize"}    200 with an 8 MiB body
//   {"path": "...", "rate": 0.05, "kind": "hang"}        never answered
//   {"path": "...", "latencyMs": 300}                    every matching answer delayed
// Draws come from a generator seeded by the scenario, so a run can be repeated.
class SimFaults
{
public:
    QString load(const QJsonArray &specs, quint32 seed); // returns an error for people, or ""
    bool isEmpty() const { return m_specs.isEmpty(); }

    // Changes `reply` (the normal answer) when a fault applies to this path.
    void apply(const QString &path, SimReply &reply);

private:
    struct Spec
    {
        QString path;
        double rate = 1.0;
        int status = 0;
        QByteArray retryAfter;
        QString kind;
        int latencyMs = 0;
    };
    QList<Spec> m_specs;
    QRandomGenerator m_random;
};
