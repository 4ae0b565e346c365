#pragma once

#include <QList>
#include <QString>

#include <functional>

class GraphClient;
class QObject;

// A team the signed-in user belongs to, as GET /me/joinedTeams lists it: what a clone's source
// is picked from.
struct JoinedTeam
{
    QString id;
    QString displayName;
    QString description;
    bool isArchived = false;
};

struct JoinedTeamsResult
{
    QList<JoinedTeam> teams;
    QString error; // for people; empty on success
};

// App-only sign-ins have no "me": the caller pastes an id instead.
void listJoinedTeams(GraphClient &client, QObject *receiver,
                     std::function<void(const JoinedTeamsResult &)> done);
