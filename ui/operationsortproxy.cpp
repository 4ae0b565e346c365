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
    if (const auto *model = qobject_cast<const OperationTableModel *>(sourceModel()))
        return model->rowLessThan(left.row(), right.row(), left.column());
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

void OperationSortProxy::setCategory(OperationCategory category)
{
    m_category = category;
    invalidateRowsFilter();
}

void OperationSortProxy::setType(const QString &operationTypeRaw)
{
    m_type = operationTypeRaw;
    invalidateRowsFilter();
}

void OperationSortProxy::setSearchText(const QString &text)
{
    m_search = text.trimmed().toLower();
    invalidateRowsFilter();
}

bool OperationSortProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_category != OperationCategory::All) {
        const OperationCategories categories(index.data(OperationTableModel::CategoryRole).toInt());
        if (!categories.testFlag(m_category))
            return false;
    }
    if (!m_type.isEmpty() && index.data(OperationTableModel::TypeRole).toString() != m_type)
        return false;
    return m_search.isEmpty() ||
           index.data(OperationTableModel::SearchTextRole).toString().contains(m_search);
}
