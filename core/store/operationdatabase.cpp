// Opening the store: the file, its pragmas, its schema version, and what to do with a file that
// is not a store. Reading and writing rows is in operationdatabaserows.cpp.
#include "store/operationdatabase.h"

#include "store/storelocation.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

namespace {

// Every statement of each schema version, in order: migrations[v] takes a store from version v
// to v + 1. A new version appends a step; a shipped step never changes (tests open the first
// schema's fixture and expect it to come up to date).
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps{
        // 0 → 1: the first schema.
        {
            QStringLiteral("CREATE TABLE operations ("
                           " id INTEGER PRIMARY KEY,"
                           " key TEXT NOT NULL UNIQUE,"
                           " team_id TEXT NOT NULL,"
                           " operation_id TEXT NOT NULL,"
                           " url TEXT NOT NULL,"
                           " location TEXT NOT NULL,"
                           " added_at INTEGER,"
                           " watch TEXT NOT NULL,"
                           " has_snapshot INTEGER NOT NULL DEFAULT 0,"
                           " snapshot_id TEXT,"
                           " type TEXT,"
                           " status TEXT,"
                           " created_at INTEGER,"
                           " last_action_at INTEGER,"
                           " attempts INTEGER,"
                           " target_id TEXT,"
                           " target_location TEXT,"
                           " error_code TEXT,"
                           " error_message TEXT,"
                           " last_reply BLOB,"
                           " next_poll_at INTEGER,"
                           " last_sent_at INTEGER,"
                           " last_polled_at INTEGER,"
                           " last_changed_at INTEGER,"
                           " polls INTEGER NOT NULL DEFAULT 0,"
                           " consecutive_failures INTEGER NOT NULL DEFAULT 0,"
                           " consecutive_not_found INTEGER NOT NULL DEFAULT 0,"
                           " first_not_found_at INTEGER,"
                           " last_failure TEXT,"
                           " last_failure_message TEXT)"),
            QStringLiteral("CREATE TABLE history ("
                           " id INTEGER PRIMARY KEY,"
                           " operation_id INTEGER NOT NULL"
                           "  REFERENCES operations(id) ON DELETE CASCADE,"
                           " seen_at INTEGER NOT NULL,"
                           " status TEXT NOT NULL,"
                           " attempts INTEGER NOT NULL,"
                           " error_code TEXT,"
                           " error_message TEXT,"
                           " target_location TEXT)"),
            QStringLiteral("CREATE INDEX history_by_operation ON history(operation_id, id)"),
            QStringLiteral("CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        },
        // 1 → 2: the journal of start requests (StartJournal), each saved before it is sent.
        {
            QStringLiteral("CREATE TABLE starts ("
                           " id INTEGER PRIMARY KEY,"
                           " client_request_id TEXT NOT NULL UNIQUE,"
                           " kind TEXT NOT NULL,"
                           " team_id TEXT,"
                           " path TEXT NOT NULL,"
                           " body BLOB,"
                           " label TEXT,"
                           " sent_at INTEGER NOT NULL,"
                           " state TEXT NOT NULL,"
                           " location TEXT,"
                           " http_status INTEGER NOT NULL DEFAULT 0,"
                           " request_id TEXT,"
                           " message TEXT,"
                           " answered_at INTEGER,"
                           " plan_id TEXT,"
                           " plan_position INTEGER NOT NULL DEFAULT 0)"),
            QStringLiteral("CREATE INDEX starts_by_location ON starts(location)"),
            QStringLiteral("CREATE INDEX starts_by_plan ON starts(plan_id, plan_position)"),
        },
        // 2 → 3: several processes merge their writes: every row carries the version of the
        // commit that last wrote it, and a forgotten key leaves a tombstone.
        {
            QStringLiteral("ALTER TABLE operations ADD COLUMN version INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral("CREATE INDEX operations_by_version ON operations(version)"),
            QStringLiteral("CREATE TABLE forgotten ("
                           " key TEXT PRIMARY KEY,"
                           " version INTEGER NOT NULL,"
                           " forgotten_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX forgotten_by_version ON forgotten(version)"),
            // Keyed by Graph origin too (the origin of the URL each row was polled at): the
            // same Location on two Graphs is two operations.
            QStringLiteral(
                "UPDATE operations SET key = substr(url, 1, instr(url, '://') + "
                "instr(substr(url, instr(url, '://') + 3) || '/', '/') + 1) || '|' || key"),
        },
        // 3 → 4: how Graph named the answers (request-id, client-request-id, Date), for the
        // support bundle: the last one of each operation, and the one behind each change.
        {
            QStringLiteral("ALTER TABLE operations ADD COLUMN last_request_id TEXT"),
            QStringLiteral("ALTER TABLE operations ADD COLUMN last_client_request_id TEXT"),
            QStringLiteral("ALTER TABLE operations ADD COLUMN last_graph_date INTEGER"),
            QStringLiteral("ALTER TABLE history ADD COLUMN request_id TEXT"),
            QStringLiteral("ALTER TABLE history ADD COLUMN client_request_id TEXT"),
            QStringLiteral("ALTER TABLE history ADD COLUMN graph_date INTEGER"),
        },
        // 4 → 5: who did what, for a team sharing a store: who first watched each operation and
        // on which machine, and who stopped, resumed or forgot it (kept past a forget).
        {
            QStringLiteral("ALTER TABLE operations ADD COLUMN started_by TEXT"),
            QStringLiteral("ALTER TABLE operations ADD COLUMN started_on TEXT"),
            QStringLiteral("CREATE TABLE decisions ("
                           " id INTEGER PRIMARY KEY,"
                           " key TEXT NOT NULL,"
                           " action TEXT NOT NULL,"
                           " decided_by TEXT,"
                           " decided_on TEXT,"
                           " decided_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX decisions_by_key ON decisions(key, id)"),
        },
    };
    static_assert(OperationDatabase::kSchemaVersion == 5, "add the migration step");
    return steps;
}

QString uniqueConnectionName()
{
    static QAtomicInteger<int> counter;
    return QStringLiteral("teamsops-store-%1").arg(counter.fetchAndAddRelaxed(1));
}

// SQLite keeps a store in up to three files; all of them move together.
const QStringList kCompanions{QString(), QStringLiteral("-wal"), QStringLiteral("-shm")};

} // namespace

OperationDatabase::OperationDatabase()
    : m_connection(uniqueConnectionName())
{}

OperationDatabase::~OperationDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

QString OperationDatabase::defaultPath()
{
    // One file for both apps: their application names differ, so not AppDataLocation (which
    // would give ~/.local/share/teamsops and ~/.local/share/teamsops-cli) but the folder it
    // gives an application called TeamsOps.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/TeamsOps/operations.sqlite");
}

bool OperationDatabase::removeFile(const QString &path)
{
    bool removed = true;
    for (const QString &suffix : kCompanions) {
        if (QFile::exists(path + suffix) && !QFile::remove(path + suffix))
            removed = false;
    }
    return removed;
}

void OperationDatabase::setGraph(const QUrl &graphBase)
{
    m_graphOrigin = originOf(graphBase);
}

OperationDatabase::Problem OperationDatabase::problemOf(const QSqlError &error, SqlBackend backend)
{
    if (backend == SqlBackend::PostgreSQL) {
        // PostgreSQL's SQLSTATE: lock_not_available, serialization_failure, deadlock_detected,
        // query_canceled (lock_timeout) are worth trying again; data_corrupted and index_corrupted
        // are damage; everything else (no connection, no such database, refused) is
        // unavailable, and nothing is ever moved aside on a server.
        const QString state = error.nativeErrorCode();
        if (state == QLatin1String("55P03") || state == QLatin1String("40001") ||
            state == QLatin1String("40P01") || state == QLatin1String("57014"))
            return Problem::Busy;
        if (state == QLatin1String("XX001") || state == QLatin1String("XX002"))
            return Problem::Damaged;
        return Problem::Unavailable;
    }
    // SQLite's primary result code is the low byte of an extended one.
    switch (error.nativeErrorCode().toInt() & 0xff) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return Problem::Busy;
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return Problem::Damaged;
    default: // I/O, permission, cannot open, read-only, full...
        return Problem::Unavailable;
    }
}

OperationDatabase::OpenResult OperationDatabase::open(const QString &path, Access access,
                                                      std::chrono::milliseconds busyTimeout)
{
    if (StoreLocation::looksLikeServer(path))
        return openServer(path, access, busyTimeout);
    OpenResult result = openFile(path, access, busyTimeout);
    if (result.problem != Problem::Damaged || access == Access::ReadOnly)
        return result;
    // Keep it for whoever wants to look into it, and start afresh beside it.
    const QString movedTo = moveAside();
    if (movedTo.isEmpty())
        return result;
    OpenResult fresh = openFile(path, access, busyTimeout);
    fresh.movedTo = movedTo;
    if (fresh.ok) {
        fresh.error = QStringLiteral("The saved operations could not be read (%1). The file was "
                                     "moved to %2; starting with an empty list.")
                          .arg(result.error, QDir::toNativeSeparators(movedTo));
    }
    return fresh;
}

OperationDatabase::OpenResult OperationDatabase::openFile(const QString &path, Access access,
                                                          std::chrono::milliseconds busyTimeout)
{
    m_db.close();
    m_path = path;
    m_backend = SqlBackend::SQLite;
    const QString shown = QDir::toNativeSeparators(path);
    const bool exists = QFileInfo::exists(path);
    if (access == Access::ReadOnly && !exists)
        return {false, QStringLiteral("no store at %1").arg(shown), {}, Problem::NoStore};
    if (!exists && !QDir().mkpath(QFileInfo(path).absolutePath())) {
        return {false,
                QStringLiteral("cannot create the folder of %1").arg(shown),
                {},
                Problem::Unavailable};
    }
    m_db = QSqlDatabase::contains(m_connection)
               ? QSqlDatabase::database(m_connection, false)
               : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db.isValid()) {
        return {false,
                QStringLiteral("the Qt SQLite driver is not installed"),
                {},
                Problem::Unavailable};
    }
    // SQLite removes the -wal when the last connection closes cleanly.
    const bool leftOpen = QFileInfo(path + QStringLiteral("-wal")).size() > 0;
    m_db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeout.count());
    if (access == Access::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(options);
    if (!m_db.open()) {
        return {false,
                QStringLiteral("%1: %2").arg(shown, m_db.lastError().text()),
                {},
                problemOf(m_db.lastError())};
    }
    const auto failed = [this](OpenResult result) {
        m_db.close();
        return result;
    };
    // Reading only (list, history): no full check of every page; a damaged page says so when
    // it is read. Writing: every page is checked first after an unclean close (or once per
    // schema version), so that damage shows at start rather than mid-session; a store closed
    // cleanly opens without reading it all.
    const bool fullCheck = access == Access::ReadWrite && checkNeeded(leftOpen);
    if (access == Access::ReadWrite) {
        if (OpenResult unreadable = checkReadable(fullCheck); unreadable.problem != Problem::None)
            return failed(unreadable);
    }
    QSqlQuery version(m_db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        const QSqlError error = version.lastError();
        return failed({false, error.text(), {}, problemOf(error)});
    }
    const int found = version.value(0).toInt();
    version.finish();
    if (found > kSchemaVersion) {
        return failed({false,
                       QStringLiteral("%1 was written by a newer TeamsOps (store version %2; "
                                      "this one reads up to %3). It was left untouched; nothing "
                                      "is saved.")
                           .arg(shown)
                           .arg(found)
                           .arg(kSchemaVersion),
                       {},
                       Problem::Newer});
    }
    if (access == Access::ReadOnly) {
        if (found < kSchemaVersion) {
            return failed({false,
                           QStringLiteral("the store is from an older TeamsOps: open it once "
                                          "with the app or `teamsops-cli watch` to bring it up "
                                          "to date"),
                           {},
                           Problem::Older});
        }
        return {true, {}, {}, Problem::None};
    }
    // WAL: readers and one writer at once, across processes. NORMAL sync is durable against a
    // crash of the app (not of the machine's power), at a fraction of FULL's fsyncs.
    if (!exec(QStringLiteral("PRAGMA journal_mode=WAL")) ||
        !exec(QStringLiteral("PRAGMA synchronous=NORMAL")) ||
        !exec(QStringLiteral("PRAGMA foreign_keys=ON")) ||
        // Reads straight from the mapped file rather than copied through the page cache.
        !exec(QStringLiteral("PRAGMA mmap_size=268435456")) || !migrate() ||
        // Tombstones are kept while another process could still be writing what they forgot.
        !exec(QStringLiteral("DELETE FROM forgotten WHERE forgotten_at < %1")
                  .arg(QDateTime::currentDateTimeUtc()
                           .addSecs(-std::chrono::seconds(kTombstoneLife).count())
                           .toMSecsSinceEpoch())) ||
        (fullCheck && !exec(QStringLiteral("INSERT INTO state (name, value) VALUES "
                                           "('checked', '%1') ON CONFLICT (name) DO UPDATE SET "
                                           "value = excluded.value")
                                .arg(kSchemaVersion)))) {
        return failed({false, m_lastError, {}, m_lastProblem});
    }
    OpenResult opened{true, {}, {}, Problem::None};
    opened.checked = fullCheck;
    return opened;
}

