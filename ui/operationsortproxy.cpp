#include "operationsortproxy.h"

#include "operationtablemodel.h"

OperationSortProxy::OperationSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(OperationTableModel::SortRole);
    setDynamicSortFilter(true);
}

bool OperationSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(OperationTableModel::SortRole);
    const QVariant b = right.data(OperationTableModel::SortRole);
    const QPartialOrdering order = QVariant::compare(a, b);
    if (order == QPartialOrdering::Less)
        return true;
    if (order == QPartialOrdering::Greater)
        return false;
    return left.data(OperationTableModel::KeyRole).toString() <
           right.data(OperationTableModel::KeyRole).toString();
}
