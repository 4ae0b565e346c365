#include "panes/timelinewidget.h"

#include "table/operationpresentation.h"

#include <QPainter>
#include <QPainterPath>

namespace P = OperationPresentation;

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("timeline"));
    setAccessibleName(tr("Timeline of the operation"));
    setMinimumHeight(64);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize TimelineWidget::sizeHint() const
{
    return {480, fontMetrics().height() * 4 + 16};
}

void TimelineWidget::clear()
{
    m_segments.clear();
    m_total.clear();
    update();
}

void TimelineWidget::setOperation(const WatchedOperation &operation, const QDateTime &now)
{
    m_segments.clear();
    m_total.clear();
    const QList<StatusChange> &history = operation.history;
    if (history.isEmpty() || !operation.latest) {
        update();
        return;
    }
    const Operation &op = *operation.latest;
    const QDateTime start =
        op.createdDateTime.isValid() ? op.createdDateTime : history.first().seenAt;
    const bool ended = op.isTerminal() && op.lastActionDateTime.isValid();
    const QDateTime end = ended ? std::max(start, op.lastActionDateTime)
                                : (op.isTerminal() ? history.last().seenAt : now);
    QString previousRaw;
    int attempts = 0;
    for (qsizetype i = 0; i < history.size(); ++i) {
        const StatusChange &change = history.at(i);
        // A segment per status, not per attempt.
        if (!m_segments.isEmpty() && change.statusRaw == previousRaw) {
            attempts = std::max(attempts, change.attemptsCount);
            continue;
        }
        if (!m_segments.isEmpty() && attempts > 1)
            m_segments.last().detail = tr("%n attempt(s)", nullptr, attempts);
        previousRaw = change.statusRaw;
        attempts = change.attemptsCount;
        const QDateTime from = m_segments.isEmpty() ? start : std::clamp(change.seenAt, start, end);
        if (!m_segments.isEmpty())
            m_segments.last().to = from;
        m_segments.append(Segment{P::statusWord(change.status, change.statusRaw), QString(), from,
                                  end, change.status});
    }
    if (attempts > 1)
        m_segments.last().detail = tr("%n attempt(s)", nullptr, attempts);
    for (Segment &segment : m_segments) {
        const QString duration = P::durationText(segment.from.msecsTo(segment.to));
        segment.detail =
            segment.detail.isEmpty() ? duration : duration + QStringLiteral(" · ") + segment.detail;
    }
    m_total = tr("%1 in all").arg(P::durationText(start.msecsTo(end)));
    const qint64 seenLate = ended ? end.msecsTo(history.last().seenAt) : 0;
    if (seenLate >= 5000)
        m_total += tr("; its end seen %1 later").arg(P::durationText(seenLate));
    // What the bar shows, for screen readers: each status with its duration, then the total.
    QStringList spoken;
    for (const Segment &segment : std::as_const(m_segments))
        spoken.append(segment.label + QStringLiteral(", ") + segment.detail);
    setAccessibleDescription(spoken.join(QStringLiteral("; ")) + QStringLiteral(". ") + m_total);
    update();
}

QRectF TimelineWidget::barRect() const
{
    const QFontMetrics metrics = fontMetrics();
    return QRectF(8, metrics.height() + 8, width() - 16, metrics.height() * 1.6);
}

QList<QRectF> TimelineWidget::parts() const
{
    QList<QRectF> parts;
    if (m_segments.isEmpty())
        return parts;
    const QRectF bar = barRect();
    const QDateTime start = m_segments.first().from;
    const QDateTime end = m_segments.last().to;
    const double span = std::max<qint64>(1, start.msecsTo(end));
    const double minimum = bar.height() + 4;
    double x = bar.left();
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const Segment &segment = m_segments.at(i);
        const double share = double(segment.from.msecsTo(segment.to)) / span;
        const double remaining = bar.right() - x - minimum * double(m_segments.size() - i - 1);
        const double w = i + 1 == m_segments.size()
                             ? bar.right() - x
                             : std::clamp(share * bar.width(), minimum, remaining);
        parts.append(QRectF(x, bar.top(), w, bar.height()));
        x += w;
    }
    return parts;
}

QList<TimelineWidget::TimeLabel> TimelineWidget::timeLabels() const
{
    const QFontMetrics metrics = fontMetrics();
    const QRectF bar = barRect();
    const QList<QRectF> drawn = parts();
    const double gap = metrics.horizontalAdvance(QLatin1Char(' ')) * 2;
    QList<TimeLabel> labels;
    double freeFrom = bar.left();
    for (qsizetype i = 0; i < drawn.size(); ++i) {
        const QString text =
            m_segments.at(i).from.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        const double width = metrics.horizontalAdvance(text) + 1;
        // Under its segment's start, kept within the bar.
        const double left = std::min(drawn.at(i).left(), bar.right() - width);
        if (left < freeFrom)
            continue; // it would run into the time before it
        labels.append({text, QRectF(left, bar.bottom() + 2, width, metrics.height())});
        freeFrom = left + width + gap;
    }
    return labels;
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QFontMetrics metrics = fontMetrics();
    const QRectF bar = barRect();
    if (m_segments.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No history yet"));
        return;
    }
    const QList<QRectF> drawn = parts();
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const Segment &segment = m_segments.at(i);
        const QRectF &part = drawn.at(i);
        // The fill is a tint; the label on it keeps the palette's text colour for contrast.
        QColor fill = P::statusHue(segment.status);
        fill.setAlpha(pal.color(QPalette::Base).lightness() > 128 ? 70 : 110);
        painter.setPen(QPen(P::statusHue(segment.status), 1.5));
        painter.setBrush(fill);
        painter.drawRoundedRect(part.adjusted(1, 0, -1, 0), 4, 4);
        const QRectF icon(part.left() + 4, part.center().y() - 8, 16, 16);
        P::statusIcon(segment.status).paint(&painter, icon.toRect());
        painter.setPen(pal.color(QPalette::Text));
        const QRectF label = part.adjusted(24, 0, -4, 0);
        const QString text = segment.label + QStringLiteral(" · ") + segment.detail;
        painter.drawText(label, Qt::AlignVCenter | Qt::AlignLeft,
                         metrics.elidedText(text, Qt::ElideRight, int(label.width())));
    }
    // When each began, under the bar, none over another.
    painter.setPen(pal.color(QPalette::PlaceholderText));
    for (const TimeLabel &time : timeLabels())
        painter.drawText(time.rect, Qt::AlignLeft, time.text);
    painter.drawText(QRectF(bar.left(), 2, bar.width(), metrics.height()), Qt::AlignRight, m_total);
}
