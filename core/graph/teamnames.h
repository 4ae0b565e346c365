#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <chrono>

class GraphClient;

// Display names of the teams operations produced, read once each from their
// targetResourceLocation (opaque: resolved against the Graph base, never parsed), so the table
// can say "Project 7" rather than a location. A new team's GET answers 404 for a while after its
// operation succeeded (GRAPH.md): a read that fails is tried again, kRetryEvery apart, up to
// kTries in all; a team that still cannot be read keeps its location.
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

signals:
    void known(const QString &targetResourceLocation, const QString &displayName);

private:
    void read(const QString &location, int triesLeft);

    GraphClient &m_client;
    std::chrono::milliseconds m_retryEvery = kRetryEvery;
    QHash<QString, QString> m_names; // by targetResourceLocation
    QSet<QString> m_asked;
};
