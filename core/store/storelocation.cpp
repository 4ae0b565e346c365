#include "store/storelocation.h"

#include "store/operationdatabase.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QUrlQuery>

namespace {

const QStringList kSslModes{QStringLiteral("disable"),   QStringLiteral("allow"),
                            QStringLiteral("prefer"),    QStringLiteral("require"),
                            QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
// The options a shared store takes from its URL: TLS and how long to try connecting.
const QStringList kOptions{QStringLiteral("sslmode"), QStringLiteral("sslrootcert"),
                           QStringLiteral("sslcert"), QStringLiteral("sslkey"),
                           QStringLiteral("sslcrl"),  QStringLiteral("connect_timeout")};

QString parseServer(const QString &text, QUrl &url)
{
    url = QUrl(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("--store %1 is not a PostgreSQL URL: "
                              "postgresql://USER@HOST[:PORT]/DATABASE")
            .arg(url.isValid() ? url.toString() : QStringLiteral("postgresql://…"));
    if (!url.password().isEmpty())
        return QStringLiteral("--store must not hold a password (every user of this machine "
                              "could read it): put it in PGPASSWORD or ~/.pgpass");
    url.setScheme(QStringLiteral("postgresql"));
    if (url.userName().isEmpty())
        return QStringLiteral("--store %1 names no user: postgresql://USER@HOST/DATABASE")
            .arg(url.toString());
    const QString database = url.path().mid(1);
    if (database.isEmpty() || database.contains(QLatin1Char('/')))
        return QStringLiteral("--store %1 names no database: postgresql://USER@HOST/DATABASE")
            .arg(url.toString());
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!kOptions.contains(key))
            return QStringLiteral("--store: unknown option \"%1\" (takes %2)")
                .arg(key, kOptions.join(QStringLiteral(", ")));
        if (key == QLatin1String("sslmode") && !kSslModes.contains(value))
            return QStringLiteral("--store: sslmode takes one of %1")
                .arg(kSslModes.join(QStringLiteral(", ")));
        if (value.contains(QLatin1Char(' ')) || value.contains(QLatin1Char('\'')))
            return QStringLiteral("--store: the value of %1 has a space or a quote").arg(key);
    }
    return QString();
}

} // namespace

bool StoreLocation::looksLikeServer(const QString &text)
{
    return text.startsWith(QLatin1String("postgresql://")) ||
           text.startsWith(QLatin1String("postgres://"));
}

StoreLocation StoreLocation::parse(const QString &text, QString &problem)
{
    StoreLocation location;
    problem.clear();
    if (looksLikeServer(text)) {
        location.m_kind = Kind::Server;
        problem = parseServer(text, location.m_url);
        return location;
    }
    if (text.isEmpty()) {
        problem = QStringLiteral("--store takes the path of a file or a postgresql:// URL");
        return location;
    }
    location.m_path = text;
    // The folder the file is (or will be) in: the nearest one that exists.
    QString folder = QFileInfo(text).absolutePath();
    while (!QFileInfo::exists(folder) && folder != QDir::rootPath())
        folder = QFileInfo(folder).absolutePath();
    const QByteArray type = QStorageInfo(folder).fileSystemType();
    if (isNetworkFilesystem(type)) {
        problem = QStringLiteral(
                      "%1 is on a network filesystem (%2), where SQLite's locks are not reliable "
                      "and two admins at once can damage the store. Keep the store on a local "
                      "disk, or share one among admins in PostgreSQL: --store "
                      "postgresql://USER@HOST/DATABASE (README, \"Working as a team\").")
                      .arg(QDir::toNativeSeparators(text), QString::fromLatin1(type));
    }
    return location;
}

QString StoreLocation::connectOptions() const
{
    QStringList options;
    for (const auto &[key, value] : QUrlQuery(m_url).queryItems(QUrl::FullyDecoded))
        options.append(key + QLatin1Char('=') + value);
    return options.join(QLatin1Char(';'));
}

QString StoreLocation::shown() const
{
    return isServer() ? m_url.toString() : QDir::toNativeSeparators(m_path);
}

bool StoreLocation::isNetworkFilesystem(const QByteArray &filesystemType)
{
    static const QList<QByteArray> network{"nfs",   "nfs4", "cifs", "smb3",      "smbfs",
                                           "9p",    "afs",  "ceph", "glusterfs", "lustre",
                                           "ncpfs", "coda", "gfs2", "ocfs2",     "fuse.sshfs"};
    return network.contains(filesystemType.toLower());
}

QString StoreLocation::standInPath(const QUrl &graph) const
{
    if (!isServer())
        return QString();
    // A file name from the URL's parts: letters, digits, '.', '-', '@' and '_' only.
    QString name = QStringLiteral("%1@%2_%3_%4_for_%5")
                       .arg(user(), host())
                       .arg(port())
                       .arg(database(), graph.host());
    if (graph.port() > 0)
        name += QStringLiteral("_%1").arg(graph.port());
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._@-]"));
    name.replace(unsafe, QStringLiteral("_"));
    return QFileInfo(OperationDatabase::defaultPath()).absolutePath() +
           QStringLiteral("/while-away/") + name + QStringLiteral(".sqlite");
}
