// Reading and writing the rows of the store: one row per watched operation, one per observed
// change, and the poll pace as JSON. Times are stored as milliseconds since the epoch (UTC), enum
// values as the words below, which never change once shipped.
#include "store/operationdatabase.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <array>
#include <utility>

namespace {

// The columns of `operations`, in the order every query here lists them.
enum Column
{
    RowId,
    Key,
    TeamId,
    OperationId,
    Url,
    Location,
    AddedAt,
    Watch,
    HasSnapshot,
    SnapshotId,
    Type,
    Status,
    CreatedAt,
    LastActionAt,
    Attempts,
    TargetId,
    TargetLocation,
    ErrorCode,
    ErrorMessage,
    LastReply,
    NextPollAt,
    LastSentAt,
    LastPolledAt,
    LastChangedAt,
    Polls,
    ConsecutiveFailures,
    ConsecutiveNotFound,
    FirstNotFoundAt,
    LastFailure,
    LastFailureMessage,
    ColumnCount
};

const QString kColumns = QStringLiteral(
    "id, key, team_id, operation_id, url, location, added_at, watch, has_snapshot, snapshot_id, "
    "type, status, created_at, last_action_at, attempts, target_id, target_location, error_code, "
    "error_message, last_reply, next_poll_at, last_sent_at, last_polled_at, last_changed_at, "
    "polls, consecutive_failures, consecutive_not_found, first_not_found_at, last_failure, "
    "last_failure_message");

const std::array<std::pair<WatchedOperation::Watch, const char *>, 4> kWatchNames{{
    {WatchedOperation::Watch::Active, "active"},
    {WatchedOperation::Watch::AccessDenied, "accessDenied"},
    {WatchedOperation::Watch::NotFound, "notFound"},
    {WatchedOperation::Watch::Paused, "paused"},
}};

const std::array<std::pair<GraphFailure, const char *>, 11> kFailureNames{{
    {GraphFailure::None, "none"},
    {GraphFailure::Unauthorized, "unauthorized"},
    {GraphFailure::Forbidden, "forbidden"},
    {GraphFailure::NotFound, "notFound"},
    {GraphFailure::Throttled, "throttled"},
    {GraphFailure::HttpError, "httpError"},
    {GraphFailure::Timeout, "timeout"},
    {GraphFailure::Network, "network"},
    {GraphFailure::TooLarge, "tooLarge"},
    {GraphFailure::MalformedReply, "malformedReply"},
    {GraphFailure::Refused, "refused"},
}};

template <typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &names, Enum value)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == value)
            return QLatin1String(name);
    }
    return QLatin1String(names.front().second);
}

// Unknown words (a damaged row) read as the first value: active, no failure.
template <typename Enum, std::size_t N>
Enum valueOf(const std::array<std::pair<Enum, const char *>, N> &names, const QString &text)
{
    for (const auto &[value, name] : names) {
        if (text == QLatin1String(name))
            return value;
    }
    return names.front().first;
}

QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch())
                          : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime timeOf(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant text(const QString &value, bool present = true)
{
    return present ? QVariant(value) : QVariant(QMetaType(QMetaType::QString));
}

WatchedOperation operationFrom(const QSqlQuery &row)
{
    WatchedOperation op;
    op.key = row.value(Key).toString();
    op.ref.teamId = row.value(TeamId).toString();
    op.ref.operationId = row.value(OperationId).toString();
    op.ref.url = QUrl(row.value(Url).toString());
    op.locationText = row.value(Location).toString();
    op.addedAt = timeOf(row.value(AddedAt));
    op.watch = valueOf(kWatchNames, row.value(Watch).toString());
    if (row.value(HasSnapshot).toBool()) {
        Operation snapshot;
        snapshot.id = row.value(SnapshotId).toString();
        snapshot.operationTypeRaw = row.value(Type).toString();
        snapshot.operationType = operationTypeFromString(snapshot.operationTypeRaw);
        snapshot.statusRaw = row.value(Status).toString();
        snapshot.status = operationStatusFromString(snapshot.statusRaw);
        snapshot.createdDateTime = timeOf(row.value(CreatedAt));
        snapshot.lastActionDateTime = timeOf(row.value(LastActionAt));
        snapshot.attemptsCount = row.value(Attempts).toInt();
        snapshot.targetResourceId = row.value(TargetId).toString();
        snapshot.targetResourceLocation = row.value(TargetLocation).toString();
        if (!row.value(ErrorCode).isNull())
            snapshot.error =
                OperationError{row.value(ErrorCode).toString(), row.value(ErrorMessage).toString()};
        op.latest = std::move(snapshot);
    }
    op.lastReply = row.value(LastReply).toByteArray();
    op.nextPollAt = timeOf(row.value(NextPollAt));
    op.lastSentAt = timeOf(row.value(LastSentAt));
    op.lastPolledAt = timeOf(row.value(LastPolledAt));
    op.lastChangedAt = timeOf(row.value(LastChangedAt));
    op.polls = row.value(Polls).toInt();
    op.consecutiveFailures = row.value(ConsecutiveFailures).toInt();
    op.consecutiveNotFound = row.value(ConsecutiveNotFound).toInt();
    op.firstNotFoundAt = timeOf(row.value(FirstNotFoundAt));
    op.lastFailure = valueOf(kFailureNames, row.value(LastFailure).toString());
    op.lastFailureMessage = row.value(LastFailureMessage).toString();
    return op;
}

void bindOperation(QSqlQuery &query, const WatchedOperation &op)
{
    const std::optional<Operation> &s = op.latest;
    const bool hasError = s && s->error;
    const QVariantList values{
        op.key,
        op.ref.teamId,
        op.ref.operationId,
        op.ref.url.toString(),
        op.locationText,
        msecs(op.addedAt),
        nameOf(kWatchNames, op.watch),
        s.has_value(),
        text(s ? s->id : QString(), s.has_value()),
        text(s ? s->operationTypeRaw : QString(), s.has_value()),
        text(s ? s->statusRaw : QString(), s.has_value()),
        msecs(s ? s->createdDateTime : QDateTime()),
        msecs(s ? s->lastActionDateTime : QDateTime()),
        s ? QVariant(s->attemptsCount) : QVariant(QMetaType(QMetaType::Int)),
        text(s ? s->targetResourceId : QString(), s.has_value()),
        text(s ? s->targetResourceLocation : QString(), s.has_value()),
        text(hasError ? s->error->code : QString(), hasError),
        text(hasError ? s->error->message : QString(), hasError),
        op.lastReply,
        msecs(op.nextPollAt),
        msecs(op.lastSentAt),
        msecs(op.lastPolledAt),
        msecs(op.lastChangedAt),
        op.polls,
        op.consecutiveFailures,
        op.consecutiveNotFound,
        msecs(op.firstNotFoundAt),
        nameOf(kFailureNames, op.lastFailure),
        op.lastFailureMessage,
    };
    Q_ASSERT(values.size() == ColumnCount - 1);
    for (const QVariant &value : values)
        query.addBindValue(value);
}

QString upsertStatement()
{
    const QStringList columns = kColumns.split(QStringLiteral(", ")).mid(1);
    QStringList updates;
    for (const QString &column : columns) {
        if (column == QLatin1String("key"))
            continue;
        // The first sighting stays the first, whoever writes last.
        updates.append(
            column == QLatin1String("added_at")
                ? QStringLiteral("added_at = coalesce(operations.added_at, excluded.added_at)")
                : QStringLiteral("%1 = excluded.%1").arg(column));
    }
    return QStringLiteral("INSERT INTO operations (%1) VALUES (%2) ON CONFLICT(key) DO UPDATE SET "
                          "%3 RETURNING id")
        .arg(columns.join(QStringLiteral(", ")),
             QStringList(columns.size(), QStringLiteral("?")).join(QStringLiteral(", ")),
             updates.join(QStringLiteral(", ")));
}

// Two processes watching one operation both see its changes: a change equal to the last one
// stored for the operation is the same change, seen twice, and is not stored again.
// (Qt's SQLite driver binds plain `?` only, so values used twice are bound twice.)
const QString kInsertChange = QStringLiteral(
    "INSERT INTO history (operation_id, seen_at, status, attempts, error_code, error_message, "
    "target_location) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM (SELECT status, "
    "attempts, error_code, error_message FROM history WHERE operation_id = ? ORDER BY id DESC "
    "LIMIT 1) AS last WHERE last.status = ? AND last.attempts = ? AND last.error_code IS ? AND "
    "last.error_message IS ?)");

void bindChange(QSqlQuery &query, qint64 rowId, const StatusChange &c)
{
    const QVariant code = text(c.error ? c.error->code : QString(), c.error.has_value());
    const QVariant message = text(c.error ? c.error->message : QString(), c.error.has_value());
    for (const QVariant &value :
         {QVariant(rowId), msecs(c.seenAt), QVariant(c.statusRaw), QVariant(c.attemptsCount), code,
          message, QVariant(c.targetResourceLocation), QVariant(rowId), QVariant(c.statusRaw),
          QVariant(c.attemptsCount), code, message}) {
        query.addBindValue(value);
    }
}

} // namespace

