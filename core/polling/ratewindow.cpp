#include "polling/ratewindow.h"

#include <algorithm>
#include <limits>

void RateWindow::setLimits(const QList<Limit> &limits)
{
    m_limits = limits;
    m_longestSpan = std::chrono::milliseconds(1000);
    for (const Limit &limit : limits)
        m_longestSpan = std::max(m_longestSpan, limit.span);
}

void RateWindow::expire(qint64 nowMs)
{
    // A request sent at t counts for [t, t + span).
    const auto firstLive =
        std::upper_bound(m_sentAtMs.cbegin(), m_sentAtMs.cend(), nowMs - m_longestSpan.count());
    m_sentAtMs.erase(m_sentAtMs.cbegin(), firstLive);
}

int RateWindow::sentWithin(qint64 nowMs, std::chrono::milliseconds span) const
{
    const auto first =
        std::upper_bound(m_sentAtMs.cbegin(), m_sentAtMs.cend(), nowMs - span.count());
    return static_cast<int>(m_sentAtMs.cend() - first);
}

int RateWindow::available(const QDateTime &now)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    expire(nowMs);
    int left = std::numeric_limits<int>::max();
    for (const Limit &limit : std::as_const(m_limits))
        left = std::min(left, limit.count - sentWithin(nowMs, limit.span));
    return m_limits.isEmpty() ? 0 : std::max(0, left);
}

void RateWindow::record(const QDateTime &now, int count)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    for (int i = 0; i < count; ++i)
        m_sentAtMs.append(nowMs);
}

QDateTime RateWindow::freeAt(const QDateTime &now, int count)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    expire(nowMs);
    qint64 freeMs = nowMs;
    for (const Limit &limit : std::as_const(m_limits)) {
        if (count > limit.count)
            return QDateTime(); // never: more than the limit cannot go at once
        const int inWindow = sentWithin(nowMs, limit.span);
        const int missing = count - (limit.count - inWindow);
        if (missing <= 0)
            continue;
        // The missing-th oldest request of this window must leave it first.
        const qint64 oldestInWindow = m_sentAtMs.at(m_sentAtMs.size() - inWindow + missing - 1);
        freeMs = std::max(freeMs, oldestInWindow + limit.span.count());
    }
    return QDateTime::fromMSecsSinceEpoch(freeMs, Qt::UTC);
}
