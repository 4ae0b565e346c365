#include "model/runestimate.h"

#include <QHash>

#include <algorithm>

RunEstimate estimateRun(const QList<WatchedOperation> &operations, const QDateTime &now)
{
    QHash<QString, QList<qint64>> durationsByType; // ms, of finished operations
    for (const WatchedOperation &operation : operations) {
        const std::optional<Operation> &op = operation.latest;
        if (op && op->isTerminal() && op->createdDateTime.isValid() &&
            op->lastActionDateTime.isValid()) {
            durationsByType[op->operationTypeRaw].append(
                op->createdDateTime.msecsTo(op->lastActionDateTime));
        }
    }
    QHash<QString, qint64> medianByType;
    for (auto it = durationsByType.begin(); it != durationsByType.end(); ++it) {
        QList<qint64> &durations = it.value();
        const auto middle = durations.begin() + durations.size() / 2;
        std::nth_element(durations.begin(), middle, durations.end());
        medianByType.insert(it.key(), *middle);
    }

    RunEstimate estimate;
    for (const WatchedOperation &operation : operations) {
        if (!operation.isPolled())
            continue; // finished, or no longer watched: nothing to wait for
        const std::optional<Operation> &op = operation.latest;
        const auto median = op ? medianByType.constFind(op->operationTypeRaw) : medianByType.cend();
        if (median == medianByType.cend() || !op->createdDateTime.isValid()) {
            ++estimate.withoutBasis;
            continue;
        }
        ++estimate.estimated;
        const QDateTime end = std::max(now, op->createdDateTime.addMSecs(*median));
        if (!estimate.expectedEnd.isValid() || end > estimate.expectedEnd)
            estimate.expectedEnd = end;
    }
    return estimate;
}
