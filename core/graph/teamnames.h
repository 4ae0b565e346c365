#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

class GraphClient;

// Display names of the teams operations produced, read once each from their
// targetResourceLocation (opaque: resolved against the Graph base, never parsed), so the table
// can say "Project 7" rather than a location. A team that cannot be read keeps its location.
class TeamNames final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TeamNames)
public:
    explicit TeamNames(GraphClient &client, QObject *parent = nullptr);

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
    GraphClient &m_client;
    QHash<QString, QString> m_names; // by targetResourceLocation
    QSet<QString> m_asked;
};
