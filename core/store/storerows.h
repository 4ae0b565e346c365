#pragma once

// How OperationDatabase lays out its rows, shared by its reading (operationdatabaserows.cpp) and
// its writing (operationdatabasewrites.cpp): the columns of `operations` in the order every query
// lists them, the words enum values are stored as (they never change once shipped), and times as
// milliseconds since the epoch (UTC). Internal to core/store.
#include "model/watchedoperation.h"
#include "store/sqldialect.h"

#include <QHash>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <array>
#include <utility>

namespace storerows {

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
    LastRequestId,
    LastClientRequestId,
    LastGraphDate,
    StartedBy,
    StartedOn,
    ColumnCount
};

inline const QString kColumns = QStringLiteral(
    "id, key, team_id, operation_id, url, location, added_at, watch, has_snapshot, snapshot_id, "
    "type, status, created_at, last_action_at, attempts, target_id, target_location, error_code, "
    "error_message, last_reply, next_poll_at, last_sent_at, last_polled_at, last_changed_at, "
    "polls, consecutive_failures, consecutive_not_found, first_not_found_at, last_failure, "
    "last_failure_message, last_request_id, last_client_request_id, last_graph_date, started_by, "
    "started_on");

inline const std::array<std::pair<WatchedOperation::Watch, const char *>, 4> kWatchNames{{
    {WatchedOperation::Watch::Active, "active"},
    {WatchedOperation::Watch::AccessDenied, "accessDenied"},
    {WatchedOperation::Watch::NotFound, "notFound"},
    {WatchedOperation::Watch::Paused, "paused"},
}};

inline const std::array<std::pair<GraphFailure, const char *>, 11> kFailureNames{{
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
inline QString nameOf(const std::array<std::pair<Enum, const char *>, N> &names, Enum value)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == value)
            return QLatin1String(name);
    }
    return QLatin1String(names.front().second);
}

// Unknown words (a damaged row) read as the first value: active, no failure.
template <typename Enum, std::size_t N>
inline Enum valueOf(const std::array<std::pair<Enum, const char *>, N> &names, const QString &text)
{
    for (const auto &[value, name] : names) {
        if (text == QLatin1String(name))
            return value;
    }
    return names.front().first;
}

inline QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch())
                          : QVariant(QMetaType(QMetaType::LongLong));
}

inline QDateTime timeOf(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

inline QVariant text(const QString &value, bool present = true)
{
    return present ? QVariant(value) : QVariant(QMetaType(QMetaType::QString));
}

// One copy of each text that many rows repeat (a status, who started them and on which machine,
// the ids of the list page that answered them): read back, 100 000 rows would otherwise hold
// 100 000 copies of each. One per read: ids repeat within a read, not forever.
class SharedTexts
{
public:
    QString operator()(const QString &text)
    {
        if (text.isEmpty())
            return text;
        const auto found = m_texts.constFind(text);
        if (found != m_texts.cend())
            return *found;
        m_texts.insert(text, text);
        return text;
    }

private:
    QHash<QString, QString> m_texts;
};

inline WatchedOperation operationFrom(const QSqlQuery &row, SharedTexts &shared)
{
    WatchedOperation op;
    op.key = row.value(Key).toString();
    op.ref.teamId = row.value(TeamId).toString();
    op.ref.operationId = row.value(OperationId).toString();
    op.ref.graphBase = graphBaseOfOperationUrl(QUrl(row.value(Url).toString()));
    op.setLocation(row.value(Location).toString());
    op.addedAt = timeOf(row.value(AddedAt));
    op.watch = valueOf(kWatchNames, row.value(Watch).toString());
    if (row.value(HasSnapshot).toBool()) {
        Operation snapshot;
        snapshot.id = row.value(SnapshotId).toString();
        if (snapshot.id == op.ref.operationId)
            snapshot.id = op.ref.operationId;
        snapshot.operationTypeRaw = shared(row.value(Type).toString());
        snapshot.operationType = operationTypeFromString(snapshot.operationTypeRaw);
        snapshot.statusRaw = shared(row.value(Status).toString());
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
    op.lastFailureMessage = shared(row.value(LastFailureMessage).toString());
    op.lastAnswer = {shared(row.value(LastRequestId).toString()),
                     shared(row.value(LastClientRequestId).toString()),
                     timeOf(row.value(LastGraphDate))};
    op.startedBy = shared(row.value(StartedBy).toString());
    op.startedOn = shared(row.value(StartedOn).toString());
    return op;
}

// `rowKey`: the operation's key as the row holds it (with its Graph).
inline void bindOperation(QSqlQuery &query, const WatchedOperation &op, const QString &rowKey)
{
    const std::optional<Operation> &s = op.latest;
    const bool hasError = s && s->error;
    const QVariantList values{
        rowKey,
        op.ref.teamId,
        op.ref.operationId,
        op.ref.url().toString(),
        op.location(),
        msecs(op.addedAt),
        nameOf(kWatchNames, op.watch),
        s.has_value() ? 1 : 0,
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
        op.lastAnswer.requestId,
        op.lastAnswer.clientRequestId,
        msecs(op.lastAnswer.graphDate),
        text(op.startedBy, !op.startedBy.isEmpty()),
        text(op.startedOn, !op.startedOn.isEmpty()),
    };
    Q_ASSERT(values.size() == ColumnCount - 1);
    for (const QVariant &value : values)
        query.addBindValue(value);
}

// Two processes watching one operation both see its changes: a change equal to the last one
// stored for the operation is the same change, seen twice, and is not stored again.
// (Qt's SQLite driver binds plain `?` only, so values used twice are bound twice.)
inline QString insertChange(SqlBackend backend)
{
    const auto p = [backend](const char *type) { return sqldialect::parameter(backend, type); };
    return QStringLiteral("INSERT INTO history (operation_id, seen_at, status, attempts, "
                          "error_code, error_message, target_location, request_id, "
                          "client_request_id, graph_date) SELECT %1, %2, %3, %4, %5, %5, %5, %5, "
                          "%5, %2 WHERE NOT EXISTS (SELECT 1 FROM (SELECT status, attempts, "
                          "error_code, error_message FROM history WHERE operation_id = ? ORDER BY "
                          "id DESC LIMIT 1) AS last WHERE last.status = ? AND last.attempts = ? "
                          "AND last.error_code %6 %5 AND last.error_message %6 %5)")
        .arg(p("bigint"), p("bigint"), p("text"), p("integer"), p("text"),
             sqldialect::isSame(backend));
}

inline void bindChange(QSqlQuery &query, qint64 rowId, const StatusChange &c)
{
    const QVariant code = text(c.error ? c.error->code : QString(), c.error.has_value());
    const QVariant message = text(c.error ? c.error->message : QString(), c.error.has_value());
    for (const QVariant &value :
         {QVariant(rowId), msecs(c.seenAt), QVariant(c.statusRaw), QVariant(c.attemptsCount), code,
          message, QVariant(c.targetResourceLocation), QVariant(c.answer.requestId),
          QVariant(c.answer.clientRequestId), msecs(c.answer.graphDate), QVariant(rowId),
          QVariant(c.statusRaw), QVariant(c.attemptsCount), code, message}) {
        query.addBindValue(value);
    }
}

} // namespace storerows
