#pragma once

#include <QTableView>

// The operations table as the window shows it: whole rows selected, sorted newest first, column
// widths from sample text (they follow the font and the screen's scale), target locations elided
// in the middle, and columns hidden from the header's context menu (Status always shows).
class OperationTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationTableView)
public:
    // The model is set first: the widths and the sort apply to its columns.
    explicit OperationTableView(QAbstractItemModel *model, QWidget *parent = nullptr);

    // Repaints the columns that move with the clock (Elapsed, Next poll) in the visible rows
    // only: never a walk over every row.
    void repaintClockColumns();

signals:
    // Double-click or Enter on a row, or a click on a target cell that has a target.
    void targetRequested(const QModelIndex &index);

private:
    void fitColumnWidths();
    void showColumnMenu(const QPoint &at);
};
