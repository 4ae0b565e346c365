#include "store/startjournal.h"

#include "store/operationdatabase.h"

#include <QMap>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {

const QStringList kStateNames{QStringLiteral("intent"),     QStringLiteral("accepted"),
                              QStringLiteral("refused"),    QStringLiteral("unknown"),
                              QStringLiteral("notStarted"), QStringLiteral("waiting")};

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
                   "http_status, request_id, message, answered_at, plan_id, plan_position");

QList<QVariant> valuesOf(const StartRecord &start, StartRecord::State state)
{
    return {QVariant(start.clientRequestId),
            QVariant(start.kind),
            QVariant(start.teamId),
            QVariant(start.path),
            QVariant(start.body),
            QVariant(start.label),
            timeValue(start.sentAt.isValid() ? start.sentAt : QDateTime::fromMSecsSinceEpoch(0)),
            QVariant(StartRecord::stateName(state)),
            QVariant(),
            QVariant(0),
            QVariant(),
            QVariant(),
            QVariant(),
            start.planId.isEmpty() ? QVariant() : QVariant(start.planId),
            QVariant(start.planPosition)};
}

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
    // One of a plan is already there, waiting: it becomes the intent. Anything else already
    // there under this id was sent: not again.
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("INSERT INTO starts (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, ?, ?, ?, ?) ON CONFLICT(client_request_id) DO UPDATE SET "
                                 "state = excluded.state, sent_at = excluded.sent_at "
                                 "WHERE starts.state IN ('waiting', 'notStarted')")
                      .arg(kColumns));
    for (const QVariant &value : valuesOf(intent, StartRecord::State::Intent))
        query.addBindValue(value);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    if (query.numRowsAffected() != 1) {
        m_lastError = QStringLiteral("the start %1 was sent already").arg(intent.clientRequestId);
        return false;
    }
    return true;
}

bool StartJournal::recordPlan(const QList<StartRecord> &waiting)
{
    QSqlDatabase db = m_database.connection();
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        return false;
    }
    for (const StartRecord &start : waiting) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO starts (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                     "?, ?, ?, ?, ?, ?)")
                          .arg(kColumns));
        for (const QVariant &value : valuesOf(start, StartRecord::State::Waiting))
            query.addBindValue(value);
        if (!query.exec()) {
            m_lastError = query.lastError().text();
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        m_lastError = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

std::optional<QList<StartRecord>> StartJournal::planStarts(const QString &planId)
{
    const auto all = select(QStringLiteral("plan_id = ?"), planId);
    if (!all)
        return std::nullopt;
    // The latest of each place: a request sent again after a refusal is a row of its own.
    QMap<int, StartRecord> latest;
    for (const StartRecord &start : *all)
        latest.insert(start.planPosition, start);
    return latest.values();
}

std::optional<QStringList> StartJournal::planIds()
{
    QSqlQuery query(m_database.connection());
    if (!query.exec(QStringLiteral("SELECT plan_id FROM starts WHERE plan_id IS NOT NULL "
                                   "GROUP BY plan_id ORDER BY min(id)"))) {
        m_lastError = query.lastError().text();
        return std::nullopt;
    }
    QStringList ids;
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
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

std::optional<QList<StartRecord>> StartJournal::singlesToFinish()
{
    return select(QStringLiteral("state IN ('intent', 'unknown', 'notStarted') AND "
                                 "(plan_id IS NULL OR plan_id = '')"),
                  QVariant());
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
        record.planId = query.value(13).toString();
        record.planPosition = query.value(14).toInt();
        records.append(record);
    }
    return records;
}
