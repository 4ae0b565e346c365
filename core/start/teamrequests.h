#pragma once

#include "store/startjournal.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

// The requests that start a Teams async operation, built and checked before anything is sent,
// with Graph's own rules (the clone page, GRAPH.md): each is a POST answered 202 Accepted with a
// Location — except "Create teamsAsyncOperation", answered 201 Created with the object.
struct TeamRequest
{
    enum class Kind
    {
        Clone,
        Archive,
        Unarchive,
        Create,
        CreateOperation,  // POST /teams/{id}/operations, the seed's own API
        ArchiveChannel,   // POST /teams/{id}/channels/{id}/archive
        UnarchiveChannel, // POST /teams/{id}/channels/{id}/unarchive
        Teamify,          // POST /teams with group@odata.bind: a team from an existing group
    };
    Kind kind = Kind::Clone;
    QString path;   // under the Graph base, e.g. /teams/{id}/clone
    QString teamId; // the team it acts on (the source of a clone); empty for a create
    QJsonObject body;
    QString label; // for people: "Clone of Template as “Project 7”"

    int expectedStatus() const { return kind == Kind::CreateOperation ? 201 : 202; }
    // A clone's partsToClone as a list ("apps", "channels", …); empty for anything else.
    QStringList clonedParts() const;
    static QString kindName(Kind kind); // "clone", "archive", ...
    // The request a journaled start was (its kind by name, path, team, body, label); empty
    // path when the kind is not known.
    static TeamRequest fromJournal(const StartRecord &start);
    // This request as the journal keeps it, under its client-request-id (the rest of the record:
    // state, time, plan, answer, is the caller's).
    StartRecord toJournal(const QString &clientRequestId) const;
};

// The parts of a team a clone may copy, as Graph names them.
QStringList cloneParts(); // apps, tabs, settings, channels, members

struct CloneOptions
{
    QString sourceTeamId;
    QString displayName; // required
    QString description;
    QString classification;
    QString visibility; // "", "public" or "private" (empty: the source's)
    QStringList parts;  // of cloneParts()
};

// Each returns the request, or an empty path with `problem` set, in plain words.
TeamRequest cloneRequest(const CloneOptions &options, QString &problem);
TeamRequest archiveRequest(const QString &teamId, bool spoSiteReadOnlyForMembers, QString &problem);
TeamRequest unarchiveRequest(const QString &teamId, QString &problem);
// A team from an existing Microsoft 365 group (teamifyGroup): POST /teams with the group bound,
// answered 202 with a Location, as Graph's "Create team" documents it. (The older PUT
// /groups/{id}/team answers 201 with the team at once: nothing to watch, and no operation.)
TeamRequest teamifyRequest(const QString &groupId, QString &problem);
// A channel's archive or unarchive (202 and a Location, as a team's); the team must be active.
TeamRequest channelArchiveRequest(const QString &teamId, const QString &channelId, bool archive,
                                  QString &problem);

struct CreateOptions
{
    QString displayName; // required
    QString description;
    QString visibility; // "" (private), "public" or "private"
};
// From the standard template, as Graph's "Create team" page shows it.
TeamRequest createTeamRequest(const CreateOptions &options, QString &problem);

// "Create teamsAsyncOperation": the JSON body as the reference page gives it, under the team
// (or, with viaJoinedTeams, under /me/joinedTeams/{id}/team/operations).
TeamRequest createOperationRequest(const QString &teamId, const QJsonObject &body,
                                   bool viaJoinedTeams, QString &problem);