bool OperationDatabase::checkNeeded(bool leftOpen)
{
    if (leftOpen)
        return true;
    QSqlQuery query(m_db);
    // Fails on a new file or one without a state table: checked then.
    const bool known =
        query.exec(QStringLiteral("SELECT value FROM state WHERE name = 'checked'")) &&
        query.next() && query.value(0).toInt() == kSchemaVersion;
    return !known;
}

OperationDatabase::OpenResult OperationDatabase::checkReadable(bool fullCheck)
{
    // quick_check reads every page (not every index entry): a store damaged anywhere says so
    // here, at start, rather than in the middle of a session. Without it, the schema read
    // below still tells a file that is not SQLite at all.
    if (fullCheck) {
        QSqlQuery check(m_db);
        if (!check.exec(QStringLiteral("PRAGMA quick_check"))) {
            const QSqlError error = check.lastError();
            return {false, error.databaseText(), {}, problemOf(error)};
        }
        QStringList problems;
        while (check.next())
            problems.append(check.value(0).toString());
        check.finish();
        if (problems != QStringList{QStringLiteral("ok")}) {
            return {false,
                    QStringLiteral("damaged: ") + problems.mid(0, 3).join(QStringLiteral("; ")),
                    {},
                    Problem::Damaged};
        }
    }
    // A SQLite file of some other program: not ours to migrate, write into or move.
    QSqlQuery tables(m_db);
    if (!tables.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name NOT IN "
                                    "('operations', 'history', 'state', 'history_by_operation', "
                                    "'starts', 'starts_by_location', 'starts_by_plan', "
                                    "'operations_by_version', 'forgotten', "
                                    "'forgotten_by_version', 'decisions', 'decisions_by_key') "
                                    "AND name NOT LIKE 'sqlite_%'")) ||
        !tables.next()) {
        const QSqlError error = tables.lastError();
        return {false, error.databaseText(), {}, problemOf(error)};
    }
    if (tables.value(0).toInt() > 0) {
        return {false,
                QStringLiteral("%1 holds tables that are not TeamsOps's: it was left untouched; "
                               "nothing is saved (choose another file with --store)")
                    .arg(QDir::toNativeSeparators(m_path)),
                {},
                Problem::NotOurs};
    }
    return {true, {}, {}, Problem::None};
}

