#pragma once

#include <QSortFilterProxyModel>

// Sorts on the model's raw values (OperationTableModel::SortRole), never on display text, with
// the operation key as tie-breaker so equal rows keep a stable order between polls.
class OperationSortProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationSortProxy)
public:
    explicit OperationSortProxy(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};
