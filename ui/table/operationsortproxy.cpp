#include "table/operationsortproxy.h"

#include "model/watchedoperation.h"
#include "store/operationstore.h"
#include "table/operationtablemodel.h"

#include <QElapsedTimer>

#include <algorithm>
#include <numeric>

namespace {

// The positions of each row of `order` (indexes 0 .. size - 1), -1 for rows not in it.
QList<int> positionsOf(const QList<int> &order, qsizetype rowCount)
{
    QList<int> positions(rowCount, -1);
    for (qsizetype i = 0; i < order.size(); ++i)
        positions[order[i]] = int(i);
    return positions;
}

// Contiguous runs [first, last] of ascending numbers.
QList<std::pair<int, int>> runsOf(QList<int> numbers)
{
    std::sort(numbers.begin(), numbers.end());
    QList<std::pair<int, int>> runs;
    for (int number : std::as_const(numbers)) {
        if (!runs.isEmpty() && runs.last().second + 1 == number)
            runs.last().second = number;
        else
            runs.append({number, number});
    }
    return runs;
}

} // namespace

OperationSortProxy::OperationSortProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_warmTimer.setSingleShot(true);
    m_warmTimer.setInterval(0); // whenever the event loop has nothing else to do
    connect(&m_warmTimer, &QTimer::timeout, this, &OperationSortProxy::warmSearchTexts);
}

void OperationSortProxy::setSourceModel(QAbstractItemModel *sourceModel)
{
    beginResetModel();
    if (QAbstractItemModel *previous = this->sourceModel())
        disconnect(previous, nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(sourceModel);
    m_model = qobject_cast<const OperationTableModel *>(sourceModel);
    Q_ASSERT_X(m_model || !sourceModel, "OperationSortProxy", "needs an OperationTableModel");
    if (m_model) {
        connect(
            m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { sourceRowsInserted(first, last); });
        connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex &, int first, int last) {
                    sourceRowsAboutToBeRemoved(first, last);
                });
        connect(
            m_model, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) { sourceRowsRemoved(first, last); });
        connect(m_model, &QAbstractItemModel::dataChanged, this,
                &OperationSortProxy::sourceDataChanged);
        connect(m_model, &OperationTableModel::changesBegin, this, [this] { m_gathering = true; });
        connect(m_model, &OperationTableModel::changesEnd, this,
                &OperationSortProxy::sourceChangesEnd);
        connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
                [this] { beginResetModel(); });
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            indexAllRows();
            endResetModel();
        });
        connect(m_model, &QAbstractItemModel::headerDataChanged, this,
                &QAbstractItemModel::headerDataChanged);
        connect(m_model, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_model = nullptr;
            indexAllRows();
            endResetModel();
        });
    }
    indexAllRows();
    endResetModel();
}

// --- Filters and sorting ---------------------------------------------------------------------

void OperationSortProxy::setCategory(OperationCategory category)
{
    if (category == m_category)
        return;
    m_category = category;
    refilter(false);
}

void OperationSortProxy::setType(const QString &operationTypeRaw)
{
    if (operationTypeRaw == m_type)
        return;
    m_type = operationTypeRaw;
    refilter(false);
}

void OperationSortProxy::setStartedBy(const QString &startedBy)
{
    if (startedBy == m_startedBy)
        return;
    m_startedBy = startedBy;
    refilter(false);
}

void OperationSortProxy::setSearchText(const QString &text)
{
    const QString search = text.trimmed().toLower();
    if (search == m_search)
        return;
    // Typing one more letter: only rows shown now can still match.
    const bool narrower = search.contains(m_search);
    m_search = search;
    refilter(narrower);
}

void OperationSortProxy::sort(int column, Qt::SortOrder order)
{
    // Even by the same column: Elapsed keys are taken now, so a sort asked for again is fresh.
    m_sortColumn = column >= 0 && column < OperationTableModel::ColumnCount ? column : -1;
    m_sortOrder = order;
    takeAllKeys();
    sortAll();
    showRows(acceptedInOrder(m_sorted));
}

bool OperationSortProxy::accepts(int sourceRow) const
{
    const WatchedOperation *operation = m_model ? m_model->operationAt(sourceRow) : nullptr;
    if (!operation)
        return false;
    if (m_category != OperationCategory::All && !categoriesOf(*operation).testFlag(m_category))
        return false;
    if (!m_type.isEmpty() && (!operation->latest || operation->latest->operationTypeRaw != m_type))
        return false;
    if (!m_startedBy.isEmpty() && operation->startedBy != m_startedBy)
        return false;
    return m_search.isEmpty() || searchTextOf(sourceRow).contains(m_search);
}

const QString &OperationSortProxy::searchTextOf(int sourceRow) const
{
    QString &text = m_searchTexts[sourceRow];
    if (text.isNull())
        text = m_model->searchText(sourceRow);
    return text;
}

