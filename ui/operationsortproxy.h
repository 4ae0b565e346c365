#pragma once

#include "operationcategory.h"

#include <QSortFilterProxyModel>

// Sorts on the model's raw values (OperationTableModel::SortRole), never on display text, with
// the operation key as tie-breaker so equal rows keep a stable order between polls; and filters
// by the sidebar's category and type and by the search box.
class OperationSortProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationSortProxy)
public:
    explicit OperationSortProxy(QObject *parent = nullptr);

    void setCategory(OperationCategory category);
    void setType(const QString &operationTypeRaw); // empty: every type
    void setSearchText(const QString &text);
    OperationCategory category() const { return m_category; }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    OperationCategory m_category = OperationCategory::All;
    QString m_type;
    QString m_search;
};
