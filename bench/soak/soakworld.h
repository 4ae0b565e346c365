#pragma once

// The soak's simulated tenant: what it holds, the faults it answers with, and the moment the
// week starts. Built once, in the simulator's process (bench/soak/simulatorprocess.cpp).

#include <QDateTime>
#include <QList>
#include <QString>

class QRandomGenerator;
class SimTenant;

namespace soak {

inline const QString kClientId = QStringLiteral("0c5a4d2e-5a0b-4c39-9d0e-50a4c0ffee01");
inline const QString kSecret = QStringLiteral("soak-secret");

// Both processes' clocks start here, and move together (the harness moves the simulator's).
inline QDateTime weekStart()
{
    return QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
}

struct Planned
{
    double startsAt = 0; // simulated seconds since the tenant's start
    QString teamId;
    QString operationId;
};

// The tenant's teams and operations; returns them in the order they start.
QList<Planned> plan(SimTenant &tenant, int operations, int days, QRandomGenerator &random);

// The faults, each on a small share of the requests for operations (single GETs, lists and
// the sub-requests of batches alike).
void addFaults(SimTenant &tenant);

} // namespace soak
