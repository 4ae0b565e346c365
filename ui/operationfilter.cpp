#include "operationfilter.h"

#include "operationpoller.h"

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

QString categoryName(OperationCategory category)
{
    const char *name = "All";
    switch (category) {
    case OperationCategory::All:
        break;
    case OperationCategory::NotStarted:
        name = "Not started";
        break;
    case OperationCategory::InProgress:
        name = "In progress";
        break;
    case OperationCategory::Succeeded:
        name = "Succeeded";
        break;
    case OperationCategory::Failed:
        name = "Failed";
        break;
    case OperationCategory::NeedsAttention:
        name = "Needs attention";
        break;
    }
    return QCoreApplication::translate("OperationCategory", name);
}
