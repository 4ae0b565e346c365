#include "store/finishedrule.h"

namespace FinishedRule {

QDateTime lastActivity(const WatchedOperation &operation)
{
    if (operation.lastChangedAt.isValid())
        return operation.lastChangedAt;
    return operation.lastPolledAt.isValid() ? operation.lastPolledAt : operation.addedAt;
}

bool isFinishedBefore(const WatchedOperation &operation, const QDateTime &before)
{
    const QDateTime last = lastActivity(operation);
    return operation.isTerminal() && last.isValid() && last < before;
}

QString sqlCondition()
{
    // Graph's words are matched as Operation::isTerminal matches them: whatever their case.
    QStringList quoted;
    for (const QString &name : finishedStatusNames())
        quoted.append(QLatin1Char('\'') + name + QLatin1Char('\''));
    return QStringLiteral("has_snapshot = 1 AND lower(status) IN (%1) AND "
                          "coalesce(last_changed_at, last_polled_at, added_at) < ?")
        .arg(quoted.join(QStringLiteral(", ")));
}

} // namespace FinishedRule
