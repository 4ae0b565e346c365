// Opening a store kept in a PostgreSQL database (a postgresql:// URL): the connection, its
// schema version and migration, and what to do with a database that is not a store. The rows,
// their merge rules and versions are the SQLite store's (operationdatabaserows.cpp,
// operationdatabasewrites.cpp); what differs is in sqldialect.h.
#include "store/operationdatabase.h"
#include "store/storelocation.h"

#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

namespace {

// The tables (and their indexes) a store holds; anything else in the schema is another program's.
const QStringList kOurTables{QStringLiteral("operations"), QStringLiteral("history"),
                             QStringLiteral("state"),      QStringLiteral("starts"),
                             QStringLiteral("forgotten"),  QStringLiteral("decisions")};
// A store opened for writing waits this long for the server before saying it is unreachable.
// Short: a long-running process tries again later, on the thread that draws the window.
constexpr int kConnectTimeoutSeconds = 5;

// libpq's first line, which says what failed, and what to do about a missing password.
QString whyNotConnected(const QSqlError &error)
{
    QString why = error.databaseText().trimmed().section(QLatin1Char('\n'), 0, 0);
    if (why.isEmpty())
        why = error.text().trimmed();
    if (why.contains(QLatin1String("no password supplied")))
        why += QStringLiteral(" (give it in PGPASSWORD or ~/.pgpass)");
    return why;
}

// The server answered and said no (a password, a role, a database, TLS): trying again will not
// help. Anything else (refused, timed out, no route, starting up) may pass.
bool isRefusal(const QString &why)
{
    static const QStringList refusals{QStringLiteral("password"),
                                      QStringLiteral("authentication"),
                                      QStringLiteral("does not exist"),
                                      QStringLiteral("permission denied"),
                                      QStringLiteral("SSL"),
                                      QStringLiteral("certificate"),
                                      QStringLiteral("no pg_hba.conf"),
                                      QStringLiteral("not supported"),
                                      QStringLiteral("too many connections")};
    for (const QString &refusal : refusals) {
        if (why.contains(refusal, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QHash<QString, QString> &passwords()
{
    static QHash<QString, QString> byUrl;
    return byUrl;
}

} // namespace

void OperationDatabase::rememberPassword(const QString &url, const QString &password)
{
    if (password.isEmpty())
        passwords().remove(url);
    else
        passwords().insert(url, password);
}

OperationDatabase::OpenResult OperationDatabase::openServer(const QString &url, Access access,
                                                            std::chrono::milliseconds busyTimeout)
{
    m_db.close();
    m_path = url;
    m_backend = SqlBackend::PostgreSQL;
    QString problem;
    const StoreLocation location = StoreLocation::parse(url, problem);
    if (!problem.isEmpty())
        return {false, problem, {}, Problem::Unavailable};
    m_db = QSqlDatabase::contains(m_connection)
               ? QSqlDatabase::database(m_connection, false)
               : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connection);
    if (!m_db.isValid()) {
        return {false,
                QStringLiteral("the Qt PostgreSQL driver is not installed (Debian: "
                               "libqt6sql6-psql)"),
                {},
                Problem::Unavailable};
    }
    m_db.setHostName(location.host());
    m_db.setPort(location.port());
    m_db.setUserName(location.user());
    m_db.setDatabaseName(location.database());
    // The keychain's password when the dashboard found one; else libpq reads PGPASSWORD or
    // ~/.pgpass itself.
    m_db.setPassword(passwords().value(url));
    QStringList options{QStringLiteral("application_name=teamsops")};
    if (!location.connectOptions().contains(QLatin1String("connect_timeout")))
        options.append(QStringLiteral("connect_timeout=%1").arg(kConnectTimeoutSeconds));
    if (!location.connectOptions().isEmpty())
        options.append(location.connectOptions());
    m_db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!m_db.open()) {
        const QString why = whyNotConnected(m_db.lastError());
        return {false, why, {}, isRefusal(why) ? Problem::Unavailable : Problem::Unreachable};
    }
    const auto failed = [this](OpenResult result) {
        m_db.close();
        return result;
    };
    m_lockTimeout = busyTimeout;
    m_readOnly = access == Access::ReadOnly;
    if (!startServerSession())
        return failed({false, m_lastError, {}, m_lastProblem});
    OpenResult checked = checkServerSchema(access);
    if (!checked.ok)
        return failed(checked);
    if (access == Access::ReadWrite &&
        (!migrateServer() ||
         !exec(QStringLiteral("DELETE FROM forgotten WHERE forgotten_at < %1")
                   .arg(QDateTime::currentDateTimeUtc()
                            .addSecs(-std::chrono::seconds(kTombstoneLife).count())
                            .toMSecsSinceEpoch()))))
        return failed({false, m_lastError, {}, m_lastProblem});
    return {true, {}, {}, Problem::None};
}

OperationDatabase::OpenResult OperationDatabase::checkServerSchema(Access access)
{
    const QString shown = StoreLocation::parse(m_path, m_lastError).shown();
    QSqlQuery tables(m_db);
    if (!tables.exec(QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = "
                                    "current_schema()"))) {
        return {false, tables.lastError().text(), {}, problemOf(tables.lastError(), m_backend)};
    }
    QStringList found;
    while (tables.next())
        found.append(tables.value(0).toString());
    tables.finish();
    for (const QString &table : std::as_const(found)) {
        if (!kOurTables.contains(table)) {
            return {false,
                    QStringLiteral("%1 holds tables that are not TeamsOps's (%2): it was left "
                                   "untouched; nothing is saved (give TeamsOps a database of its "
                                   "own)")
                        .arg(shown, table),
                    {},
                    Problem::NotOurs};
        }
    }
    int version = 0;
    if (found.contains(QLatin1String("state"))) {
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("SELECT value FROM state WHERE name = 'schema'")))
            return {false, query.lastError().text(), {}, problemOf(query.lastError(), m_backend)};
        version = query.next() ? query.value(0).toInt() : 0;
    }
    if (version > kSchemaVersion) {
        return {false,
                QStringLiteral("%1 was written by a newer TeamsOps (store version %2; this one "
                               "reads up to %3). It was left untouched; nothing is saved.")
                    .arg(shown)
                    .arg(version)
                    .arg(kSchemaVersion),
                {},
                Problem::Newer};
    }
    if (access == Access::ReadOnly && version < kSchemaVersion) {
        return {false,
                version == 0 ? QStringLiteral("%1 holds no store yet").arg(shown)
                             : QStringLiteral("the store is from an older TeamsOps: open it once "
                                              "with the app or `teamsops-cli watch` to bring it up "
                                              "to date"),
                {},
                version == 0 ? Problem::NoStore : Problem::Older};
    }
    return {true, {}, {}, Problem::None};
}

