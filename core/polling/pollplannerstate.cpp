// What of the planner outlives a restart: Retry-After still in force and the rates Graph asked
// for. Saved as JSON beside the watched operations; anything missing or damaged is ignored, so a
// bad value can only make TeamsOps start at full pace, never stall it.
#include "polling/pollplanner.h"

#include "graph/retryafter.h"

#include <QJsonArray>

namespace {

const QString kRetryAt = QStringLiteral("retryAt");
const QString kRate = QStringLiteral("rate");
const QString kRateAtLastCut = QStringLiteral("rateAtLastCut");
const QString kLastCutAt = QStringLiteral("lastCutAt");
const QString kTeam = QStringLiteral("team");
const QString kTeams = QStringLiteral("teams");

QJsonValue timeValue(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QDateTime timeFrom(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

// A saved Retry-After that ended is gone; one beyond the cap is a damaged value.
QDateTime retryAtFrom(const QJsonValue &value, const QDateTime &now)
{
    const QDateTime at = timeFrom(value);
    const bool inForce = at.isValid() && at > now && now.secsTo(at) <= kRetryAfterCap.count();
    return inForce ? at : QDateTime();
}

QJsonObject rateObject(const AdaptiveRate &rate, const QDateTime &retryAt)
{
    const AdaptiveRate::State state = rate.state();
    QJsonObject object{{kRate, state.rate}, {kRateAtLastCut, state.rateAtLastCut}};
    if (state.lastCutAt.isValid())
        object.insert(kLastCutAt, timeValue(state.lastCutAt));
    if (retryAt.isValid())
        object.insert(kRetryAt, timeValue(retryAt));
    return object;
}

AdaptiveRate::State rateStateFrom(const QJsonObject &object)
{
    return {object.value(kRate).toDouble(), object.value(kRateAtLastCut).toDouble(),
            timeFrom(object.value(kLastCutAt))};
}

} // namespace

QJsonObject PollPlanner::savedPace() const
{
    QJsonObject saved = rateObject(m_tenantRate, m_tenantRetryAt);
    QJsonArray teams;
    for (auto it = m_teams.cbegin(); it != m_teams.cend(); ++it) {
        // Only what differs from a fresh start: thousands of teams at full pace say nothing.
        if (!it->rate.isSlowed() && !it->retryAt.isValid())
            continue;
        QJsonObject team = rateObject(it->rate, it->retryAt);
        team.insert(kTeam, it.key());
        teams.append(team);
    }
    if (!teams.isEmpty())
        saved.insert(kTeams, teams);
    return saved;
}

void PollPlanner::restorePace(const QJsonObject &saved, const QDateTime &now)
{
    m_tenantRate.restore(rateStateFrom(saved));
    m_tenantRetryAt = retryAtFrom(saved.value(kRetryAt), now);
    const QJsonArray teams = saved.value(kTeams).toArray();
    for (const QJsonValue &value : teams) {
        const QJsonObject object = value.toObject();
        const QString teamKey = object.value(kTeam).toString();
        if (teamKey.isEmpty())
            continue;
        TeamState &state = team(teamKey);
        state.rate.restore(rateStateFrom(object));
        state.retryAt = retryAtFrom(object.value(kRetryAt), now);
    }
    applyRates();
}
