#include "model/operationcategory.h"

#include "model/watchedoperation.h"

#include <QCoreApplication>

OperationCategories categoriesOf(const WatchedOperation &operation)
{
    OperationCategories categories;
    if (operation.latest) {
        switch (operation.latest->status) {
        case OperationStatus::NotStarted:
            categories |= OperationCategory::NotStarted;
            break;
        case OperationStatus::InProgress:
            categories |= OperationCategory::InProgress;
            break;
        case OperationStatus::Succeeded:
            categories |= OperationCategory::Succeeded;
            break;
        case OperationStatus::Failed:
            categories |= OperationCategory::Failed;
            break;
        default:
            break;
        }
    }
    if (operation.watch != WatchedOperation::Watch::Active ||
        operation.lastFailure != GraphFailure::None) {
        categories |= OperationCategory::NeedsAttention;
    }
    return categories;
}

OperationOutcome outcomeOf(const WatchedOperation &operation)
{
    if (operation.isPolled())
        return OperationOutcome::Pending;
    // A paused operation that had already succeeded still succeeded.
    return operation.latest && operation.latest->status == OperationStatus::Succeeded
               ? OperationOutcome::Succeeded
               : OperationOutcome::NotSucceeded;
}

QString categoryName(OperationCategory category)
{
    switch (category) {
    case OperationCategory::All:
        return QCoreApplication::translate("OperationCategory", "All");
    case OperationCategory::NotStarted:
        return QCoreApplication::translate("OperationCategory", "Not started");
    case OperationCategory::InProgress:
        return QCoreApplication::translate("OperationCategory", "In progress");
    case OperationCategory::Succeeded:
        return QCoreApplication::translate("OperationCategory", "Succeeded");
    case OperationCategory::Failed:
        return QCoreApplication::translate("OperationCategory", "Failed");
    case OperationCategory::NeedsAttention:
        return QCoreApplication::translate("OperationCategory", "Needs attention");
    }
    return QString();
}
