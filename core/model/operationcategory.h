#pragma once

#include <QFlags>
#include <QString>

struct WatchedOperation;

// The one classification of a watched operation, used by the sidebar's filters and counts, the
// status bar and the CLI's exit status. An operation can be in more than one category (in
// progress and needing attention).
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

// Every category but All, in the order the sidebar shows them.
inline constexpr OperationCategory kStatusCategories[] = {
    OperationCategory::NotStarted, OperationCategory::InProgress,     OperationCategory::Succeeded,
    OperationCategory::Failed,     OperationCategory::NeedsAttention,
};

OperationCategories categoriesOf(const WatchedOperation &operation);
QString categoryName(OperationCategory category);

// What the run as a whole makes of one operation: still to be polled, done as asked, or over
// without success (failed, or stopped as access denied / not found / paused).
enum class OperationOutcome
{
    Pending,
    Succeeded,
    NotSucceeded,
};
OperationOutcome outcomeOf(const WatchedOperation &operation);
