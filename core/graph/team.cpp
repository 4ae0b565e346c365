#include "graph/team.h"

#include "graph/graphclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

TeamResult parseTeam(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return {std::nullopt, QStringLiteral("the team reply is not a JSON object")};
    const QJsonObject object = document.object();
    Team team;
    team.id = object.value(QLatin1String("id")).toString();
    team.displayName = object.value(QLatin1String("displayName")).toString();
    team.description = object.value(QLatin1String("description")).toString();
    team.visibility = object.value(QLatin1String("visibility")).toString();
    team.isArchived = object.value(QLatin1String("isArchived")).toBool();
    const QUrl webUrl(object.value(QLatin1String("webUrl")).toString(), QUrl::StrictMode);
    // Only a web link is worth offering to open; anything else is dropped, not launched.
    if (webUrl.isValid() && webUrl.scheme() == QLatin1String("https"))
        team.webUrl = webUrl;
    if (team.id.isEmpty() && team.displayName.isEmpty())
        return {std::nullopt, QStringLiteral("the reply does not describe a team")};
    return {team, QString()};
}

void fetchTeam(GraphClient &client, const QString &targetResourceLocation, QObject *receiver,
               std::function<void(const TeamResult &)> done)
{
    if (targetResourceLocation.trimmed().isEmpty()) {
        done({std::nullopt, QStringLiteral("the operation names no target resource")});
        return;
    }
    client.getPaced(client.resolve(targetResourceLocation.trimmed()), receiver,
                    [done](const GraphReply &reply) {
                        if (!reply.ok()) {
                            done({std::nullopt, reply.describe()});
                            return;
                        }
                        done(parseTeam(reply.body));
                    });
}

void fetchMemberCount(GraphClient &client, const QString &teamLocation, QObject *receiver,
                      std::function<void(const MemberCount &)> done)
{
    client.getPaced(client.resolve(teamLocation.trimmed() + QStringLiteral("/members")), receiver,
                    [done](const GraphReply &reply) {
                        if (reply.failure == GraphFailure::Forbidden) {
                            done({std::nullopt, QStringLiteral("not allowed for this account")});
                            return;
                        }
                        const QJsonObject page = QJsonDocument::fromJson(reply.body).object();
                        if (!reply.ok() || !page.value(QLatin1String("value")).isArray()) {
                            done({std::nullopt, reply.ok() ? QStringLiteral("unreadable reply")
                                                           : reply.describe()});
                            return;
                        }
                        const QJsonValue counted = page.value(QLatin1String("@odata.count"));
                        done({counted.isDouble()
                                  ? counted.toInt()
                                  : int(page.value(QLatin1String("value")).toArray().size()),
                              QString()});
                    });
}

void fetchChannels(GraphClient &client, const QString &teamLocation, QObject *receiver,
                   std::function<void(const ChannelList &)> done)
{
    client.getPaced(
        client.resolve(teamLocation.trimmed() + QStringLiteral("/channels")), receiver,
        [done](const GraphReply &reply) {
            const QJsonValue values =
                QJsonDocument::fromJson(reply.body).object().value(QLatin1String("value"));
            if (!reply.ok() || !values.isArray()) {
                done({std::nullopt,
                      reply.ok() ? QStringLiteral("unreadable reply") : reply.describe()});
                return;
            }
            QList<Channel> channels;
            for (const QJsonValue &value : values.toArray()) {
                const QJsonObject channel = value.toObject();
                const QString id = channel.value(QLatin1String("id")).toString();
                if (id.isEmpty())
                    continue;
                channels.append({id, channel.value(QLatin1String("displayName")).toString(id),
                                 channel.value(QLatin1String("membershipType")).toString(),
                                 channel.value(QLatin1String("isArchived")).toBool()});
            }
            done({channels, QString()});
        });
}