void OperationSortProxy::warmFrom(int sourceRow)
{
    m_warmCursor = std::min(m_warmCursor, sourceRow);
    if (m_model && m_warmCursor < m_searchTexts.size())
        m_warmTimer.start();
}

void OperationSortProxy::warmSearchTexts()
{
    // A few milliseconds at a time: the window stays responsive while 100 000 are built.
    QElapsedTimer slice;
    slice.start();
    const int rows = int(m_searchTexts.size());
    while (m_warmCursor < rows && slice.elapsed() < 4) {
        for (const int end = std::min(rows, m_warmCursor + 500); m_warmCursor < end; ++m_warmCursor)
            searchTextOf(m_warmCursor);
    }
    if (m_warmCursor < rows)
        m_warmTimer.start();
}

bool OperationSortProxy::comesBefore(int leftRow, int rightRow) const
{
    int order = 0;
    if (m_sortColumn >= 0 && OperationTableModel::isTextColumn(m_sortColumn)) {
        order = QString::compare(m_textKeys[leftRow], m_textKeys[rightRow]);
    } else if (m_sortColumn >= 0) {
        const qint64 a = m_numberKeys[size_t(leftRow)];
        const qint64 b = m_numberKeys[size_t(rightRow)];
        order = a < b ? -1 : int(b < a);
    }
    if (order == 0) // equal keys: the order the operations were added
        order = leftRow < rightRow ? -1 : int(rightRow < leftRow);
    return m_sortOrder == Qt::AscendingOrder || m_sortColumn < 0 ? order < 0 : order > 0;
}

void OperationSortProxy::takeKey(int sourceRow)
{
    if (m_sortColumn < 0)
        return;
    OperationTableModel::SortKey key = m_model->sortKey(sourceRow, m_sortColumn);
    if (OperationTableModel::isTextColumn(m_sortColumn))
        m_textKeys[sourceRow] = std::move(key.text);
    else
        m_numberKeys[size_t(sourceRow)] = key.number;
}

void OperationSortProxy::takeAllKeys()
{
    const qsizetype rows = m_sortedPosition.size();
    const bool text = m_sortColumn >= 0 && OperationTableModel::isTextColumn(m_sortColumn);
    m_textKeys = text ? QList<QString>(rows) : QList<QString>();
    m_numberKeys.assign(m_sortColumn >= 0 && !text ? size_t(rows) : 0, 0);
    for (int row = 0; row < rows; ++row)
        takeKey(row);
}

void OperationSortProxy::sortAll()
{
    m_sorted.resize(m_sortedPosition.size());
    std::iota(m_sorted.begin(), m_sorted.end(), 0);
    std::sort(m_sorted.begin(), m_sorted.end(), [this](int a, int b) { return comesBefore(a, b); });
    m_sortedPosition = positionsOf(m_sorted, m_sorted.size());
}

QList<int> OperationSortProxy::acceptedInOrder(const QList<int> &candidates) const
{
    QList<int> accepted;
    accepted.reserve(candidates.size());
    for (int row : candidates) {
        if (m_accepted[size_t(row)])
            accepted.append(row);
    }
    return accepted;
}

void OperationSortProxy::refilter(bool onlyShownRows)
{
    if (onlyShownRows) {
        for (int row : std::as_const(m_shown))
            m_accepted[size_t(row)] = accepts(row);
        showRows(acceptedInOrder(m_shown));
        return;
    }
    for (qsizetype row = 0; row < m_sortedPosition.size(); ++row)
        m_accepted[size_t(row)] = accepts(int(row));
    showRows(acceptedInOrder(m_sorted));
}

void OperationSortProxy::indexAllRows()
{
    const int rows = m_model ? m_model->rowCount() : 0;
    m_sortedPosition = QList<int>(rows, 0);
    m_searchTexts = QList<QString>(rows);
    m_accepted.assign(size_t(rows), 0);
    takeAllKeys();
    sortAll();
    for (int row = 0; row < rows; ++row)
        m_accepted[size_t(row)] = accepts(row);
    m_shown = acceptedInOrder(m_sorted);
    indexShownRows();
    m_warmCursor = 0;
    warmFrom(0);
}

void OperationSortProxy::indexShownRows()
{
    m_shownPosition = positionsOf(m_shown, m_sortedPosition.size());
}

