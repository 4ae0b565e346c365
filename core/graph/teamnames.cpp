#include "graph/teamnames.h"

#include "graph/team.h"

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
    });
}
