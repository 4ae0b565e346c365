#pragma once

#include "model/watchedoperation.h"

#include <QDateTime>
#include <QWidget>

// An operation's life drawn as a bar: one segment per status it was seen in, each with its icon
// and word (never colour alone), its duration and attempts, from creation to the last action (or
// now, while it runs) — the same span as the table's Elapsed column. A finished status begins at
// Graph's last action, however much later TeamsOps saw it; that delay is said apart.
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
        QString label;  // the status word
        QString detail; // its duration, and its attempts when more than one
        QDateTime from;
        QDateTime to;
        OperationStatus status;
    };
    const QList<Segment> &segments() const { return m_segments; }
    // "10 s in all", and when the end was seen late, how late.
    QString totalText() const { return m_total; }

    // When each segment began, as written under the bar: a time is left out where it would run
    // into the one before it (short segments), so that none overlaps another.
    struct TimeLabel
    {
        QString text;
        QRectF rect;
    };
    QList<TimeLabel> timeLabels() const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRectF barRect() const;
    // Each segment's part of the bar: at least room for its icon, so short ones stay visible.
    QList<QRectF> parts() const;

    QList<Segment> m_segments;
    QString m_total;
};
