#include "start/orgwideteams.h"

#include <QSettings>

namespace {

const QString kKey = QStringLiteral("graph/orgWideTeams");

QStringList known()
{
    return QSettings().value(kKey).toStringList();
}

} // namespace

namespace KnownOrgWideTeams {

bool contains(const QString &teamId)
{
    return !teamId.isEmpty() && known().contains(teamId.toLower());
}

bool learnFrom(const TeamRequest &request, const OperationStarter::Result &result)
{
    const bool orgWideRefusal =
        request.kind == TeamRequest::Kind::Clone && !result.accepted && result.httpStatus == 400 &&
        result.graphMessage.contains(QLatin1String("org-wide"), Qt::CaseInsensitive);
    if (!orgWideRefusal || request.teamId.isEmpty())
        return false;
    QStringList teams = known();
    if (!teams.contains(request.teamId.toLower())) {
        teams.append(request.teamId.toLower());
        QSettings().setValue(kKey, teams);
    }
    return true;
}

} // namespace KnownOrgWideTeams
