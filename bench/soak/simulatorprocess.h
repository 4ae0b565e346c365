#pragma once

// The soak's simulated tenant in a process of its own, so that the harness's resident memory
// is TeamsOps' alone. It speaks a line protocol on stdin and stdout with RemoteSimulator
// (remotesimulator.h), which starts it as `soak --simulator ...`:
//
//   simulator → harness, at start:  port <n>
//                                    plan <startsAt> <teamId> <operationId>   (one per operation)
//                                    planned
//   simulator → harness, whenever requests in transit or held change, and before every reply:
//                                    state <inTransit> <held> <nextArrivalMs or -1>
//   harness → simulator:            advance <msSinceEpoch>  → advanced
//                                    truth <teamId> <opId>   → truth <json> | truth none
//                                    stats                   → stats <roundTrips> <subRequests>
//                                                               <throttled> <faults> <unanswered>
//                                                               <rssKiB>
//
// The harness's clock and this one start at soak::weekStart() and move together: the harness
// waits for "advanced" before moving its own, so no request is stamped with an old time.
#include <QtGlobal>

namespace soak {

struct SimulatorSettings
{
    int operations = 10000;
    int days = 7;
    quint32 seed = 1;
};

// Runs until stdin closes or "quit" comes; returns the process's exit status.
int runSimulatorProcess(const SimulatorSettings &settings);

} // namespace soak
