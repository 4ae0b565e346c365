#include "soakworld.h"

#include "simtenant.h"

#include <QRandomGenerator>

#include <algorithm>

namespace soak {

void addFaults(SimTenant &tenant)
{
    const QString path = QStringLiteral("/operations");
    const auto fault = [&](double rate, int status, const QByteArray &retryAfter = {}) {
        SimFault f = SimFault::answer(path, status, retryAfter, -1);
        f.rate = rate;
        return f;
    };
    const auto kind = [&](double rate, const QString &name) {
        SimFault f;
        f.pathContains = path;
        f.rate = rate;
        f.kind = name;
        return f;
    };
    SimFaults &faults = tenant.faults();
    faults.add(fault(0.002, 429, "7"));
    faults.add(fault(0.001, 429, "Wed, 21 Oct 2015 07:28:00 GMT")); // a date, already past
    SimFault html = fault(0.002, 503, "5");
    html.body = "<html><body><h1>Service Unavailable</h1></body></html>";
    html.contentType = "text/html";
    faults.add(html);
    faults.add(kind(0.001, QStringLiteral("html")));
    faults.add(fault(0.0005, 401));
    faults.add(kind(0.001, QStringLiteral("reset")));
    faults.add(kind(0.002, QStringLiteral("truncated")));
    faults.add(fault(0.003, 404));
    faults.add(kind(0.0005, QStringLiteral("hang")));
}

QList<Planned> plan(SimTenant &tenant, int operations, int days, QRandomGenerator &random)
{
    const int teams = std::max(1, operations / 10);
    QStringList teamIds;
    for (int t = 0; t < teams; ++t) {
        SimTeam team;
        team.id = SimTenant::newId();
        team.displayName = QStringLiteral("Template %1").arg(t);
        teamIds.append(tenant.addTeam(team).id);
    }
    const double span = days * 86400.0 - 5 * 3600.0; // the last ones finish within the run
    QList<Planned> planned;
    for (int i = 0; i < operations; ++i) {
        SimOperation op;
        op.teamId = teamIds[i % teams];
        op.type = QStringLiteral("cloneTeam");
        op.createdAt = random.bounded(span);
        op.startAfter = 5 + random.bounded(295);
        op.duration = 600 + random.bounded(4 * 3600 - 600);
        op.attempts = 1 + int(random.bounded(3));
        if (random.bounded(100) < 15) {
            op.outcome = QStringLiteral("failed");
            op.errorCode = QStringLiteral("InternalServerError");
            op.errorMessage = QStringLiteral("Failed to execute Skype backend request.");
        } else {
            SimTeam produced;
            produced.id = SimTenant::newId();
            produced.displayName = QStringLiteral("Clone %1").arg(i);
            op.producesTeam = produced;
            op.targetTeamId = produced.id;
        }
        const SimOperation &added = tenant.addOperation(op);
        planned.append({added.createdAt, added.teamId, added.id});
    }
    std::sort(planned.begin(), planned.end(),
              [](const Planned &a, const Planned &b) { return a.startsAt < b.startsAt; });
    return planned;
}

} // namespace soak
