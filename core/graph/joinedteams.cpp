#include "graph/joinedteams.h"

#include "graph/graphclient.h"
#include "model/operationref.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

void listJoinedTeams(GraphClient &client, QObject *receiver,
                     std::function<void(const JoinedTeamsResult &)> done)
{
    client.get(urlUnderBase(client.baseUrl(), QStringLiteral("/me/joinedTeams")), receiver,
               [done](const GraphReply &reply) {
                   JoinedTeamsResult result;
                   if (!reply.ok()) {
                       result.error = reply.describe();
                       done(result);
                       return;
                   }
                   const QJsonDocument json = QJsonDocument::fromJson(reply.body);
                   if (!json.isObject() || !json.object().value(QLatin1String("value")).isArray()) {
                       result.error = QStringLiteral("Graph's list of teams is not one");
                       done(result);
                       return;
                   }
                   for (const QJsonValue &item :
                        json.object().value(QLatin1String("value")).toArray()) {
                       const QJsonObject team = item.toObject();
                       const QString id = team.value(QLatin1String("id")).toString();
                       if (id.isEmpty())
                           continue;
                       result.teams.append({id, team.value(QLatin1String("displayName")).toString(),
                                            team.value(QLatin1String("description")).toString(),
                                            team.value(QLatin1String("isArchived")).toBool()});
                   }
                   done(result);
               });
}
