#include "start/teamrequests.h"

#include <QJsonDocument>

#include <QRegularExpression>

#include <QCoreApplication>

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(TeamRequest)
};

// Path segments are ids: nothing that could climb out of /teams/{id}.
bool isTeamId(const QString &id)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    return shape.match(id).hasMatch();
}

QString checkTeam(const QString &teamId)
{
    return isTeamId(teamId)
               ? QString()
               : Text::tr("“%1” is not a team id (a GUID, as in /teams('…'))").arg(teamId);
}

QString checkVisibility(const QString &visibility)
{
    if (visibility.isEmpty() || visibility == QLatin1String("public") ||
        visibility == QLatin1String("private"))
        return QString();
    return Text::tr("visibility is public or private (got “%1”)").arg(visibility);
}

// Graph caps a team's display name at 256 characters.
QString checkDisplayName(const QString &name)
{
    if (name.trimmed().isEmpty())
        return Text::tr("a display name is required");
    if (name.size() > 256)
        return Text::tr("a display name has at most 256 characters (this one has %1)")
            .arg(name.size());
    return QString();
}

} // namespace

QString TeamRequest::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Clone:
        return QStringLiteral("clone");
    case Kind::Archive:
        return QStringLiteral("archive");
    case Kind::Unarchive:
        return QStringLiteral("unarchive");
    case Kind::Create:
        return QStringLiteral("create");
    case Kind::CreateOperation:
        return QStringLiteral("operations create");
    case Kind::ArchiveChannel:
        return QStringLiteral("archive-channel");
    case Kind::UnarchiveChannel:
        return QStringLiteral("unarchive-channel");
    case Kind::Teamify:
        return QStringLiteral("teamify");
    }
    return QString();
}

TeamRequest TeamRequest::fromJournal(const StartRecord &start)
{
    TeamRequest request;
    for (const Kind known :
         {Kind::Clone, Kind::Archive, Kind::Unarchive, Kind::Create, Kind::CreateOperation,
          Kind::ArchiveChannel, Kind::UnarchiveChannel, Kind::Teamify}) {
        if (kindName(known) == start.kind) {
            request.kind = known;
            request.path = start.path;
        }
    }
    request.teamId = start.teamId;
    request.body = QJsonDocument::fromJson(start.body).object();
    request.label = start.label;
    return request;
}

StartRecord TeamRequest::toJournal(const QString &clientRequestId) const
{
    StartRecord start;
    start.clientRequestId = clientRequestId;
    start.kind = kindName(kind);
    start.teamId = teamId;
    start.path = path;
    start.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    start.label = label;
    return start;
}

