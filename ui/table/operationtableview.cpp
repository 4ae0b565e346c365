#include "table/operationtableview.h"

#include "table/middleelidingdelegate.h"
#include "table/operationtablemodel.h"

#include <QHeaderView>
#include <QMenu>

OperationTableView::OperationTableView(QAbstractItemModel *model, QWidget *parent)
    : QTableView(parent)
{
    setObjectName(QStringLiteral("operationsTable"));
    setAccessibleName(tr("Operations"));
    setModel(model);
    setSortingEnabled(true);
    sortByColumn(OperationTableModel::Created, Qt::DescendingOrder);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setContextMenuPolicy(Qt::CustomContextMenu);
    setAlternatingRowColors(true);
    setWordWrap(false);
    // Target locations keep both ends; errors keep their start (the code).
    setItemDelegateForColumn(OperationTableModel::Target, new MiddleElidingDelegate(this));
    setMouseTracking(true);
    verticalHeader()->hide();
    // Rows as high as the text needs (and the 16 px status icon), so that more of them show.
    verticalHeader()->setDefaultSectionSize(std::max(fontMetrics().height(), 16) + 8);
    horizontalHeader()->setStretchLastSection(false);
    fitColumnWidths();
    // Who started what matters to a team sharing a store (MainWindow shows it then); one admin
    // can show it from the header's menu.
    setColumnHidden(OperationTableModel::StartedBy, true);

    // Double-click and Enter both arrive as activated(); a click on a target cell opens it too.
    connect(this, &QAbstractItemView::activated, this, &OperationTableView::targetRequested);
    connect(this, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        if (index.column() == OperationTableModel::Target &&
            !index.data(OperationTableModel::TargetLocationRole).toString().isEmpty()) {
            emit targetRequested(index);
        }
    });
    // Columns can be hidden from the header's context menu (and stay hidden: the window saves
    // the header's state).
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(horizontalHeader(), &QWidget::customContextMenuRequested, this,
            &OperationTableView::showColumnMenu);
}

void OperationTableView::fitColumnWidths()
{
    horizontalHeader()->setSectionResizeMode(OperationTableModel::Error, QHeaderView::Stretch);
    const QFontMetrics metrics = fontMetrics();
    const auto fit = [&](int column, const char *sample, int extra = 24) {
        setColumnWidth(column, metrics.horizontalAdvance(QLatin1String(sample)) + extra);
    };
    fit(OperationTableModel::Status, "Waiting for first poll", 44);
    fit(OperationTableModel::Type, "Unarchive channel");
    // Target is mostly "—" until a clone succeeds; the Error column, read first on a failure,
    // takes the room that is left.
    fit(OperationTableModel::Target, "/teams('16f70819…')");
    fit(OperationTableModel::Attempts, "Attempts");
    fit(OperationTableModel::Created, "2026-11-23 07:31:15");
    fit(OperationTableModel::LastAction, "2026-11-23 07:31:15");
    fit(OperationTableModel::Elapsed, "10 min 02 s");
    fit(OperationTableModel::NextPoll, "in 10 min 02 s");
    fit(OperationTableModel::StartedBy, "megan@contoso.com");
}

void OperationTableView::showColumnMenu(const QPoint &at)
{
    QHeaderView *header = horizontalHeader();
    QMenu menu(this);
    for (int column = 0; column < OperationTableModel::ColumnCount; ++column) {
        QAction *toggle = menu.addAction(model()->headerData(column, Qt::Horizontal).toString());
        toggle->setCheckable(true);
        toggle->setChecked(!header->isSectionHidden(column));
        toggle->setEnabled(column != OperationTableModel::Status); // status always shows
        connect(toggle, &QAction::toggled, header,
                [header, column](bool shown) { header->setSectionHidden(column, !shown); });
    }
    menu.exec(header->mapToGlobal(at));
}

void OperationTableView::repaintClockColumns()
{
    for (const int column : {OperationTableModel::Elapsed, OperationTableModel::NextPoll}) {
        if (isColumnHidden(column))
            continue;
        viewport()->update(columnViewportPosition(column), 0, columnWidth(column),
                           viewport()->height());
    }
}
