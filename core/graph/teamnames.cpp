#include "graph/teamnames.h"

#include "graph/team.h"

TeamNames::TeamNames(GraphClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void TeamNames::want(const QString &location)
{
    if (location.isEmpty() || m_asked.contains(location))
        return;
    m_asked.insert(location);
    fetchTeam(m_client, location, this, [this, location](const TeamResult &result) {
        if (!result.team || result.team->displayName.isEmpty())
            return; // the location stays; a restart asks again
        m_names.insert(location, result.team->displayName);
        emit known(location, result.team->displayName);
    });
}