QStringList TeamRequest::clonedParts() const
{
    return body.value(QLatin1String("partsToClone"))
        .toString()
        .split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QStringList cloneParts()
{
    return {QStringLiteral("apps"), QStringLiteral("tabs"), QStringLiteral("settings"),
            QStringLiteral("channels"), QStringLiteral("members")};
}

TeamRequest cloneRequest(const CloneOptions &options, QString &problem)
{
    problem = checkTeam(options.sourceTeamId);
    if (problem.isEmpty())
        problem = checkDisplayName(options.displayName);
    if (problem.isEmpty())
        problem = checkVisibility(options.visibility);
    QStringList parts;
    for (const QString &part : options.parts) {
        const QString name = part.trimmed().toLower();
        if (problem.isEmpty() && !cloneParts().contains(name))
            problem = Text::tr("“%1” is not a part Graph clones (%2)")
                          .arg(part, cloneParts().join(QStringLiteral(", ")));
        if (!parts.contains(name))
            parts.append(name);
    }
    // The service's own rules, said before sending (it answers 400 InvalidRequest otherwise).
    if (problem.isEmpty() && parts.contains(QLatin1String("tabs")) &&
        !parts.contains(QLatin1String("apps")))
        problem = Text::tr("tabs cannot be cloned without cloning apps as well");
    if (problem.isEmpty() && parts.contains(QLatin1String("tabs")) &&
        !parts.contains(QLatin1String("channels")))
        problem = Text::tr("tabs cannot be cloned without cloning channels as well");
    if (!problem.isEmpty())
        return TeamRequest();

    TeamRequest request;
    request.kind = TeamRequest::Kind::Clone;
    request.path = QStringLiteral("/teams/%1/clone").arg(options.sourceTeamId);
    request.teamId = options.sourceTeamId;
    request.body.insert(QStringLiteral("displayName"), options.displayName.trimmed());
    // mailNickname is required by the schema and ignored by the service.
    request.body.insert(QStringLiteral("mailNickname"), QStringLiteral("teamsops"));
    if (!options.description.isEmpty())
        request.body.insert(QStringLiteral("description"), options.description);
    if (!options.classification.isEmpty())
        request.body.insert(QStringLiteral("classification"), options.classification);
    if (!options.visibility.isEmpty())
        request.body.insert(QStringLiteral("visibility"), options.visibility);
    if (!parts.isEmpty())
        request.body.insert(QStringLiteral("partsToClone"), parts.join(QLatin1Char(',')));
    request.label =
        Text::tr("Clone of %1 as “%2”").arg(options.sourceTeamId, options.displayName.trimmed());
    return request;
}

TeamRequest archiveRequest(const QString &teamId, bool spoSiteReadOnlyForMembers, QString &problem)
{
    problem = checkTeam(teamId);
    if (!problem.isEmpty())
        return TeamRequest();
    TeamRequest request;
    request.kind = TeamRequest::Kind::Archive;
    request.path = QStringLiteral("/teams/%1/archive").arg(teamId);
    request.teamId = teamId;
    if (spoSiteReadOnlyForMembers)
        request.body.insert(QStringLiteral("shouldSetSpoSiteReadOnlyForMembers"), true);
    request.label = Text::tr("Archive of %1").arg(teamId);
    return request;
}

TeamRequest unarchiveRequest(const QString &teamId, QString &problem)
{
    problem = checkTeam(teamId);
    if (!problem.isEmpty())
        return TeamRequest();
    TeamRequest request;
    request.kind = TeamRequest::Kind::Unarchive;
    request.path = QStringLiteral("/teams/%1/unarchive").arg(teamId);
    request.teamId = teamId;
    request.label = Text::tr("Unarchive of %1").arg(teamId);
    return request;
}

TeamRequest teamifyRequest(const QString &groupId, QString &problem)
{
    problem = checkTeam(groupId); // a group's id is its team's id
    if (!problem.isEmpty()) {
        problem = Text::tr("“%1” is not a group id (a GUID)").arg(groupId);
        return TeamRequest();
    }
    TeamRequest request;
    request.kind = TeamRequest::Kind::Teamify;
    request.path = QStringLiteral("/teams");
    request.teamId = groupId; // the operation and the team will be under this id
    request.body.insert(
        QStringLiteral("template@odata.bind"),
        QStringLiteral("https://graph.microsoft.com/v1.0/teamsTemplates('standard')"));
    request.body.insert(
        QStringLiteral("group@odata.bind"),
        QStringLiteral("https://graph.microsoft.com/v1.0/groups('%1')").arg(groupId));
    request.label = Text::tr("Team from group %1").arg(groupId);
    return request;
}

TeamRequest channelArchiveRequest(const QString &teamId, const QString &channelId, bool archive,
                                  QString &problem)
{
    problem = checkTeam(teamId);
    if (!problem.isEmpty())
        return TeamRequest();
    // A channel id ("19:…@thread.tacv2") goes in the path as it is: nothing that would change
    // the path once there.
    static const QRegularExpression channelIdShape(QStringLiteral(R"(^[A-Za-z0-9:@._\-]+$)"));
    if (!channelIdShape.match(channelId).hasMatch()) {
        problem = Text::tr("“%1” is not a channel id (as in 19:…@thread.tacv2)").arg(channelId);
        return TeamRequest();
    }
    TeamRequest request;
    request.kind =
        archive ? TeamRequest::Kind::ArchiveChannel : TeamRequest::Kind::UnarchiveChannel;
    request.path = QStringLiteral("/teams/%1/channels/%2/%3")
                       .arg(teamId, channelId,
                            archive ? QStringLiteral("archive") : QStringLiteral("unarchive"));
    request.teamId = teamId;
    request.label = archive ? Text::tr("Archive of channel %1").arg(channelId)
                            : Text::tr("Unarchive of channel %1").arg(channelId);
    return request;
}

TeamRequest createTeamRequest(const CreateOptions &options, QString &problem)
{
    problem = checkDisplayName(options.displayName);
    if (problem.isEmpty())
        problem = checkVisibility(options.visibility);
    if (!problem.isEmpty())
        return TeamRequest();
    TeamRequest request;
    request.kind = TeamRequest::Kind::Create;
    request.path = QStringLiteral("/teams");
    request.body.insert(
        QStringLiteral("template@odata.bind"),
        QStringLiteral("https://graph.microsoft.com/v1.0/teamsTemplates('standard')"));
    request.body.insert(QStringLiteral("displayName"), options.displayName.trimmed());
    if (!options.description.isEmpty())
        request.body.insert(QStringLiteral("description"), options.description);
    if (!options.visibility.isEmpty())
        request.body.insert(QStringLiteral("visibility"), options.visibility);
    request.label = Text::tr("New team “%1”").arg(options.displayName.trimmed());
    return request;
}

TeamRequest createOperationRequest(const QString &teamId, const QJsonObject &body,
                                   bool viaJoinedTeams, QString &problem)
{
    problem = checkTeam(teamId);
    if (problem.isEmpty() && body.isEmpty())
        problem = Text::tr("the body is not a JSON object");
    if (!problem.isEmpty())
        return TeamRequest();
    TeamRequest request;
    request.kind = TeamRequest::Kind::CreateOperation;
    request.path = viaJoinedTeams ? QStringLiteral("/me/joinedTeams/%1/team/operations").arg(teamId)
                                  : QStringLiteral("/teams/%1/operations").arg(teamId);
    request.teamId = teamId;
    request.body = body;
    request.label = Text::tr("teamsAsyncOperation under %1").arg(teamId);
    return request;
}
