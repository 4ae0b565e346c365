#pragma once

#include "model/operationcategory.h"

#include <QAbstractProxyModel>
#include <QList>
#include <QTimer>

#include <vector>

class OperationTableModel;

// The operations table as the window shows it: sorted by a column's raw values (never display
// text), equal rows in the order they were added, and filtered by the sidebar's category and type
// and by the search box. Its source must be an OperationTableModel.
//
// Written for 100 000 rows, where QSortFilterProxyModel re-sorts each changed row on its own and
// shifts its whole mapping to do so. Here every row's sort key is cached, the order of all rows
// is kept as well as the order of the rows shown, and the changes of one turn of the event loop
// (OperationTableModel::changesBegin/End) are applied together: rows whose keys still sit between
// their neighbours cost a dataChanged; otherwise the changed rows are sorted among themselves and
// merged back in one linear pass, signalled as one layout change (persistent indexes, hence the
// selection, follow their rows). A narrower search only looks at the rows shown, and the text
// searched of every row is built ahead, in slices while the event loop is idle, so that the first
// keystroke does not pay for 100 000 of them.
class OperationSortProxy final : public QAbstractProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationSortProxy)
public:
    explicit OperationSortProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *sourceModel) override;

    void setCategory(OperationCategory category);
    void setType(const QString &operationTypeRaw); // empty: every type
    void setStartedBy(const QString &startedBy);   // empty: whoever started them
    void setSearchText(const QString &text);
    OperationCategory category() const { return m_category; }
    // Whether a category, type or starter hides some operations (the search aside).
    bool isFiltered() const
    {
        return m_category != OperationCategory::All || !m_type.isEmpty() || !m_startedBy.isEmpty();
    }

    // column -1: the order the operations were added, whatever the order asked for.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column,
                      const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;

private:
    // The source's signals.
    void sourceRowsInserted(int first, int last);
    void sourceRowsAboutToBeRemoved(int first, int last);
    void sourceRowsRemoved(int first, int last);
    void sourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void sourceChangesEnd();

    // Sorting and filtering.
    bool accepts(int sourceRow) const;
    bool comesBefore(int leftRow, int rightRow) const;
    void takeKey(int sourceRow);
    void takeAllKeys();
    void sortAll();
    void applyChanges(const QList<int> &sourceRows);
    void refilter(bool onlyShownRows);
    void indexAllRows();
    QList<int> acceptedInOrder(const QList<int> &candidates) const;
    const QString &searchTextOf(int sourceRow) const;
    void warmSearchTexts();
    void warmFrom(int sourceRow);

    // Replaces the rows shown, as one layout change that moves persistent indexes with their
    // rows (indexes of rows no longer shown become invalid).
    void showRows(QList<int> sourceRowsInOrder);
    void indexShownRows();

    const OperationTableModel *m_model = nullptr;
    QList<int> m_sorted;              // every source row, in sort order
    QList<int> m_sortedPosition;      // source row → its place in m_sorted
    QList<int> m_shown;               // proxy row → source row: the accepted ones of m_sorted
    QList<int> m_shownPosition;       // source row → proxy row, -1 when filtered out
    std::vector<qint64> m_numberKeys; // per source row, for a numeric sort column
    QList<QString> m_textKeys;        // per source row, for a text sort column
    mutable QList<QString>
        m_searchTexts;    // per source row, built ahead or when searched (null: not yet)
    int m_warmCursor = 0; // rows before it have their search text
    QTimer m_warmTimer;
    std::vector<char> m_accepted; // per source row: passes the filters (so it is shown)

    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    OperationCategory m_category = OperationCategory::All;
    QString m_type;
    QString m_startedBy;
    QString m_search;

    bool m_gathering = false; // between the source's changesBegin and changesEnd
    QList<int> m_gathered;
};
