#include "ratewindow.h"

#include <algorithm>

void RateWindow::expire(qint64 nowMs)
{
    // A request sent at t counts for [t, t + 1 s).
    const auto firstLive = std::upper_bound(m_sentAtMs.cbegin(), m_sentAtMs.cend(), nowMs - 1000);
    m_sentAtMs.erase(m_sentAtMs.cbegin(), firstLive);
}

int RateWindow::available(const QDateTime &now)
{
    expire(now.toMSecsSinceEpoch());
    return std::max(0, m_limit - static_cast<int>(m_sentAtMs.size()));
}

void RateWindow::record(const QDateTime &now, int count)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    for (int i = 0; i < count; ++i)
        m_sentAtMs.append(nowMs);
}

QDateTime RateWindow::freeAt(const QDateTime &now, int count)
{
    const int missing = count - available(now);
    if (missing <= 0)
        return now;
    if (count > m_limit)
        return QDateTime(); // never: more than the limit cannot go at once
    // The missing-th oldest request must leave the window first.
    return QDateTime::fromMSecsSinceEpoch(m_sentAtMs.at(missing - 1) + 1000, Qt::UTC);
}
