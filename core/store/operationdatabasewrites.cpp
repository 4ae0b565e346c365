// Writing the rows of the store, so that several processes sharing it merge their writes rather
// than undo each other's (see OperationDatabase::Upsert): every commit takes the next version,
// a forgotten key leaves a tombstone, and a row's "paused" changes only where it was decided.
#include "store/finishedrule.h"
#include "store/operationdatabase.h"
#include "store/pollerlease.h"
#include "store/storerows.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

using namespace storerows;

namespace {

// Inserts a row unless its key was forgotten; updates it otherwise. The row's watch follows the
// poller (active, access denied, not found) but moves into or out of "paused" only when this
// upsert decides so. Binds, in order: the columns, the version, the key again (for the
// tombstone), decidesPause. (Qt's SQLite driver binds plain `?` only.)
QString upsertStatement(SqlBackend backend)
{
    const QStringList columns = kColumns.split(QStringLiteral(", ")).mid(1);
    QStringList parameters;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        parameters.append(
            sqldialect::parameter(backend, qPrintable(sqldialect::postgresOperationTypes().at(i))));
    }
    QStringList updates;
    for (const QString &column : columns) {
        if (column == QLatin1String("key"))
            continue;
        if (column == QLatin1String("added_at") || column == QLatin1String("started_by") ||
            column == QLatin1String("started_on")) {
            // The first sighting stays the first, and its starter, whoever writes last.
            updates.append(QStringLiteral("%1 = coalesce(operations.%1, excluded.%1)").arg(column));
        } else if (column == QLatin1String("watch")) {
            updates.append(QStringLiteral("watch = CASE WHEN %1 THEN excluded.watch WHEN "
                                          "operations.watch = 'paused' OR excluded.watch = "
                                          "'paused' THEN operations.watch ELSE excluded.watch "
                                          "END")
                               .arg(sqldialect::parameter(backend, "boolean")));
        } else {
            updates.append(QStringLiteral("%1 = excluded.%1").arg(column));
        }
    }
    return QStringLiteral("INSERT INTO operations (%1, version) SELECT %2, %3 WHERE NOT EXISTS "
                          "(SELECT 1 FROM forgotten WHERE key = ?) ON CONFLICT(key) DO UPDATE "
                          "SET %4, version = excluded.version RETURNING id, watch")
        .arg(columns.join(QStringLiteral(", ")), parameters.join(QStringLiteral(", ")),
             sqldialect::parameter(backend, "bigint"), updates.join(QStringLiteral(", ")));
}

} // namespace

