#include "operationcategory.h"

#include "watchedoperation.h"

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
    const char *name = QT_TRANSLATE_NOOP("OperationCategory", "All");
    switch (category) {
    case OperationCategory::All:
        break;
    case OperationCategory::NotStarted:
        name = QT_TRANSLATE_NOOP("OperationCategory", "Not started");
        break;
    case OperationCategory::InProgress:
        name = QT_TRANSLATE_NOOP("OperationCategory", "In progress");
        break;
    case OperationCategory::Succeeded:
        name = QT_TRANSLATE_NOOP("OperationCategory", "Succeeded");
        break;
    case OperationCategory::Failed:
        name = QT_TRANSLATE_NOOP("OperationCategory", "Failed");
        break;
    case OperationCategory::NeedsAttention:
        name = QT_TRANSLATE_NOOP("OperationCategory", "Needs attention");
        break;
    }
    return QCoreApplication::translate("OperationCategory", name);
}
