// SimServer, teams: reading a team and its members, and starting clones, archives and creates.
#include "simserver.h"
#include "simtenant.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

namespace {

QByteArray keyLocation(const QString &teamId, const QString &operationId)
{
    return QStringLiteral("/teams('%1')/operations('%2')").arg(teamId, operationId).toUtf8();
}

SimReply noSuchTeam(const QString &teamId)
{
    return SimReply::graphError(404, QStringLiteral("NotFound"),
                                QStringLiteral("No team found with Group Id %1").arg(teamId));
}

// The team a clone or a create will produce, from the request's body.
SimTeam teamToProduce(const QJsonObject &request, const QString &defaultVisibility)
{
    SimTeam produced;
    produced.id = SimTenant::newId();
    produced.displayName = request.value(QLatin1String("displayName")).toString();
    produced.description = request.value(QLatin1String("description")).toString();
    produced.visibility = request.value(QLatin1String("visibility")).toString(defaultVisibility);
    return produced;
}

// How the simulator names a channel: "19:{first 8 of the team id}-{name}@thread.tacv2".
QString channelIdOf(const SimTeam &team, const QString &name)
{
    return QStringLiteral("19:%1-%2@thread.tacv2").arg(team.id.left(8), name.toLower());
}

// The name of the team's channel (among those there by now) with this id, or empty.
QString channelNamed(const SimTeam &team, const QString &channelId, double now)
{
    for (const QString &name : team.visibleChannels(now)) {
        if (channelIdOf(team, name).compare(channelId, Qt::CaseInsensitive) == 0)
            return name;
    }
    return QString();
}

SimReply notOwner()
{
    return SimReply::graphError(403, QStringLiteral("Forbidden"),
                                QStringLiteral("Failed to execute request. The user is not an "
                                               "owner of the team."));
}

} // namespace

SimReply SimServer::getTeam(const QString &teamId)
{
    const SimTeam *team = m_tenant.team(teamId);
    // A new team answers 404 for a while after its operation succeeded (GRAPH.md).
    if (!team || !m_tenant.isReadable(*team)) {
        return noSuchTeam(teamId);
    }
    QJsonObject json = team->toJson(m_tenant.tenantId());
    json.insert(QStringLiteral("@odata.context"),
                QStringLiteral("https://graph.microsoft.com/v1.0/$metadata#teams/$entity"));
    return SimReply::json(200, json);
}

SimReply SimServer::startChannelArchive(const QString &teamId, const QString &channelId,
                                        bool archive)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team)
        return noSuchTeam(teamId);
    if (team->readOnly)
        return notOwner();
    if (channelNamed(*team, channelId, m_tenant.secondsSinceStart()).isEmpty()) {
        return SimReply::graphError(404, QStringLiteral("NotFound"),
                                    QStringLiteral("Channel not found."));
    }
    if (team->isArchived) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("The team is archived: its channels cannot "
                                                   "be archived or unarchived."));
    }
    SimOperation op;
    op.teamId = team->id;
    op.type = archive ? QStringLiteral("archiveChannel") : QStringLiteral("unarchiveChannel");
    op.createdAt = m_tenant.secondsSinceStart();
    op.startAfter = 1;
    op.duration = 10;
    op.targetTeamId = team->id;
    const SimOperation &added = m_tenant.addOperation(op);
    return SimReply::empty(202).withHeader("Location", keyLocation(team->id, added.id));
}

SimReply SimServer::listTeams(const QUrlQuery &query)
{
    const QString filter = query.queryItemValue(QStringLiteral("$filter"), QUrl::FullyDecoded);
    static const QRegularExpression byName(QStringLiteral(R"(^displayName eq '((?:[^']|'')*)'$)"));
    const QRegularExpressionMatch match = byName.match(filter.trimmed());
    if (!filter.isEmpty() && !match.hasMatch()) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("Invalid filter clause"));
    }
    const QString name = match.captured(1).replace(QStringLiteral("''"), QStringLiteral("'"));
    QJsonArray value;
    for (const SimTeam *team : m_tenant.teams()) {
        if (filter.isEmpty() || team->displayName == name)
            value.append(team->toJson(m_tenant.tenantId()));
    }
    return SimReply::json(
        200, QJsonObject{{QStringLiteral("@odata.context"),
                          QStringLiteral("https://graph.microsoft.com/v1.0/$metadata#teams")},
                         {QStringLiteral("value"), value}});
}

