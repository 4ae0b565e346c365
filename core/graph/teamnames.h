#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>

#include <chrono>

class GraphClient;

// Display names of teams, so that people read "Project 7" rather than a location or a GUID: the
// teams operations produced, read once each from their targetResourceLocation (opaque: resolved
// against the Graph base, never parsed), and the teams operations act on, read by id when asked
// (wantTeam). What is known is kept across a restart (saved()/restore()). A new team's GET answers
// 404 for a while after its operation succeeded (GRAPH.md): a read that fails is tried again,
// kRetryEvery apart, up to kTries in all; a team that still cannot be read keeps its location.
class TeamNames final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TeamNames)
public:
    static constexpr std::chrono::seconds kRetryEvery{10};
    static constexpr int kTries = 4;

    explicit TeamNames(GraphClient &client, QObject *parent = nullptr);
    void setRetryInterval(std::chrono::milliseconds every) { m_retryEvery = every; }

    // Empty until known.
    QString nameOf(const QString &targetResourceLocation) const
    {
        return m_names.value(targetResourceLocation);
    }
    // Reads the name unless known, asked for, or refused before.
    void want(const QString &targetResourceLocation);

    // A team's name by its id (any case); empty until known.
    QString nameOfTeam(const QString &teamId) const { return m_byTeamId.value(teamId.toLower()); }
    // Reads a team's name by its id unless known or asked for.
    void wantTeam(const QString &teamId);
    // How many names were asked for (read or being read).
    qsizetype askedCount() const { return m_asked.size(); }

    // Every name known, and the same given back after a restart (signals nothing).
    QJsonObject saved() const;
    void restore(const QJsonObject &saved);

signals:
    void known(const QString &targetResourceLocation, const QString &displayName);
    void teamNamed(const QString &teamId, const QString &displayName);

private:
    void read(const QString &location, int triesLeft);
    // A team's name as a read found it, by its id; teamNamed() only when it is new or changed.
    void remember(const QString &teamId, const QString &displayName);

    GraphClient &m_client;
    std::chrono::milliseconds m_retryEvery = kRetryEvery;
    QHash<QString, QString> m_names;    // by targetResourceLocation
    QHash<QString, QString> m_byTeamId; // by lower-cased team id
    QSet<QString> m_asked;              // locations read or being read
};