std::optional<qint64> OperationDatabase::nextVersion()
{
    QSqlQuery query(m_db);
    if (!query.exec(
            QStringLiteral("INSERT INTO state (name, value) VALUES ('version', '1') ON "
                           "CONFLICT(name) DO UPDATE SET value = CAST(state.value AS BIGINT) "
                           "+ 1 RETURNING CAST(value AS BIGINT)")) ||
        !query.next()) {
        fail(QStringLiteral("versioning a commit"), query.lastError());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

bool OperationDatabase::beginVersioned(Committed &committed)
{
    // The write lock at once (waiting out the other process's transaction under the busy
    // timeout) instead of failing half-way when a read would have to become a write.
    if (!beginWrite())
        return false;
    const std::optional<qint64> version = nextVersion();
    if (!version) {
        rollBack();
        return false;
    }
    committed.version = *version;
    return true;
}

void OperationDatabase::rollBack()
{
    QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
}

bool OperationDatabase::recordDecision(const QString &rowKey, const QString &action)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT INTO decisions (key, action, decided_by, decided_on, "
                                 "decided_at) VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(rowKey);
    query.addBindValue(action);
    query.addBindValue(m_actor);
    query.addBindValue(QSysInfo::machineHostName());
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        return fail(QStringLiteral("recording who decided"), query.lastError());
    return true;
}

bool OperationDatabase::announce(qint64 version)
{
    // Delivered to every listener when the transaction commits, never when it rolls back.
    if (m_backend != SqlBackend::PostgreSQL)
        return true;
    return exec(QStringLiteral("SELECT pg_notify('%1', '%2')").arg(kChangesChannel).arg(version));
}

std::optional<OperationDatabase::Committed> OperationDatabase::commit(const Changes &changes)
{
    auto rollback = [this] {
        rollBack();
        return std::nullopt;
    };
    Committed committed;
    if (!beginVersioned(committed))
        return std::nullopt;
    QSqlQuery upsert(m_db);
    QSqlQuery change(m_db);
    QSqlQuery unforget(m_db);
    if (!changes.upserts.isEmpty() &&
        (!upsert.prepare(upsertStatement(m_backend)) || !change.prepare(insertChange(m_backend)) ||
         !unforget.prepare(QStringLiteral("DELETE FROM forgotten WHERE key = ?")))) {
        fail(QStringLiteral("preparing"), upsert.lastError().text() + change.lastError().text());
        return rollback();
    }
    for (const Upsert &item : changes.upserts) {
        const WatchedOperation &op = *item.operation;
        if (item.first) {
            // Watched anew, explicitly: an earlier forget no longer applies.
            unforget.addBindValue(rowKeyOf(op));
            if (!unforget.exec()) {
                fail(QStringLiteral("watching again"), unforget.lastError());
                return rollback();
            }
        }
        bindOperation(upsert, op, rowKeyOf(op));
        upsert.addBindValue(committed.version);
        upsert.addBindValue(rowKeyOf(op));
        upsert.addBindValue(item.decidesPause);
        if (!upsert.exec()) {
            fail(QStringLiteral("saving an operation"), upsert.lastError());
            return rollback();
        }
        if (!upsert.next()) { // its key was forgotten meanwhile, by another process
            committed.refused.append(op.key);
            upsert.finish();
            continue;
        }
        const qint64 rowId = upsert.value(0).toLongLong();
        committed.watch.insert(op.key, valueOf(kWatchNames, upsert.value(1).toString()));
        upsert.finish();
        if (item.decidesPause &&
            !recordDecision(rowKeyOf(op), op.watch == WatchedOperation::Watch::Paused
                                              ? QStringLiteral("stopped")
                                              : QStringLiteral("resumed")))
            return rollback();
        committed.rowIds.insert(op.key, rowId);
        for (qsizetype i = item.historyFrom; i < op.history.size(); ++i) {
            bindChange(change, rowId, op.history.at(i));
            if (!change.exec()) {
                fail(QStringLiteral("saving a change"), change.lastError());
                return rollback();
            }
        }
    }
    if (!forgetIn(changes.deletions, committed))
        return rollback();
    if (changes.pace) {
        QSqlQuery pace(m_db);
        pace.prepare(QStringLiteral("INSERT INTO state (name, value) VALUES ('pace', ?) "
                                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value"));
        // As text: a QByteArray would be bound as bytea on PostgreSQL.
        pace.addBindValue(
            QString::fromUtf8(QJsonDocument(*changes.pace).toJson(QJsonDocument::Compact)));
        if (!pace.exec()) {
            fail(QStringLiteral("saving the pace"), pace.lastError());
            return rollback();
        }
    }
    if (!announce(committed.version) || !exec(QStringLiteral("COMMIT")))
        return rollback();
    return committed;
}

bool OperationDatabase::forgetIn(const QStringList &keys, Committed &committed)
{
    if (keys.isEmpty())
        return true;
    QSqlQuery remove(m_db);
    QSqlQuery tombstone(m_db);
    remove.prepare(QStringLiteral("DELETE FROM operations WHERE %1 RETURNING key").arg(keyIs()));
    tombstone.prepare(QStringLiteral("INSERT INTO forgotten (key, version, forgotten_at) VALUES "
                                     "(?, ?, ?) ON CONFLICT(key) DO UPDATE SET version = "
                                     "excluded.version, forgotten_at = excluded.forgotten_at"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QString &key : keys) {
        remove.addBindValue(keyValue(key));
        if (!remove.exec())
            return fail(QStringLiteral("forgetting an operation"), remove.lastError());
        QStringList rowKeys;
        while (remove.next())
            rowKeys.append(remove.value(0).toString());
        remove.finish();
        if (!rowKeys.isEmpty())
            committed.deleted.append(key);
        for (const QString &rowKey : std::as_const(rowKeys)) {
            if (!recordDecision(rowKey, QStringLiteral("forgot")))
                return false;
        }
        // Left even when the row was gone already: a watcher's later write must not bring it
        // back.
        if (rowKeys.isEmpty() && !m_graphOrigin.isEmpty())
            rowKeys.append(keyValue(key).toString());
        for (const QString &rowKey : std::as_const(rowKeys)) {
            tombstone.addBindValue(rowKey);
            tombstone.addBindValue(committed.version);
            tombstone.addBindValue(now);
            if (!tombstone.exec())
                return fail(QStringLiteral("forgetting an operation"), tombstone.lastError());
        }
    }
    return true;
}

std::optional<QStringList> OperationDatabase::forgetTerminalBefore(const QDateTime &before)
{
    // Which ones and their removal in one transaction: what is counted is what is forgotten.
    auto rollback = [this] {
        rollBack();
        return std::nullopt;
    };
    Committed committed;
    if (!beginVersioned(committed))
        return std::nullopt;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT key FROM operations WHERE %1 AND ").arg(inGraph()) +
                  FinishedRule::sqlCondition());
    for (const QVariant &bound : graphBounds())
        query.addBindValue(bound);
    query.addBindValue(before.toMSecsSinceEpoch());
    if (!query.exec()) {
        fail(QStringLiteral("finding finished operations"), query.lastError());
        return rollback();
    }
    QStringList keys;
    while (query.next())
        keys.append(keyOf(query.value(0).toString()));
    query.finish();
    if (!forgetIn(keys, committed) || !announce(committed.version) ||
        !exec(QStringLiteral("COMMIT")))
        return rollback();
    return committed.deleted;
}

std::optional<int> OperationDatabase::forget(const QStringList &keys)
{
    Changes changes;
    changes.deletions = keys;
    const std::optional<Committed> committed = commit(changes);
    if (!committed)
        return std::nullopt;
    return int(committed->deleted.size());
}

namespace {

QJsonObject leaseJson(const LeaseHolder &holder)
{
    return QJsonObject{{QStringLiteral("id"), holder.id},
                       {QStringLiteral("program"), holder.program},
                       {QStringLiteral("pid"), holder.pid},
                       {QStringLiteral("host"), holder.host},
                       {QStringLiteral("expiresAt"), holder.expiresAt.toMSecsSinceEpoch()}};
}

LeaseHolder leaseFrom(const QJsonObject &json)
{
    LeaseHolder holder;
    holder.id = json.value(QLatin1String("id")).toString();
    holder.program = json.value(QLatin1String("program")).toString();
    holder.pid = json.value(QLatin1String("pid")).toInteger();
    holder.host = json.value(QLatin1String("host")).toString();
    holder.expiresAt =
        QDateTime::fromMSecsSinceEpoch(json.value(QLatin1String("expiresAt")).toInteger(), Qt::UTC);
    return holder;
}

} // namespace

std::optional<LeaseHolder> OperationDatabase::claimLease(const LeaseHolder &claim,
                                                         const QDateTime &now)
{
    if (!beginWrite())
        return std::nullopt;
    auto rollback = [this] {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        return std::nullopt;
    };
    QSqlQuery read(m_db);
    read.prepare(QStringLiteral("SELECT value FROM state WHERE name = ?"));
    read.addBindValue(leaseName());
    if (!read.exec()) {
        fail(QStringLiteral("reading the lease"), read.lastError());
        return rollback();
    }
    const std::optional<LeaseHolder> current =
        read.next() ? std::optional<LeaseHolder>(
                          leaseFrom(QJsonDocument::fromJson(read.value(0).toByteArray()).object()))
                    : std::nullopt;
    read.finish();
    // On a server that several machines share, the lease is timed by the server's clock: a
    // machine whose clock is ahead would otherwise take a lease still held, or one behind hold
    // it past its expiry. A file is shared by one machine's processes: its clock is theirs.
    QDateTime timedNow = now;
    LeaseHolder timedClaim = claim;
    if (m_backend == SqlBackend::PostgreSQL) {
        const std::optional<qint64> serverTime = serverNow();
        if (!serverTime)
            return rollback();
        timedNow = QDateTime::fromMSecsSinceEpoch(*serverTime, Qt::UTC);
        timedClaim.expiresAt = timedNow.addMSecs(now.msecsTo(claim.expiresAt));
    }
    if (current && current->id != claim.id && current->expiresAt > timedNow) {
        exec(QStringLiteral("COMMIT"));
        return current;
    }
    QSqlQuery write(m_db);
    write.prepare(QStringLiteral("INSERT INTO state (name, value) VALUES (?, ?) ON "
                                 "CONFLICT(name) DO UPDATE SET value = excluded.value"));
    write.addBindValue(leaseName());
    write.addBindValue(
        QString::fromUtf8(QJsonDocument(leaseJson(timedClaim)).toJson(QJsonDocument::Compact)));
    if (!write.exec() || !exec(QStringLiteral("COMMIT"))) {
        fail(QStringLiteral("taking the lease"), write.lastError());
        return rollback();
    }
    return claim;
}

bool OperationDatabase::releaseLease(const QString &holderId)
{
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("DELETE FROM state WHERE name = ? AND %1 = ?")
            .arg(sqldialect::jsonText(m_backend, QStringLiteral("value"), QStringLiteral("id"))));
    query.addBindValue(leaseName());
    query.addBindValue(holderId);
    if (!query.exec())
        return fail(QStringLiteral("giving up the lease"), query.lastError());
    return true;
}