QString OperationDatabase::moveAside()
{
    m_db.close();
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString target = m_path + QStringLiteral(".unreadable-") + stamp;
    for (const QString &suffix : kCompanions) {
        const QString from = m_path + suffix;
        if (QFile::exists(from) && !QFile::rename(from, target + suffix))
            return QString();
    }
    return target;
}

bool OperationDatabase::migrate()
{
    // IMMEDIATE takes the write lock before anything is read (waiting out the busy timeout):
    // the version read inside is the one this transaction changes. Read before it, another
    // process opening the same new file could migrate in between ("table already exists").
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return false;
    const auto rollBack = [this] {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        return false;
    };
    QSqlQuery version(m_db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        fail(QStringLiteral("migration"), version.lastError());
        return rollBack();
    }
    const int found = version.value(0).toInt();
    version.finish();
    for (int next = found; next < kSchemaVersion; ++next) {
        for (const QString &statement : migrations().at(next)) {
            if (!exec(statement))
                return rollBack();
        }
    }
    if ((found < kSchemaVersion &&
         !exec(QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion))) ||
        !exec(QStringLiteral("COMMIT")))
        return rollBack();
    return true;
}

bool OperationDatabase::setBusyTimeout(std::chrono::milliseconds timeout)
{
    m_lockTimeout = timeout;
    return exec(sqldialect::lockTimeout(m_backend, timeout.count()));
}

bool OperationDatabase::beginWrite()
{
    if (!ensureConnected())
        return false;
    for (const QString &statement : sqldialect::beginWrite(m_backend)) {
        if (!exec(statement)) {
            rollBack();
            return false;
        }
    }
    return true;
}

bool OperationDatabase::exec(const QString &statement)
{
    QSqlQuery query(m_db);
    if (!query.exec(statement))
        return fail(statement.section(QLatin1Char(' '), 0, 2), query.lastError());
    return true;
}

bool OperationDatabase::fail(const QString &what, const QString &error)
{
    m_lastError = QStringLiteral("%1: %2").arg(what, error);
    m_lastProblem = Problem::Unavailable;
    m_mayBeLost = m_backend == SqlBackend::PostgreSQL;
    return false;
}

bool OperationDatabase::fail(const QString &what, const QSqlError &error)
{
    fail(what, error.text());
    m_lastProblem = problemOf(error, m_backend);
    return false;
}
