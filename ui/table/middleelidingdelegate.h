#pragma once

#include <QStyledItemDelegate>

// Draws a cell elided in the middle: for ids and locations, whose both ends tell them apart
// ("/teams('6d3f…5b6c')"), where other columns (an error) keep their start.
class MiddleElidingDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};