SimReply SimServer::listChannels(const QString &teamId)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team)
        return noSuchTeam(teamId);
    QJsonArray value;
    const auto add = [&value, team](const QString &name, const char *membership) {
        value.append(QJsonObject{{QStringLiteral("id"), channelIdOf(*team, name)},
                                 {QStringLiteral("displayName"), name},
                                 {QStringLiteral("membershipType"), QLatin1String(membership)}});
    };
    for (const QString &name : team->visibleChannels(m_tenant.secondsSinceStart()))
        add(name, "standard");
    for (const QString &name : team->privateChannels)
        add(name, "private");
    return SimReply::json(200, QJsonObject{{QStringLiteral("@odata.count"), value.size()},
                                           {QStringLiteral("value"), value}});
}

SimReply SimServer::getFilesFolder(const QString &teamId, const QString &channelId)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team)
        return noSuchTeam(teamId);
    const QString name = channelNamed(*team, channelId, m_tenant.secondsSinceStart());
    if (name.isEmpty()) {
        return SimReply::graphError(404, QStringLiteral("NotFound"),
                                    QStringLiteral("Channel not found."));
    }
    // Asking is what makes SharePoint create the folder of a new team's channel.
    if (!m_tenant.requestFilesFolder(*team, name)) {
        return SimReply::graphError(404, QStringLiteral("NotFound"),
                                    QStringLiteral("The channel's files folder is being "
                                                   "provisioned. Please try again later."));
    }
    const QString site = QString(team->displayName).remove(QLatin1Char(' '));
    return SimReply::json(
        200,
        QJsonObject{
            {QStringLiteral("@odata.context"),
             QStringLiteral("https://graph.microsoft.com/v1.0/$metadata#teams('%1')/channels('%2')/"
                            "filesFolder/$entity")
                 .arg(team->id, channelId)},
            {QStringLiteral("id"), QStringLiteral("01%1%2").arg(team->id.left(8), name.toUpper())},
            {QStringLiteral("name"), name},
            {QStringLiteral("webUrl"), QStringLiteral("https://contoso.sharepoint.com/sites/") +
                                           site + QStringLiteral("/Shared%20Documents/") + name},
            {QStringLiteral("folder"), QJsonObject{{QStringLiteral("childCount"), 0}}},
            {QStringLiteral("parentReference"),
             QJsonObject{{QStringLiteral("driveType"), QStringLiteral("documentLibrary")}}}});
}

SimReply SimServer::listInstalledApps(const QString &teamId)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team)
        return noSuchTeam(teamId);
    QJsonArray value;
    for (const QString &name : team->visibleApps(m_tenant.secondsSinceStart())) {
        value.append(QJsonObject{
            {QStringLiteral("id"), QStringLiteral("%1-%2").arg(team->id.left(8), name.toLower())},
            {QStringLiteral("teamsAppDefinition"),
             QJsonObject{{QStringLiteral("displayName"), name}}}});
    }
    return SimReply::json(200, QJsonObject{{QStringLiteral("value"), value}});
}

SimReply SimServer::listJoinedTeams()
{
    // As Graph sends it: a few properties of each team, and the tenant it lives in.
    QJsonArray value;
    for (const SimTeam *team : m_tenant.teams()) {
        value.append(QJsonObject{
            {QStringLiteral("id"), team->id},
            {QStringLiteral("displayName"), team->displayName},
            {QStringLiteral("description"),
             team->description.isEmpty() ? QJsonValue() : team->description},
            {QStringLiteral("isArchived"), team->isArchived},
            {QStringLiteral("tenantId"), m_tenant.tenantId()},
        });
    }
    return SimReply::json(
        200, QJsonObject{{QStringLiteral("@odata.context"),
                          QStringLiteral("https://graph.microsoft.com/v1.0/$metadata#teams")},
                         {QStringLiteral("@odata.count"), value.size()},
                         {QStringLiteral("value"), value}});
}

