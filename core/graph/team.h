#pragma once

#include "model/graphreply.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class GraphClient;

// What the team card shows of the resource an operation produced or changed.
struct Team
{
    QString id;
    QString displayName;
    QString description;
    QString visibility;
    bool isArchived = false;
    QUrl webUrl;
};

struct TeamResult
{
    std::optional<Team> team;
    QString error; // for people, when team is empty
};

TeamResult parseTeam(const QByteArray &json);

// GETs targetResourceLocation (documented as opaque: resolved against the Graph base, never
// parsed for meaning) under the client's origin rule, and parses the team.
void fetchTeam(GraphClient &client, const QString &targetResourceLocation, QObject *receiver,
               std::function<void(const TeamResult &)> done);

// How many members a team has (GET {team}/members), or why that cannot be known (most often: the
// account may not read members).
struct MemberCount
{
    std::optional<int> count;
    QString unavailable;
};
void fetchMemberCount(GraphClient &client, const QString &teamLocation, QObject *receiver,
                      std::function<void(const MemberCount &)> done);

// A team's channels (GET {team}/channels), for the card's list: archive or unarchive one there.
struct Channel
{
    QString id;
    QString displayName;
    QString membershipType; // standard, private, shared
    bool isArchived = false;
};
struct ChannelList
{
    std::optional<QList<Channel>> channels;
    QString error; // for people, when channels is empty
};
void fetchChannels(GraphClient &client, const QString &teamLocation, QObject *receiver,
                   std::function<void(const ChannelList &)> done);
