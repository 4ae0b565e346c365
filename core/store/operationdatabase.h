#pragma once

#include "model/watchedoperation.h"
#include "store/sqldialect.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantList>

#include <chrono>
#include <functional>
#include <optional>

class QSqlDriver;
class QSqlError;
struct LeaseHolder;

// The SQLite file that keeps watched operations across restarts: each operation (Location, last
// payload, scheduling state), every observed change, and the poll pace. One file, in WAL mode, so
// the GUI and `teamsops-cli watch` can share it: readers never wait for the writer, and writes are
// short transactions under a busy timeout.
//
// Or the same store in a PostgreSQL database, shared by a team of admins (a postgresql:// URL,
// StoreLocation; opened in operationdatabaseserver.cpp): the same tables, rows, versions and merge
// rules; what differs between the two is in sqldialect.h.
//
// The schema is versioned (PRAGMA user_version) and migrated forward on open, in one IMMEDIATE
// transaction that reads the version again inside it: processes opening a new file at once all
// end up on one store. Only damage moves a file aside (SQLite says it is corrupt or not a
// database); a file merely in use by another program, one that cannot be read for lack of
// permission or an I/O error, someone else's SQLite file and one from a newer TeamsOps are all
// left untouched, with a problem that says which.
class OperationDatabase
{
    Q_DISABLE_COPY_MOVE(OperationDatabase)
public:
    static constexpr int kSchemaVersion = 5;

    enum class Access
    {
        ReadWrite, // creates the file, migrates it
        ReadOnly   // for list and history: never writes, never creates
    };

    // Why a store could not be opened, by what the caller can do about it.
    enum class Problem
    {
        None,
        Busy,        // another program holds the file: try again later, it is not damaged
        Damaged,     // SQLite says corrupt or not a database (moved aside by a read-write open)
        Unavailable, // permission, I/O error, a missing folder: the file is left untouched
        NotOurs,     // a SQLite file with another program's tables: left untouched
        Newer,       // written by a newer TeamsOps: left untouched
        Older,       // read-only access to a store that needs migrating first
        NoStore,     // read-only access where nothing was ever stored: an empty store
        Unreachable, // a team's server cannot be reached now (refused, timed out): try later
    };

    struct OpenResult
    {
        bool ok = false;
        QString error;   // for people, when !ok (or when a damaged file was moved aside)
        QString movedTo; // a damaged file was moved here (ok is then true: a fresh store)
        Problem problem = Problem::None;
        // Every page was read (PRAGMA quick_check): only after an unclean close, or the first
        // time this TeamsOps opens the store for writing (see checkNeeded).
        bool checked = false;
    };
    // What a failed statement's SQLite error means for the store (by its native error code).
    static Problem problemOf(const QSqlError &error, SqlBackend backend = SqlBackend::SQLite);

    // One stored operation and the row it lives in.
    struct Stored
    {
        qint64 rowId = 0;
        WatchedOperation operation;
    };

    // What one commit writes: operations to insert or update (with the history entries from
    // index historyFrom on, which are new), keys to forget, and the pace.
    //
    // Several processes write the same rows, so a row merges rather than being overwritten:
    // what a poller sees (status, attempts, error, pace) is written by whoever saw it; what a
    // person decides is written only by the process where it was decided. A row is moved into
    // or out of "paused" only by an upsert that decidesPause; a forgotten key leaves a
    // tombstone that refuses every later upsert of it except an explicit new watch (`first`).
    struct Upsert
    {
        const WatchedOperation *operation = nullptr;
        qsizetype historyFrom = 0;
        bool first = false;        // first written by this process: an explicit watch
        bool decidesPause = false; // this process's user paused or resumed it
    };
    struct Changes
    {
        QList<Upsert> upserts;
        QStringList deletions;
        std::optional<QJsonObject> pace;
    };
    struct Committed
    {
        qint64 version = 0;                            // of this commit
        QHash<QString, qint64> rowIds;                 // every upserted key kept
        QHash<QString, WatchedOperation::Watch> watch; // what each row holds after the merge
        QStringList refused;                           // forgotten by another process
        QStringList deleted;                           // rows this commit removed
    };
    // A row written after a version, by whichever process.
    struct ChangedRow
    {
        QString key;
        qint64 rowId = 0;
        WatchedOperation::Watch watch = WatchedOperation::Watch::Active;
        qint64 version = 0;
    };