bool OperationDatabase::migrateServer()
{
    // Under the write lock, the version is read again: of several admins opening a new database
    // at once, one creates the tables and the others find them.
    if (!beginWrite())
        return false;
    QSqlQuery query(m_db);
    int version = 0;
    if (!query.exec(QStringLiteral("SELECT to_regclass('state') IS NOT NULL")) || !query.next()) {
        fail(QStringLiteral("migration"), query.lastError());
        rollBack();
        return false;
    }
    if (query.value(0).toBool()) {
        query.finish();
        if (!query.exec(QStringLiteral("SELECT value FROM state WHERE name = 'schema'"))) {
            fail(QStringLiteral("migration"), query.lastError());
            rollBack();
            return false;
        }
        version = query.next() ? query.value(0).toInt() : 0;
    }
    query.finish();
    // A new database gets this version's tables at once; one made by an older TeamsOps (version
    // 4 or later: the first server stores) takes the steps since.
    if (version == 0) {
        for (const QString &statement : sqldialect::postgresSchema()) {
            if (!exec(statement)) {
                rollBack();
                return false;
            }
        }
    } else {
        for (int next = version; next < kSchemaVersion; ++next) {
            for (const QString &statement :
                 sqldialect::postgresMigrations().at(next - sqldialect::kFirstServerVersion)) {
                if (!exec(statement)) {
                    rollBack();
                    return false;
                }
            }
        }
    }
    if (version < kSchemaVersion &&
        !exec(QStringLiteral("INSERT INTO state (name, value) VALUES ('schema', '%1') ON "
                             "CONFLICT (name) DO UPDATE SET value = excluded.value")
                  .arg(kSchemaVersion))) {
        rollBack();
        return false;
    }
    if (!exec(QStringLiteral("COMMIT"))) {
        rollBack();
        return false;
    }
    return true;
}

bool OperationDatabase::startServerSession()
{
    // Every time is the store's (milliseconds since the epoch, UTC), whatever the session's zone;
    // a reader (list, history) cannot write, as a SQLite file opened read-only cannot.
    return exec(QStringLiteral("SET TIME ZONE 'UTC'")) &&
           exec(sqldialect::lockTimeout(m_backend, m_lockTimeout.count())) &&
           (!m_readOnly || exec(QStringLiteral("SET default_transaction_read_only = on")));
}

bool OperationDatabase::ensureConnected()
{
    if (m_backend != SqlBackend::PostgreSQL || !m_mayBeLost)
        return true;
    QSqlQuery probe(m_db);
    if (m_db.isOpen() && probe.exec(QStringLiteral("SELECT 1"))) {
        m_mayBeLost = false;
        return true;
    }
    // The server restarted, or the network between went away and came back: a new session,
    // set up as the first, listening where the first listened. Nothing was lost meanwhile: a
    // failed commit rolled back, and its changes are still pending in memory.
    const QStringList channels = m_db.driver()->subscribedToNotifications();
    m_db.close();
    if (!m_db.open()) {
        m_lastError = whyNotConnected(m_db.lastError());
        m_lastProblem = Problem::Unavailable;
        return false;
    }
    if (!startServerSession())
        return false;
    for (const QString &channel : channels)
        m_db.driver()->subscribeToNotification(channel);
    m_mayBeLost = false;
    return true;
}

QSqlDriver *OperationDatabase::changeAnnouncements()
{
    if (m_backend != SqlBackend::PostgreSQL || !m_db.isOpen())
        return nullptr;
    QSqlDriver *driver = m_db.driver();
    const QString channel = QString::fromLatin1(kChangesChannel);
    if (!driver->subscribedToNotifications().contains(channel) &&
        !driver->subscribeToNotification(channel))
        return nullptr;
    return driver;
}

std::optional<qint64> OperationDatabase::serverNow()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT (extract(epoch FROM clock_timestamp()) * 1000)"
                                   "::bigint")) ||
        !query.next()) {
        fail(QStringLiteral("reading the server's clock"), query.lastError());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}