std::optional<QList<OperationDatabase::Stored>> OperationDatabase::loadAll()
{
    return loadWhere(QStringLiteral("1"), {});
}

std::optional<QList<OperationDatabase::Stored>> OperationDatabase::loadAddedAfter(qint64 rowId)
{
    return loadWhere(QStringLiteral("id > ?"), {rowId});
}

std::optional<OperationDatabase::Stored> OperationDatabase::load(const QString &key)
{
    const auto found = loadWhere(QStringLiteral("key = ?"), {key});
    if (!found || found->isEmpty())
        return std::nullopt;
    return found->first();
}

std::optional<QList<OperationDatabase::Stored>>
OperationDatabase::loadWhere(const QString &condition, const QVariantList &values)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT %1 FROM operations WHERE %2 ORDER BY id").arg(kColumns, condition));
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        fail(QStringLiteral("reading operations"), query.lastError().text());
        return std::nullopt;
    }
    QList<Stored> stored;

    while (query.next())
        stored.emplaceBack(Stored{query.value(RowId).toLongLong(), operationFrom(query)});
    query.finish();
    if (!loadHistory(stored, condition, values))
        return std::nullopt;
    return stored;
}

bool OperationDatabase::loadHistory(QList<Stored> &stored, const QString &condition,
                                    const QVariantList &values)
{
    if (stored.isEmpty())
        return true;
    // Both in row order (the index on (operation_id, id) gives history so, without sorting):
    // one walk pairs every change with its operation.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT operation_id, seen_at, status, attempts, error_code, "
                                 "error_message, target_location FROM history WHERE operation_id "
                                 "IN (SELECT id FROM operations WHERE %1) ORDER BY operation_id, "
                                 "id")
                      .arg(condition));
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return fail(QStringLiteral("reading history"), query.lastError().text());
    qsizetype index = 0;
    while (query.next()) {
        const qint64 rowId = query.value(0).toLongLong();
        while (index < stored.size() && stored.at(index).rowId < rowId)
            ++index;
        if (index == stored.size())
            break;
        if (stored.at(index).rowId != rowId)
            continue; // its operation was added by another process after the first query
        StatusChange change;
        change.seenAt = timeOf(query.value(1));
        change.statusRaw = query.value(2).toString();
        change.status = operationStatusFromString(change.statusRaw);
        change.attemptsCount = query.value(3).toInt();
        if (!query.value(4).isNull())
            change.error = OperationError{query.value(4).toString(), query.value(5).toString()};
        change.targetResourceLocation = query.value(6).toString();
        stored[index].operation.history.append(std::move(change));
    }
    return true;
}

std::optional<QStringList> OperationDatabase::keys()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT key FROM operations"))) {
        fail(QStringLiteral("reading keys"), query.lastError().text());
        return std::nullopt;
    }
    QStringList keys;
    while (query.next())
        keys.append(query.value(0).toString());
    return keys;
}