    OperationDatabase();
    ~OperationDatabase();

    // Where the GUI and the CLI keep their store unless told otherwise.
    static QString defaultPath();
    // Removes a closed store file with its -wal and -shm; false when one stays.
    static bool removeFile(const QString &path);

    // A write waits this long for another process's transaction before it fails (and is tried
    // again later): transactions here last milliseconds.
    static constexpr std::chrono::milliseconds kBusyTimeout{3000};

    OpenResult open(const QString &path, Access access = Access::ReadWrite,
                    std::chrono::milliseconds busyTimeout = kBusyTimeout);
    // A team store's password from the keychain (the dashboard reads it there): given to every
    // connection this process opens to that URL, held in memory only. Without one, libpq reads
    // PGPASSWORD or ~/.pgpass.
    static void rememberPassword(const QString &url, const QString &password);
    // Rows are keyed by Graph origin and operation key (schema 3): one store shared by a
    // simulator and a tenant, or by two clouds, keeps each one's operations apart — the same
    // Location on two Graphs is two operations. A row's Graph is its operation's URL's origin.
    // With a Graph set (the dashboard, watch), this connection reads, forgets and leases that
    // Graph's only; without (list, history, forget), every Graph's.
    void setGraph(const QUrl &graphBase);
    QString graphOrigin() const { return m_graphOrigin; }
    bool isOpen() const { return m_db.isOpen(); }
    SqlBackend backend() const { return m_backend; }
    // How long a statement waits for another process's lock from now on.
    bool setBusyTimeout(std::chrono::milliseconds timeout);
    QString path() const { return m_path; }
    // Why the last statement failed, for people.
    QString lastError() const { return m_lastError; }
    // The connection, for the other tables of the same file (StartJournal's starts).
    QSqlDatabase connection() const { return m_db; }

    // Reading (operationdatabaserows.cpp). Invalid on failure, with lastError() set.
    std::optional<QList<Stored>> loadAll();
    std::optional<Stored> load(const QString &key);
    std::optional<QList<Stored>> loadKeys(const QStringList &keys);
    // Every operation of the Graph (all without one) in row order, one at a time and without
    // its history: what `list` prints, in memory that does not grow with the store.
    bool forEach(const std::function<void(const WatchedOperation &)> &each);
    // Every commit has a version, higher than any before it; rows and tombstones carry the
    // version that last wrote them.
    std::optional<qint64> version();
    std::optional<QList<ChangedRow>> changedSince(qint64 version);
    std::optional<QStringList> forgottenSince(qint64 version);
    std::optional<QStringList> keys();
    std::optional<qsizetype> count();
    std::optional<QJsonObject> pace();
    // Changes by other connections to this file since the last call (SQLite's data_version):
    // cheap, to notice another process's writes without reading anything else.
    std::optional<qint64> dataVersion();
    // On a server, every commit is announced (NOTIFY, on kChangesChannel, with its version): the
    // driver to listen to for them (QSqlDriver::notification), or null for a file, or when the
    // server would not subscribe. Announcements can be lost with the connection: a listener
    // also reads changedSince() now and then.
    static constexpr const char *kChangesChannel = "teamsops_changes";
    QSqlDriver *changeAnnouncements();

    // Writing (operationdatabasewrites.cpp): one transaction, all or nothing.
    std::optional<Committed> commit(const Changes &changes);
    // Forgets finished operations (FinishedRule) idle since before `before`; returns their keys.
    std::optional<QStringList> forgetTerminalBefore(const QDateTime &before);
    // The poller's lease (PollerLease): takes it for `claim` when it is free, expired or
    // claim's already; returns who holds it now.
    std::optional<LeaseHolder> claimLease(const LeaseHolder &claim, const QDateTime &now);
    bool releaseLease(const QString &holderId);
    // Forgets these operations; returns how many were stored.
    std::optional<int> forget(const QStringList &keys);

