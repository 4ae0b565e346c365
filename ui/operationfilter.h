#pragma once

#include <QFlags>
#include <QString>

struct WatchedOperation;

// The sidebar's filters. An operation can be in more than one (in progress and needing attention).
enum class OperationCategory
{
    All = 0,
    NotStarted = 1 << 0,
    InProgress = 1 << 1,
    Succeeded = 1 << 2,
    Failed = 1 << 3,
    NeedsAttention = 1 << 4, // throttled, access denied, not found, poll errors, stopped
};
Q_DECLARE_FLAGS(OperationCategories, OperationCategory)
Q_DECLARE_OPERATORS_FOR_FLAGS(OperationCategories)

OperationCategories categoriesOf(const WatchedOperation &operation);
QString categoryName(OperationCategory category);