SimReply SimServer::listMembers(const QString &teamId)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team) {
        return noSuchTeam(teamId);
    }
    if (team->membersHidden) {
        return SimReply::graphError(403, QStringLiteral("Forbidden"),
                                    QStringLiteral("Missing scope permissions on the request."));
    }
    // A new team's members (its owners among them) show a while after it was made.
    const int shown = m_tenant.hasOwners(*team) ? team->memberCount : 0;
    QJsonArray members;
    for (int i = 0; i < shown; ++i) {
        members.append(QJsonObject{
            {QStringLiteral("@odata.type"),
             QStringLiteral("#microsoft.graph.aadUserConversationMember")},
            {QStringLiteral("id"), QStringLiteral("member-%1").arg(i)},
            {QStringLiteral("roles"), i == 0 ? QJsonArray{QStringLiteral("owner")} : QJsonArray()},
            {QStringLiteral("displayName"), QStringLiteral("Member %1").arg(i + 1)}});
    }
    return SimReply::json(200, QJsonObject{{QStringLiteral("@odata.count"), shown},
                                           {QStringLiteral("value"), members}});
}

SimReply SimServer::startClone(const QString &teamId, const QByteArray &body)
{
    const SimTeam *source = m_tenant.team(teamId);
    if (!source) {
        return noSuchTeam(teamId);
    }
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const QString displayName = request.value(QLatin1String("displayName")).toString();
    if (displayName.isEmpty()) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("displayName is required."));
    }
    const QStringList parts = request.value(QLatin1String("partsToClone"))
                                  .toString()
                                  .remove(QLatin1Char(' '))
                                  .split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.contains(QLatin1String("tabs")) && !parts.contains(QLatin1String("apps"))) {
        return SimReply::graphError(
            400, QStringLiteral("InvalidRequest"),
            QStringLiteral("Tabs cannot be cloned without cloning Apps as well."));
    }
    if (parts.contains(QLatin1String("tabs")) && !parts.contains(QLatin1String("channels"))) {
        return SimReply::graphError(
            400, QStringLiteral("InvalidRequest"),
            QStringLiteral("Tabs cannot be cloned without cloning Channels as well."));
    }
    if (source->readOnly)
        return notOwner();
    if (source->isOrgWide) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("Org-wide teams cannot be cloned."));
    }
    SimTeam produced = teamToProduce(request, source->visibility);
    // What the clone copies, which settles after it says succeeded (private channels never).
    produced.channels = parts.contains(QLatin1String("channels"))
                            ? source->channels
                            : QStringList{QStringLiteral("General")};
    produced.apps = parts.contains(QLatin1String("apps")) ? source->apps : QStringList();
    produced.settleStep = m_tenant.cloneSettleSeconds() /
                          std::max<qsizetype>(1, produced.channels.size() + produced.apps.size());

    SimOperation op;
    op.teamId = source->id;
    op.type = QStringLiteral("cloneTeam");
    op.createdAt = m_tenant.secondsSinceStart();
    op.producesTeam = produced;
    op.targetTeamId = produced.id;
    const SimOperation &added = m_tenant.addOperation(op);
    return SimReply::empty(202).withHeader("Location", keyLocation(source->id, added.id));
}