    // Who decides here (the signed-in account, else the program): written with every stop,
    // resume and forget this connection commits, with the machine and the time.
    void setActor(const QString &actor) { m_actor = actor; }
    QString actor() const { return m_actor; }
    struct Decision
    {
        QString action; // stopped, resumed, forgot
        QString by;
        QString on; // machine
        QDateTime at;
    };
    // Every decision about one operation key (of the Graph set, or any), oldest first: kept after
    // the operation itself is forgotten.
    std::optional<QList<Decision>> decisionsOf(const QString &key);
    // Tombstones older than this are dropped when a store is opened for writing.
    static constexpr std::chrono::hours kTombstoneLife{24 * 30};

private:
    OpenResult openFile(const QString &path, Access access, std::chrono::milliseconds busyTimeout);
    // A postgresql:// URL (operationdatabaseserver.cpp).
    OpenResult openServer(const QString &url, Access access, std::chrono::milliseconds busyTimeout);
    OpenResult checkServerSchema(Access access);
    bool migrateServer();
    // The server's clock, in ms since the epoch: what leases are timed by on a server that
    // several machines share, whatever their own clocks say.
    std::optional<qint64> serverNow();
    // A server session's settings (time zone, lock timeout, read-only), at open and reconnect.
    bool startServerSession();
    // After a failed statement on a server: whether the connection still works, and a new one
    // when it does not (a restarted server, a network back). True for a file.
    bool ensureConnected();
    // Starts a transaction holding the store's write lock (sqldialect::beginWrite).
    bool beginWrite();
    // Announces a commit's version to the other connections (a server only).
    bool announce(qint64 version);
    bool recordDecision(const QString &rowKey, const QString &action);
    // Empty when the file is a TeamsOps store SQLite can read; else why not. With fullCheck,
    // every page is read too.
    OpenResult checkReadable(bool fullCheck);
    // Whether to read every page: a store left open (its -wal still holds frames: a crash, a
    // kill, or another process still at work), or not yet checked by this schema version.
    bool checkNeeded(bool leftOpen);
    QString moveAside();
    bool migrate();
    std::optional<qint64> nextVersion();
    // BEGIN IMMEDIATE and the commit's version; false (rolled back) when either fails.
    bool beginVersioned(Committed &committed);
    void rollBack();
    bool forgetIn(const QStringList &keys, Committed &committed);
    bool exec(const QString &statement);
    bool fail(const QString &what, const QString &error);
    bool fail(const QString &what, const QSqlError &error);
    std::optional<QList<Stored>> loadWhere(const QString &condition, const QVariantList &values);
    bool loadHistory(QList<Stored> &stored, const QString &condition, const QVariantList &values);

    QString m_connection;
    QSqlDatabase m_db;
    QString m_path;
    QString m_lastError;
    Problem m_lastProblem = Problem::None; // of the last failed statement
    QString m_graphOrigin;                 // empty: every Graph
    SqlBackend m_backend = SqlBackend::SQLite;
    QString m_actor;
    // A server's session: what it is set up with, and whether a statement failed since (the
    // connection may be gone).
    std::chrono::milliseconds m_lockTimeout{kBusyTimeout};
    bool m_readOnly = false;
    bool m_mayBeLost = false;

    // Rows are keyed "<Graph origin>|<operation key>".
    static QString rowKeyOf(const WatchedOperation &op)
    {
        return originOf(op.ref.graphBase) + QLatin1Char('|') + op.key;
    }
    static QString keyOf(const QString &rowKey) { return rowKey.section(QLatin1Char('|'), 1); }
    // The rows of the Graph set (all without one): a condition and its values.
    QString inGraph() const
    {
        return m_graphOrigin.isEmpty() ? QStringLiteral("1 = 1")
                                       : QStringLiteral("key >= ? AND key < ?");
    }
    QVariantList graphBounds() const
    {
        if (m_graphOrigin.isEmpty())
            return {};
        return {m_graphOrigin + QLatin1Char('|'), m_graphOrigin + QLatin1Char('}')};
    }
    // The row (rows, without a Graph set) of one operation key: a condition and its value.
    QString keyIs() const
    {
        return m_graphOrigin.isEmpty()
                   ? sqldialect::afterBar(m_backend, QStringLiteral("key")) + QStringLiteral(" = ?")
                   : QStringLiteral("key = ?");
    }
    QVariant keyValue(const QString &key) const
    {
        return m_graphOrigin.isEmpty() ? QVariant(key)
                                       : QVariant(m_graphOrigin + QLatin1Char('|') + key);
    }
    // One poller per Graph: a store shared by two Graphs has two.
    QString leaseName() const { return QStringLiteral("poller ") + m_graphOrigin; }
};
