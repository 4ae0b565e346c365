#include "graph/teamnames.h"

#include "graph/team.h"

#include <QRegularExpression>
#include <QTimer>

TeamNames::TeamNames(GraphClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void TeamNames::want(const QString &location)
{
    if (location.isEmpty() || m_asked.contains(location))
        return;
    m_asked.insert(location);
    read(location, kTries);
}

void TeamNames::read(const QString &location, int triesLeft)
{
    // fetchTeam is paced: names of hundreds of teams added at once go within the polling budget.
    fetchTeam(m_client, location, this, [this, location, triesLeft](const TeamResult &result) {
        if (!result.team || result.team->displayName.isEmpty()) {
            // Not readable yet (a new team), or not at all: the location stays meanwhile.
            if (triesLeft > 1) {
                QTimer::singleShot(m_retryEvery, this,
                                   [this, location, triesLeft] { read(location, triesLeft - 1); });
            }
            return;
        }
        m_names.insert(location, result.team->displayName);
        emit known(location, result.team->displayName);
        remember(result.team->id, result.team->displayName);
    });
}

void TeamNames::wantTeam(const QString &teamId)
{
    // Only what a Graph id can be: the id goes into a path.
    static const QRegularExpression plausible(QStringLiteral(R"(^[A-Za-z0-9\-]+$)"));
    if (!plausible.match(teamId).hasMatch())
        return;
    want(QStringLiteral("/teams/%1").arg(teamId.toLower()));
}

void TeamNames::remember(const QString &teamId, const QString &displayName)
{
    // Read again unchanged (each session reads a kept name once more): nothing to show or save.
    if (teamId.isEmpty() || displayName.isEmpty() || nameOfTeam(teamId) == displayName)
        return;
    m_byTeamId.insert(teamId.toLower(), displayName);
    emit teamNamed(teamId.toLower(), displayName);
}

QJsonObject TeamNames::saved() const
{
    QJsonObject locations, teams;
    for (auto it = m_names.cbegin(); it != m_names.cend(); ++it)
        locations.insert(it.key(), it.value());
    for (auto it = m_byTeamId.cbegin(); it != m_byTeamId.cend(); ++it)
        teams.insert(it.key(), it.value());
    return {{QStringLiteral("locations"), locations}, {QStringLiteral("teams"), teams}};
}

void TeamNames::restore(const QJsonObject &saved)
{
    const QJsonObject locations = saved.value(QLatin1String("locations")).toObject();
    for (auto it = locations.constBegin(); it != locations.constEnd(); ++it) {
        // Shown at once, and read again when wanted: a team may have been renamed since.
        if (it.value().isString() && !it.value().toString().isEmpty())
            m_names.insert(it.key(), it.value().toString());
    }
    const QJsonObject teams = saved.value(QLatin1String("teams")).toObject();
    for (auto it = teams.constBegin(); it != teams.constEnd(); ++it) {
        if (it.value().isString() && !it.value().toString().isEmpty())
            m_byTeamId.insert(it.key().toLower(), it.value().toString());
    }
}