std::optional<qsizetype> OperationDatabase::count()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM operations")) || !query.next()) {
        fail(QStringLiteral("counting operations"), query.lastError().text());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

std::optional<QJsonObject> OperationDatabase::pace()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT value FROM state WHERE name = 'pace'"))) {
        fail(QStringLiteral("reading the pace"), query.lastError().text());
        return std::nullopt;
    }
    if (!query.next())
        return QJsonObject();
    return QJsonDocument::fromJson(query.value(0).toByteArray()).object();
}

std::optional<qint64> OperationDatabase::dataVersion()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next()) {
        fail(QStringLiteral("data_version"), query.lastError().text());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

std::optional<QHash<QString, qint64>> OperationDatabase::commit(const Changes &changes)
{
    // IMMEDIATE takes the write lock at once (waiting out the other process's transaction under
    // the busy timeout) instead of failing half-way when a read would have to become a write.
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return std::nullopt;
    auto rollback = [this] {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        return std::nullopt;
    };
    QHash<QString, qint64> rowIds;
    QSqlQuery upsert(m_db);
    QSqlQuery change(m_db);
    if (!changes.upserts.isEmpty() &&
        (!upsert.prepare(upsertStatement()) || !change.prepare(kInsertChange))) {
        fail(QStringLiteral("preparing"), upsert.lastError().text() + change.lastError().text());
        return rollback();
    }
    for (const Upsert &item : changes.upserts) {
        const WatchedOperation &op = *item.operation;
        bindOperation(upsert, op);
        if (!upsert.exec() || !upsert.next()) {
            fail(QStringLiteral("saving an operation"), upsert.lastError().text());
            return rollback();
        }
        const qint64 rowId = upsert.value(0).toLongLong();
        upsert.finish();
        rowIds.insert(op.key, rowId);
        for (qsizetype i = item.historyFrom; i < op.history.size(); ++i) {
            bindChange(change, rowId, op.history.at(i));
            if (!change.exec()) {
                fail(QStringLiteral("saving a change"), change.lastError().text());
                return rollback();
            }
        }
    }
    if (!changes.deletions.isEmpty()) {
        QSqlQuery remove(m_db);
        remove.prepare(QStringLiteral("DELETE FROM operations WHERE key = ?"));
        for (const QString &key : changes.deletions) {
            remove.addBindValue(key);
            if (!remove.exec()) {
                fail(QStringLiteral("forgetting an operation"), remove.lastError().text());
                return rollback();
            }
        }
    }
    if (changes.pace) {
        QSqlQuery pace(m_db);
        pace.prepare(QStringLiteral("INSERT INTO state (name, value) VALUES ('pace', ?) "
                                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value"));
        pace.addBindValue(QJsonDocument(*changes.pace).toJson(QJsonDocument::Compact));
        if (!pace.exec()) {
            fail(QStringLiteral("saving the pace"), pace.lastError().text());
            return rollback();
        }
    }
    if (!exec(QStringLiteral("COMMIT")))
        return rollback();
    return rowIds;
}

std::optional<QStringList> OperationDatabase::forgetTerminalBefore(const QDateTime &before)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM operations WHERE status IN ('succeeded', 'failed') "
                                 "AND coalesce(last_changed_at, last_polled_at, added_at) < ? "
                                 "RETURNING key"));
    query.addBindValue(before.toMSecsSinceEpoch());
    if (!query.exec()) {
        fail(QStringLiteral("forgetting finished operations"), query.lastError().text());
        return std::nullopt;
    }
    QStringList keys;
    while (query.next())
        keys.append(query.value(0).toString());
    return keys;
}

std::optional<int> OperationDatabase::forget(const QStringList &keys)
{
    Changes changes;
    changes.deletions = keys;
    const std::optional<qsizetype> before = count();
    if (!before || !commit(changes))
        return std::nullopt;
    const std::optional<qsizetype> after = count();
    if (!after)
        return std::nullopt;
    return int(*before - *after);
}
