#pragma once

#include "watchedoperation.h"

#include <QDateTime>
#include <QWidget>

// An operation's life drawn as a bar: one segment per status it was seen in, each with its icon
// and word (never colour alone), from creation to the last action (or now, while it runs).
class TimelineWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineWidget)
public:
    explicit TimelineWidget(QWidget *parent = nullptr);

    void setOperation(const WatchedOperation &operation, const QDateTime &now);
    void clear();
    // The segments as drawn, for tests: status word and share of the bar.
    struct Segment
    {
        QString label;
        QDateTime from;
        QDateTime to;
        OperationStatus status;
    };
    const QList<Segment> &segments() const { return m_segments; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Segment> m_segments;
};