void OperationSortProxy::applyChanges(const QList<int> &sourceRows)
{
    QList<int> changed;
    changed.reserve(sourceRows.size());
    for (int row : sourceRows) {
        if (row >= 0 && row < m_sortedPosition.size())
            changed.append(row);
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    if (changed.isEmpty())
        return;
    for (int row : std::as_const(changed)) {
        takeKey(row);
        m_searchTexts[row] = QString();
        if (row < m_warmCursor)
            searchTextOf(row); // kept warm: a thousand a round cost a fraction of a millisecond
    }

    // Only pairs of neighbours with a changed row in them can be out of order now.
    const auto outOfPlace = [this](int row) {
        const int at = m_sortedPosition[row];
        return (at > 0 && comesBefore(row, m_sorted[at - 1])) ||
               (at + 1 < m_sorted.size() && comesBefore(m_sorted[at + 1], row));
    };
    const bool reorder = std::any_of(changed.cbegin(), changed.cend(), outOfPlace);
    if (reorder) {
        // The unchanged rows keep their order; the changed ones, sorted, are merged back in.
        std::vector<bool> isChanged(size_t(m_sorted.size()), false);
        for (int row : std::as_const(changed))
            isChanged[size_t(row)] = true;
        QList<int> unchanged;
        unchanged.reserve(m_sorted.size() - changed.size());
        for (int row : std::as_const(m_sorted)) {
            if (!isChanged[size_t(row)])
                unchanged.append(row);
        }
        QList<int> moved = changed;
        const auto before = [this](int a, int b) { return comesBefore(a, b); };
        std::sort(moved.begin(), moved.end(), before);
        std::merge(unchanged.cbegin(), unchanged.cend(), moved.cbegin(), moved.cend(),
                   m_sorted.begin(), before);
        m_sortedPosition = positionsOf(m_sorted, m_sorted.size());
    }
    bool filterChanged = false;
    for (int row : std::as_const(changed)) {
        const bool accepted = accepts(row);
        filterChanged = filterChanged || accepted != bool(m_accepted[size_t(row)]);
        m_accepted[size_t(row)] = accepted;
    }
    if (reorder || filterChanged) {
        QList<int> shown = acceptedInOrder(m_sorted);
        if (shown != m_shown) {
            showRows(std::move(shown)); // a layout change: every row is repainted
            return;
        }
    }
    // Every row stayed where it was: repaint the changed ones.
    QList<int> proxyRows;
    for (int row : std::as_const(changed)) {
        if (m_shownPosition[row] >= 0)
            proxyRows.append(m_shownPosition[row]);
    }
    const int lastColumn = columnCount() - 1;
    for (const auto &[first, last] : runsOf(proxyRows))
        emit dataChanged(index(first, 0), index(last, lastColumn));
}

void OperationSortProxy::showRows(QList<int> sourceRowsInOrder)
{
    if (sourceRowsInOrder == m_shown)
        return;
    // The same rows in another order is a sort (views keep whole-row selections as rows).
    bool sameRows = sourceRowsInOrder.size() == m_shown.size();
    for (qsizetype i = 0; sameRows && i < sourceRowsInOrder.size(); ++i)
        sameRows = m_shownPosition[sourceRowsInOrder[i]] >= 0;
    const auto hint =
        sameRows ? QAbstractItemModel::VerticalSortHint : QAbstractItemModel::NoLayoutChangeHint;
    emit layoutAboutToBeChanged({}, hint);
    const QModelIndexList from = persistentIndexList(); // after the signal: views add theirs
    QList<int> fromRows;
    fromRows.reserve(from.size());
    for (const QModelIndex &index : from)
        fromRows.append(index.row() < m_shown.size() ? m_shown[index.row()] : -1);
    m_shown = std::move(sourceRowsInOrder);
    indexShownRows();
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i) {
        const int row = fromRows[i] >= 0 ? m_shownPosition[fromRows[i]] : -1;
        to.append(row >= 0 ? createIndex(row, from[i].column()) : QModelIndex());
    }
    changePersistentIndexList(from, to);
    emit layoutChanged({}, hint);
}

// --- The source's signals --------------------------------------------------------------------

