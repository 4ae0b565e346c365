#pragma once

#include "operationref.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class GraphClient;

struct TeamOperationsResult
{
    QList<OperationRef> operations; // every operation the team lists, all pages
    QString error;                  // for people; empty on success
};

// A team id from what people paste: the id itself, /teams('id'), or a Graph URL of the team.
// Empty when none can be found.
QString teamIdFromText(const QString &text);

// Lists a team's operations (GET /teams/{id}/operations, following @odata.nextLink), so an admin
// can watch all of them at once.
void listTeamOperations(GraphClient &client, const QString &teamId, QObject *receiver,
                        std::function<void(const TeamOperationsResult &)> done);