SimReply SimServer::startArchive(const QString &teamId, bool archive, const QByteArray &body)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team) {
        return noSuchTeam(teamId);
    }
    if (team->readOnly)
        return notOwner();
    if (archive && !body.trimmed().isEmpty()) {
        const QJsonDocument request = QJsonDocument::fromJson(body);
        const QJsonValue readOnly =
            request.object().value(QLatin1String("shouldSetSpoSiteReadOnlyForMembers"));
        if (!request.isObject() || (!readOnly.isUndefined() && !readOnly.isBool())) {
            return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                        QStringLiteral("Invalid request body: "
                                                       "shouldSetSpoSiteReadOnlyForMembers is a "
                                                       "boolean."));
        }
    }
    // Archiving what is archived (or the reverse) while nothing else runs on it: a conflict.
    if (team->isArchived == archive && !m_tenant.hasRunningChange(team->id)) {
        return SimReply::graphError(409, QStringLiteral("Conflict"),
                                    archive ? QStringLiteral("Team is already archived.")
                                            : QStringLiteral("Team is not archived."));
    }
    SimOperation op;
    op.teamId = team->id;
    op.type = archive ? QStringLiteral("archiveTeam") : QStringLiteral("unarchiveTeam");
    op.createdAt = m_tenant.secondsSinceStart();
    op.startAfter = 2;
    op.duration = 20;
    op.targetTeamId = team->id;
    op.setsArchived = archive;
    const SimOperation &added = m_tenant.addOperation(op);
    // The service sends this older, unquoted shape for archive operations too.
    return SimReply::empty(202).withHeader(
        "Location", QStringLiteral("/teams(%1)/operations(%2)").arg(team->id, added.id).toUtf8());
}

SimReply SimServer::teamifyGroup(const QString &groupBind)
{
    static const QRegularExpression boundGroup(QStringLiteral(R"(/groups\('([^'/]+)'\)$)"));
    const QString groupId = boundGroup.match(groupBind).captured(1);
    const SimTenant::Group *group = m_tenant.group(groupId);
    // Unknown, or not replicated to the teams service yet: the same 404.
    if (!group || m_tenant.secondsSinceStart() < group->knownAt) {
        return SimReply::graphError(404, QStringLiteral("NotFound"),
                                    QStringLiteral("Failed to execute request: the group %1 was "
                                                   "not found.")
                                        .arg(groupId));
    }
    if (m_tenant.team(group->id)) {
        return SimReply::graphError(409, QStringLiteral("Conflict"),
                                    QStringLiteral("Team already exists"));
    }
    for (const SimOperation *running : m_tenant.operationsOf(group->id)) {
        if (running->type == QLatin1String("teamifyGroup")) {
            return SimReply::graphError(409, QStringLiteral("Conflict"),
                                        QStringLiteral("Team migration provisioning already in "
                                                       "progress."));
        }
    }
    SimTeam produced;
    produced.id = group->id;
    produced.displayName = group->displayName;
    produced.visibility = QStringLiteral("private");
    SimOperation op;
    op.teamId = group->id;
    op.type = QStringLiteral("teamifyGroup");
    op.createdAt = m_tenant.secondsSinceStart();
    op.producesTeam = produced;
    op.targetTeamId = group->id;
    const SimOperation &added = m_tenant.addOperation(op);
    return SimReply::empty(202)
        .withHeader("Location", keyLocation(group->id, added.id))
        .withHeader("Content-Location", QStringLiteral("/teams('%1')").arg(group->id).toUtf8());
}

SimReply SimServer::createTeam(const QByteArray &body)
{
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    if (request.contains(QLatin1String("group@odata.bind")))
        return teamifyGroup(request.value(QLatin1String("group@odata.bind")).toString());
    const QString displayName = request.value(QLatin1String("displayName")).toString();
    if (displayName.isEmpty()) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("displayName is required."));
    }
    const SimTeam produced = teamToProduce(request, QStringLiteral("private"));
    // The operation lives under the new team's id before the team itself can be read.
    SimOperation op;
    op.teamId = produced.id;
    op.type = QStringLiteral("createTeam");
    op.createdAt = m_tenant.secondsSinceStart();
    op.producesTeam = produced;
    op.targetTeamId = produced.id;
    const SimOperation &added = m_tenant.addOperation(op);
    return SimReply::empty(202)
        .withHeader("Location", keyLocation(produced.id, added.id))
        .withHeader("Content-Location", QStringLiteral("/teams('%1')").arg(produced.id).toUtf8());
}
