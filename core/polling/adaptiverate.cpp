#include "polling/adaptiverate.h"

#include <algorithm>

namespace {
// Never below one request per window: a scope slowed to nothing would never learn it may speed up.
constexpr double kFloor = 1.0;
} // namespace

void AdaptiveRate::setCeiling(double ceiling)
{
    const bool wasFull = !isSlowed();
    const double share = m_rate / m_ceiling;
    m_ceiling = std::max(kFloor, ceiling);
    if (m_startingUp) // as far along the start as before
        m_rate = std::max(kFloor, share * m_ceiling);
    else
        m_rate = wasFull ? m_ceiling : std::min(m_rate, m_ceiling);
}

void AdaptiveRate::startSlowly()
{
    m_startingUp = true;
    m_rate = std::max(kFloor, kStartShare * m_ceiling);
    m_lastRaiseAt = QDateTime();
}

void AdaptiveRate::restore(const State &state)
{
    if (!(state.rate > 0)) // also refuses NaN from a damaged store
        return;
    m_startingUp = false; // the pace an earlier run learnt
    m_rate = std::clamp(state.rate, kFloor, m_ceiling);
    m_rateAtLastCut = state.rateAtLastCut;
    m_lastCutAt = state.lastCutAt;
    m_lastRaiseAt = state.lastCutAt;
}

void AdaptiveRate::throttled(const QDateTime &sentAt, const QDateTime &now)
{
    if (m_lastCutAt.isValid() && sentAt.isValid() && sentAt < m_lastCutAt)
        return;
    // Refused again below the rate refused last time: others are claiming a share, so give up
    // more of the plateau too (CUBIC's "fast convergence"), and copies settle on equal shares.
    const bool belowLastCut = m_rateAtLastCut > 0 && m_rate < m_rateAtLastCut;
    m_rateAtLastCut = belowLastCut ? m_rate * (1 + kCut) / 2 : m_rate;
    m_startingUp = false;
    m_rate = std::max(kFloor, m_rate * kCut);
    m_lastCutAt = now;
    m_lastRaiseAt = now;
}

void AdaptiveRate::clean(const QDateTime &now)
{
    if (!isSlowed()) {
        m_lastRaiseAt = now;
        return;
    }
    if (!m_lastRaiseAt.isValid())
        m_lastRaiseAt = now;
    const qint64 steps = m_lastRaiseAt.msecsTo(now) /
                         std::chrono::duration_cast<std::chrono::milliseconds>(kRaiseEvery).count();
    if (steps <= 0)
        return;
    qint64 i = 0;
    for (; i < steps && m_startingUp; ++i) {
        m_rate = std::min(m_ceiling, m_rate + kStartStep * m_ceiling);
        m_startingUp = m_rate < m_ceiling;
    }
    for (; i < steps && m_rate < m_ceiling; ++i) {
        const bool nearLastCut = m_rate >= kNearLastCut * m_rateAtLastCut;
        m_rate = std::min(m_ceiling, m_rate + kRaiseStep * m_ceiling * (nearLastCut ? 0.25 : 1.0));
    }
    m_lastRaiseAt = m_lastRaiseAt.addMSecs(
        steps * std::chrono::duration_cast<std::chrono::milliseconds>(kRaiseEvery).count());
}
