#pragma once

#include <QDateTime>
#include <QList>

#include <chrono>

// Counts requests in sliding windows, the way Graph's limits are read: "never more than N
// requests in any one second". A window may be longer than a second: N sent within 1.4 s
// cannot arrive more than N within one second, however the network shifts each by up to 0.4 s.
class RateWindow
{
public:
    struct Limit
    {
        int count = 0;
        std::chrono::milliseconds span{1000};
    };

    RateWindow() = default;
    explicit RateWindow(int limitPerSecond) { setLimits({Limit{limitPerSecond}}); }

    // Every limit holds at once; the first is the one reported by limit().
    void setLimits(const QList<Limit> &limits);
    const QList<Limit> &limits() const { return m_limits; }
    int limit() const { return m_limits.isEmpty() ? 0 : m_limits.first().count; }

    // How many more requests may go out at `now`.
    int available(const QDateTime &now);
    void record(const QDateTime &now, int count = 1);
    // The earliest time at which `count` requests may go out (now if they may already; invalid
    // if never, because count is above a limit).
    QDateTime freeAt(const QDateTime &now, int count);

private:
    void expire(qint64 nowMs);
    int sentWithin(qint64 nowMs, std::chrono::milliseconds span) const;

    QList<Limit> m_limits;
    std::chrono::milliseconds m_longestSpan{1000};
    QList<qint64> m_sentAtMs; // ascending
};
