#pragma once

#include "start/operationstarter.h"
#include "start/teamrequests.h"

// Graph v1.0 has no property that says a team is org-wide; it only refuses to clone one (400,
// "Org-wide teams cannot be cloned."). The dashboard remembers each team Graph said that of, in
// its settings (QSettings), so that a clone of it is refused before anything is sent next time.
namespace KnownOrgWideTeams {

bool contains(const QString &teamId);
// Remembers the request's team when the refusal was Graph's org-wide one; returns whether it was.
bool learnFrom(const TeamRequest &request, const OperationStarter::Result &result);

} // namespace KnownOrgWideTeams
