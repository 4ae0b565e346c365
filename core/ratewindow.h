#pragma once

#include <QDateTime>
#include <QList>

// Counts requests in a sliding one-second window, the way Graph's per-second limits are read:
// "never more than limit requests in any one second".
class RateWindow
{
public:
    explicit RateWindow(int limitPerSecond = 0)
        : m_limit(limitPerSecond)
    {}

    void setLimit(int limitPerSecond) { m_limit = limitPerSecond; }
    int limit() const { return m_limit; }

    // How many more requests may go out at `now`.
    int available(const QDateTime &now);
    void record(const QDateTime &now, int count = 1);
    // The earliest time at which `count` requests may go out (now if they may already).
    QDateTime freeAt(const QDateTime &now, int count);

private:
    void expire(qint64 nowMs);

    int m_limit;
    QList<qint64> m_sentAtMs; // ascending
};
