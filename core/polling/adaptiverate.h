#pragma once

#include <QDateTime>

#include <chrono>

// The request rate TeamsOps allows itself for one scope (the tenant, or one team), adapted to
// what Graph says: cut by a factor on throttling, raised back a little at a time while answers
// are clean. This is TCP's and the AWS SDKs' adaptive retry: additive increase, multiplicative
// decrease. Two or three copies of TeamsOps on one tenant, each doing this without talking to
// the other, settle on about equal shares of Graph's budget.
class AdaptiveRate
{
public:
    static constexpr double kCut = 0.7; // what is left after a throttled answer
    // Raised by kRaiseStep of the ceiling every kRaiseEvery without a throttled answer, and by a
    // quarter of that once back near the rate that was refused last (where the next refusal is
    // likely: probing there slowly keeps refusals rare).
    static constexpr double kRaiseStep = 0.025;
    static constexpr std::chrono::seconds kRaiseEvery{3};
    static constexpr double kNearLastCut = 0.9;
    // A scope started afresh (no pace saved from an earlier run) begins at kStartShare of the
    // ceiling and rises by kStartStep of it every kRaiseEvery until Graph first refuses or the
    // ceiling is reached: two copies starting together on one tenant, each with every operation
    // due at once, must not both fire at the full budget (TCP's slow start, linear here).
    static constexpr double kStartShare = 0.5;
    static constexpr double kStartStep = 0.1;

    explicit AdaptiveRate(double ceiling = 1.0)
        : m_ceiling(ceiling)
        , m_rate(ceiling)
    {}

    double rate() const { return m_rate; }
    double ceiling() const { return m_ceiling; }
    void startSlowly();
    // Below the ceiling because it is starting, not because Graph refused.
    bool isStartingUp() const { return m_startingUp; }
    // Keeps a cut in force; a rate at the old ceiling moves to the new one.
    void setCeiling(double ceiling);
    bool isSlowed() const { return m_rate < m_ceiling; }
    QDateTime lastCutAt() const { return m_lastCutAt; }

    // What outlives a restart: the rate in force and the refusal it came from.
    struct State
    {
        double rate = 0;
        double rateAtLastCut = 0;
        QDateTime lastCutAt;
    };
    State state() const { return {m_rate, m_rateAtLastCut, m_lastCutAt}; }
    // Keeps the ceiling; a saved rate above it is lowered to it.
    void restore(const State &state);

    // A request sent at `sentAt` was throttled. Requests that left before the last cut say
    // nothing new (they were sent at the old rate), so one burst of refusals is one cut.
    void throttled(const QDateTime &sentAt, const QDateTime &now);
    // An answer that was not throttled.
    void clean(const QDateTime &now);

private:
    double m_ceiling;
    double m_rate;
    double m_rateAtLastCut = 0;
    QDateTime m_lastCutAt;
    QDateTime m_lastRaiseAt;
    bool m_startingUp = false;
};
