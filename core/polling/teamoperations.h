#pragma once

#include "model/operationref.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class GraphClient;
class OperationPoller;

struct TeamOperationsResult
{
    QList<OperationRef> operations; // every operation the team lists, all pages
    QString error;                  // for people; empty on success
};

// A team id from what people paste: the id itself, /teams('id'), a Graph URL of the team, or
// "Name — id" as TeamsOps shows a team.
// Empty when none can be found.
QString teamIdFromText(const QString &text);

// Lists a team's operations (GET /teams/{id}/operations, following @odata.nextLink), so an admin
// can watch all of them at once.
void listTeamOperations(GraphClient &client, const QString &teamId, QObject *receiver,
                        std::function<void(const TeamOperationsResult &)> done);

struct TeamWatchResult
{
    QString teamId;
    int listed = 0; // operations the team lists
    int added = 0;  // of which were not watched yet
    QString error;  // for people; empty on success
};

// "Watch a whole team": lists its operations and watches every one not watched yet. Shared by
// the dashboard's Add dialog and `teamsops-cli watch --team`.
void watchTeamOperations(GraphClient &client, OperationPoller &poller, const QString &teamId,
                         QObject *receiver, std::function<void(const TeamWatchResult &)> done);