void OperationSortProxy::sourceRowsInserted(int first, int last)
{
    const int count = last - first + 1;
    if (first < m_sortedPosition.size()) {
        // Rows inserted before others (the store only appends; kept right all the same).
        for (int &row : m_sorted)
            row += row >= first ? count : 0;
        for (int &row : m_shown)
            row += row >= first ? count : 0;
    }
    m_sortedPosition.insert(first, count, 0);
    m_searchTexts.insert(first, count, QString());
    m_accepted.insert(m_accepted.begin() + first, size_t(count), 0);
    if (m_sortColumn >= 0 && OperationTableModel::isTextColumn(m_sortColumn))
        m_textKeys.insert(first, count, QString());
    else if (m_sortColumn >= 0)
        m_numberKeys.insert(m_numberKeys.begin() + first, size_t(count), 0);
    indexShownRows();

    QList<int> fresh(count);
    std::iota(fresh.begin(), fresh.end(), first);
    for (int row : std::as_const(fresh)) {
        takeKey(row);
        m_accepted[size_t(row)] = accepts(row);
    }
    const auto before = [this](int a, int b) { return comesBefore(a, b); };
    std::sort(fresh.begin(), fresh.end(), before);
    QList<int> sorted(m_sorted.size() + count);
    std::merge(m_sorted.cbegin(), m_sorted.cend(), fresh.cbegin(), fresh.cend(), sorted.begin(),
               before);
    m_sorted = std::move(sorted);
    m_sortedPosition = positionsOf(m_sorted, m_sorted.size());

    warmFrom(first);
    const QList<int> freshShown = acceptedInOrder(fresh);
    if (freshShown.isEmpty())
        return;
    if (m_shown.isEmpty() || comesBefore(m_shown.last(), freshShown.first())) {
        // All after the rows shown (the order added, or an empty table): a plain insertion.
        beginInsertRows(QModelIndex(), int(m_shown.size()),
                        int(m_shown.size() + freshShown.size() - 1));
        m_shown.append(freshShown);
        indexShownRows();
        endInsertRows();
        return;
    }
    showRows(acceptedInOrder(m_sorted));
}

void OperationSortProxy::sourceRowsAboutToBeRemoved(int first, int last)
{
    // The rows leave the view now, while the source still has them.
    QList<int> proxyRows;
    for (int row = first; row <= last; ++row) {
        if (m_shownPosition[row] >= 0)
            proxyRows.append(m_shownPosition[row]);
    }
    const QList<std::pair<int, int>> runs = runsOf(proxyRows);
    // Beyond the store's own limit of separate ranges, one layout change rather than one
    // rowsRemoved each: every view pays a pass over all its rows for each of those.
    if (runs.size() > OperationStore::kMaxRemovalRanges) {
        QList<int> shown;
        shown.reserve(m_shown.size() - proxyRows.size());
        for (int row : std::as_const(m_shown)) {
            if (row < first || row > last)
                shown.append(row);
        }
        showRows(std::move(shown));
        return;
    }
    for (auto run = runs.crbegin(); run != runs.crend(); ++run) {
        beginRemoveRows(QModelIndex(), run->first, run->second);
        m_shown.remove(run->first, run->second - run->first + 1);
        indexShownRows();
        endRemoveRows();
    }
}

void OperationSortProxy::sourceRowsRemoved(int first, int last)
{
    // The rows shown are already without them; renumber the source rows after them.
    const int count = last - first + 1;
    QList<int> sorted;
    sorted.reserve(m_sorted.size() - count);
    for (int row : std::as_const(m_sorted)) {
        if (row < first)
            sorted.append(row);
        else if (row > last)
            sorted.append(row - count);
    }
    m_sorted = std::move(sorted);
    for (int &row : m_shown)
        row -= row > last ? count : 0;
    m_searchTexts.remove(first, count);
    m_accepted.erase(m_accepted.begin() + first, m_accepted.begin() + last + 1);
    if (!m_textKeys.isEmpty())
        m_textKeys.remove(first, count);
    if (!m_numberKeys.empty())
        m_numberKeys.erase(m_numberKeys.begin() + first, m_numberKeys.begin() + last + 1);
    m_sortedPosition = positionsOf(m_sorted, m_sorted.size());
    indexShownRows();
    if (m_warmCursor > last)
        m_warmCursor -= count;
    else
        m_warmCursor = std::min(m_warmCursor, first);
}

void OperationSortProxy::sourceDataChanged(const QModelIndex &topLeft,
                                           const QModelIndex &bottomRight)
{
    QList<int> rows;
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        rows.append(row);
    if (m_gathering)
        m_gathered.append(rows);
    else
        applyChanges(rows);
}

void OperationSortProxy::sourceChangesEnd()
{
    m_gathering = false;
    applyChanges(std::exchange(m_gathered, {}));
}

// --- QAbstractItemModel ----------------------------------------------------------------------

QModelIndex OperationSortProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_model || !proxyIndex.isValid() || proxyIndex.row() >= m_shown.size())
        return QModelIndex();
    return m_model->index(m_shown[proxyIndex.row()], proxyIndex.column());
}

QModelIndex OperationSortProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.row() >= m_shownPosition.size())
        return QModelIndex();
    const int row = m_shownPosition[sourceIndex.row()];
    return row >= 0 ? createIndex(row, sourceIndex.column()) : QModelIndex();
}

QModelIndex OperationSortProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= m_shown.size() || column < 0 ||
        column >= columnCount())
        return QModelIndex();
    return createIndex(row, column);
}

QModelIndex OperationSortProxy::parent(const QModelIndex &) const
{
    return QModelIndex();
}

QModelIndex OperationSortProxy::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

int OperationSortProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int OperationSortProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

bool OperationSortProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_shown.isEmpty();
}
