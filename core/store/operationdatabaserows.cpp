// Reading the rows of the store: one row per watched operation, one per observed change, the
// poll pace as JSON, and what other processes changed or forgot since a version. The layout is in
// storerows.h; writing is in operationdatabasewrites.cpp.
#include "store/operationdatabase.h"
#include "store/storerows.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <array>
#include <utility>

using namespace storerows;

std::optional<QList<OperationDatabase::Stored>> OperationDatabase::loadAll()
{
    return loadWhere(inGraph(), graphBounds());
}

std::optional<OperationDatabase::Stored> OperationDatabase::load(const QString &key)
{
    const auto found = loadWhere(keyIs(), {keyValue(key)});
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
    SharedTexts shared;
    while (query.next()) {
        stored.emplaceBack(Stored{query.value(RowId).toLongLong(), operationFrom(query, shared)});
        stored.last().operation.key = keyOf(stored.last().operation.key);
    }
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
                                 "error_message, target_location, request_id, client_request_id, "
                                 "graph_date FROM history WHERE operation_id "
                                 "IN (SELECT id FROM operations WHERE %1) ORDER BY operation_id, "
                                 "id")
                      .arg(condition));
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return fail(QStringLiteral("reading history"), query.lastError().text());
    qsizetype index = 0;
    SharedTexts shared;
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
        change.statusRaw = shared(query.value(2).toString());
        change.status = operationStatusFromString(change.statusRaw);
        change.attemptsCount = query.value(3).toInt();
        if (!query.value(4).isNull())
            change.error = OperationError{query.value(4).toString(), query.value(5).toString()};
        change.targetResourceLocation = query.value(6).toString();
        change.answer = {shared(query.value(7).toString()), shared(query.value(8).toString()),
                         timeOf(query.value(9))};
        stored[index].operation.history.append(std::move(change));
    }
    return true;
}

std::optional<QList<OperationDatabase::Stored>> OperationDatabase::loadKeys(const QStringList &keys)
{
    QList<Stored> all;
    // A few at a time: SQLite takes a bounded number of parameters.
    for (qsizetype from = 0; from < keys.size(); from += 500) {
        QStringList conditions;
        QVariantList values;
        for (const QString &key : keys.mid(from, 500)) {
            conditions.append(keyIs());
            values.append(keyValue(key));
        }
        const auto found = loadWhere(
            QLatin1Char('(') + conditions.join(QStringLiteral(" OR ")) + QLatin1Char(')'), values);
        if (!found)
            return std::nullopt;
        all.append(*found);
    }
    return all;
}

bool OperationDatabase::forEach(const std::function<void(const WatchedOperation &)> &each)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT %1 FROM operations WHERE %2 ORDER BY id").arg(kColumns, inGraph()));
    for (const QVariant &bound : graphBounds())
        query.addBindValue(bound);
    if (!query.exec())
        return fail(QStringLiteral("reading operations"), query.lastError().text());
    SharedTexts shared;
    while (query.next()) {
        WatchedOperation op = operationFrom(query, shared);
        op.key = keyOf(op.key);
        each(op);
    }
    return true;
}

std::optional<qint64> OperationDatabase::version()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT CAST(value AS BIGINT) FROM state WHERE name = "
                                   "'version'"))) {
        fail(QStringLiteral("reading the version"), query.lastError().text());
        return std::nullopt;
    }
    return query.next() ? query.value(0).toLongLong() : 0;
}

std::optional<QList<OperationDatabase::ChangedRow>> OperationDatabase::changedSince(qint64 version)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT key, id, watch, version FROM operations WHERE version > "
                                 "? AND %1 ORDER BY version, id")
                      .arg(inGraph()));
    query.addBindValue(version);
    for (const QVariant &bound : graphBounds())
        query.addBindValue(bound);
    if (!query.exec()) {
        fail(QStringLiteral("reading changes"), query.lastError().text());
        return std::nullopt;
    }
    QList<ChangedRow> rows;
    while (query.next()) {
        rows.append({keyOf(query.value(0).toString()), query.value(1).toLongLong(),
                     valueOf(kWatchNames, query.value(2).toString()), query.value(3).toLongLong()});
    }
    return rows;
}

std::optional<QStringList> OperationDatabase::forgottenSince(qint64 version)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT key FROM forgotten WHERE version > ? AND ") + inGraph());
    query.addBindValue(version);
    for (const QVariant &bound : graphBounds())
        query.addBindValue(bound);
    if (!query.exec()) {
        fail(QStringLiteral("reading what was forgotten"), query.lastError().text());
        return std::nullopt;
    }
    QStringList keys;
    while (query.next())
        keys.append(keyOf(query.value(0).toString()));
    return keys;
}

std::optional<QStringList> OperationDatabase::keys()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT key FROM operations WHERE ") + inGraph());
    for (const QVariant &bound : graphBounds())
        query.addBindValue(bound);
    if (!query.exec()) {
        fail(QStringLiteral("reading keys"), query.lastError().text());
        return std::nullopt;
    }
    QStringList keys;
    while (query.next())
        keys.append(keyOf(query.value(0).toString()));
    return keys;
}

std::optional<qsizetype> OperationDatabase::count()
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT count(*) FROM operations WHERE ") + inGraph());
    for (const QVariant &bound : graphBounds())
        query.addBindValue(bound);
    if (!query.exec() || !query.next()) {
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
    // A server has no data_version: the store's own commit version tells the same, for one
    // small read (this process's own commits included, which the caller reads again harmlessly).
    if (m_backend == SqlBackend::PostgreSQL)
        return ensureConnected() ? version() : std::nullopt;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next()) {
        fail(QStringLiteral("data_version"), query.lastError().text());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

std::optional<QList<OperationDatabase::Decision>> OperationDatabase::decisionsOf(const QString &key)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT action, decided_by, decided_on, decided_at FROM decisions "
                                 "WHERE %1 ORDER BY id")
                      .arg(keyIs()));
    query.addBindValue(keyValue(key));
    if (!query.exec()) {
        fail(QStringLiteral("reading decisions"), query.lastError().text());
        return std::nullopt;
    }
    QList<Decision> decisions;
    while (query.next()) {
        decisions.append({query.value(0).toString(), query.value(1).toString(),
                          query.value(2).toString(), timeOf(query.value(3))});
    }
    return decisions;
}
