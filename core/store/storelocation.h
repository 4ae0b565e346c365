#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

// Where the store is, as --store (and the dashboard's settings) name it: a SQLite file, the
// default, for one admin; or a PostgreSQL database shared by a team of admins,
//     postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=verify-full&sslrootcert=FILE]
// in libpq's URL form. The password is never part of it: libpq reads PGPASSWORD or ~/.pgpass
// (a password on a command line is seen by every user of the machine, in `ps`).
class StoreLocation
{
public:
    enum class Kind
    {
        File,
        Server
    };

    // Empty `problem` when `text` names a store; else why not, for people.
    static StoreLocation parse(const QString &text, QString &problem);
    static bool looksLikeServer(const QString &text);

    Kind kind() const { return m_kind; }
    bool isServer() const { return m_kind == Kind::Server; }
    QString path() const { return m_path; }
    QUrl url() const { return m_url; }
    QString host() const { return m_url.host(); }
    int port() const { return m_url.port(5432); }
    QString user() const { return m_url.userName(); }
    QString database() const { return m_url.path().mid(1); }
    // libpq's connection options besides host, port, user and database ("sslmode=verify-full").
    QString connectOptions() const;
    // As people see it: the path, or the URL (it never holds a password).
    QString shown() const;
    // A team store's local copy, beside the default store: what is watched while the server
    // cannot be reached is kept there and handed over once it can (StoreSession). One file per
    // user, server, database and Graph, so that two team stores (or clouds) never mix. Empty
    // for a file store.
    QString standInPath(const QUrl &graph) const;

    // SQLite's own guidance: its locks are not reliable on network filesystems, so a store there
    // can be damaged by two admins at once. `filesystemType` as QStorageInfo names it ("nfs4").
    static bool isNetworkFilesystem(const QByteArray &filesystemType);

private:
    Kind m_kind = Kind::File;
    QString m_path;
    QUrl m_url;
};
