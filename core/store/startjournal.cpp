#include "store/startjournal.h"

#include "store/operationdatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {

const QStringList kStateNames{QStringLiteral("intent"), QStringLiteral("accepted"),
                              QStringLiteral("refused"), QStringLiteral("unknown"),
                              QStringLiteral("notStarted")};

QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant();
}

QDateTime timeOf(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

const QString kColumns =
    QStringLiteral("client_request_id, kind, team_id, path, body, label, sent_at, state, location, "
                   "http_status, request_id, message, answered_at");

} // namespace

QString StartRecord::stateName(State state)
{
    return kStateNames.value(int(state));
}

StartJournal::StartJournal(OperationDatabase &database)
    : m_database(database)
{}

bool StartJournal::recordIntent(const StartRecord &intent)
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("INSERT INTO starts (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, ?, ?)")
                      .arg(kColumns));
    for (const QVariant &value :
         {QVariant(intent.clientRequestId), QVariant(intent.kind), QVariant(intent.teamId),
          QVariant(intent.path), QVariant(intent.body), QVariant(intent.label),
          timeValue(intent.sentAt), QVariant(StartRecord::stateName(StartRecord::State::Intent)),
          QVariant(), QVariant(0), QVariant(), QVariant(), QVariant()})
        query.addBindValue(value);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return true;
}

bool StartJournal::recordAnswer(const StartRecord &answered)
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE starts SET state = ?, location = ?, http_status = ?, "
                                 "request_id = ?, message = ?, answered_at = ? "
                                 "WHERE client_request_id = ?"));
    for (const QVariant &value :
         {QVariant(StartRecord::stateName(answered.state)), QVariant(answered.location),
          QVariant(answered.httpStatus), QVariant(answered.requestId), QVariant(answered.message),
          timeValue(answered.answeredAt), QVariant(answered.clientRequestId)})
        query.addBindValue(value);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    if (query.numRowsAffected() != 1) {
        m_lastError = QStringLiteral("no start with client-request-id %1 in the store")
                          .arg(answered.clientRequestId);
        return false;
    }
    return true;
}

std::optional<StartRecord> StartJournal::find(const QString &clientRequestId)
{
    const auto found = select(QStringLiteral("client_request_id = ?"), clientRequestId);
    if (!found || found->isEmpty())
        return std::nullopt;
    return found->first();
}

std::optional<StartRecord> StartJournal::findByLocation(const QString &location)
{
    const auto found = select(QStringLiteral("location = ?"), location);
    if (!found || found->isEmpty())
        return std::nullopt;
    return found->constLast();
}

std::optional<QHash<QString, StartRecord>> StartJournal::acceptedByLocation()
{
    const auto accepted =
        select(QStringLiteral("state = ?"), StartRecord::stateName(StartRecord::State::Accepted));
    if (!accepted)
        return std::nullopt;
    QHash<QString, StartRecord> byLocation;
    for (const StartRecord &record : *accepted)
        byLocation.insert(record.location, record);
    return byLocation;
}

std::optional<QList<StartRecord>> StartJournal::unresolved()
{
    return select(QStringLiteral("state IN ('intent', 'unknown')"), QVariant());
}

std::optional<QList<StartRecord>> StartJournal::select(const QString &condition,
                                                       const QVariant &value)
{
    QSqlQuery query(m_database.connection());
    query.prepare(
        QStringLiteral("SELECT %1 FROM starts WHERE %2 ORDER BY id").arg(kColumns, condition));
    if (value.isValid())
        query.addBindValue(value);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return std::nullopt;
    }
    QList<StartRecord> records;
    while (query.next()) {
        StartRecord record;
        record.clientRequestId = query.value(0).toString();
        record.kind = query.value(1).toString();
        record.teamId = query.value(2).toString();
        record.path = query.value(3).toString();
        record.body = query.value(4).toByteArray();
        record.label = query.value(5).toString();
        record.sentAt = timeOf(query.value(6));
        // A state this build does not know (a newer TeamsOps) reads as unknown: looked at, never
        // taken as done.
        const qsizetype state = kStateNames.indexOf(query.value(7).toString());
        record.state = state < 0 ? StartRecord::State::Unknown : StartRecord::State(state);
        record.location = query.value(8).toString();
        record.httpStatus = query.value(9).toInt();
        record.requestId = query.value(10).toString();
        record.message = query.value(11).toString();
        record.answeredAt = timeOf(query.value(12));
        records.append(record);
    }
    return records;
}
