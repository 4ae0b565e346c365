#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

class OperationDatabase;

// One request that starts a Teams operation, as the journal keeps it: first its intent, saved
// before the POST leaves, then the answer that replaces it. An intent that never got its answer
// (a crash, a kill, a dropped connection) is a start whose outcome is unknown: it may have
// started, and is resolved by looking at Graph, never by sending it blindly again.
struct StartRecord
{
    enum class State
    {
        Intent,     // saved, sent or about to be; no answer yet
        Accepted,   // Graph took it: `location` names the operation
        Refused,    // Graph answered no: `message` says why
        Unknown,    // no answer arrived: it may or may not have started
        NotStarted, // looked for through the grace period, not found: it may be sent again
        Waiting,    // one of a plan (a bulk clone), saved before anything was sent; not sent yet
    };

    QString clientRequestId; // the UUID the request carries: the journal's key
    QString kind;            // TeamRequest::kindName: "clone", "archive", ...
    QString teamId;          // the team it acts on (a clone's source); empty for a create
    QString path;            // under the Graph base
    QByteArray body;         // the JSON sent
    QString label;           // for people: "Clone of Template as “Project 7”"
    QDateTime sentAt;
    State state = State::Intent;
    QString location; // the answer's Location (accepted)
    int httpStatus = 0;
    QString requestId; // Graph's request-id for the answer
    QString message;   // for people: why it was refused, or why the outcome is unknown
    QDateTime answeredAt;
    QString planId;       // the bulk clone it belongs to, if any
    int planPosition = 0; // its place in the plan (a request sent again keeps it)

    // A start whose outcome nobody knows: never answered, or answered by a lost connection.
    bool isUnresolved() const { return state == State::Intent || state == State::Unknown; }
    // Still to be sent: never sent, or looked for and found not started.
    bool isLeft() const { return state == State::Waiting || state == State::NotStarted; }
    static QString stateName(State state);
};

// The starts table of the store (OperationDatabase's file, schema 2). Each call is one short
// transaction; a failure returns false or nullopt with lastError() set.
class StartJournal
{
public:
    explicit StartJournal(OperationDatabase &database);

    // An intent: a new start, or one of a plan (waiting, or not started) about to be sent. False
    // when that client-request-id was sent already.
    bool recordIntent(const StartRecord &intent);
    // A whole plan, waiting, in one transaction: before its first request is sent.
    bool recordPlan(const QList<StartRecord> &waiting);
    // The plan's starts, the latest of each place, in order.
    std::optional<QList<StartRecord>> planStarts(const QString &planId);
    // The plans, oldest first.
    std::optional<QStringList> planIds();
    // The answer replaces the intent: state, location, status, request-id, message, time.
    bool recordAnswer(const StartRecord &answered);
    std::optional<StartRecord> find(const QString &clientRequestId);
    // The start whose answer named this Location, if TeamsOps sent it.
    std::optional<StartRecord> findByLocation(const QString &location);
    // Every accepted start, by the Location its answer named.
    std::optional<QHash<QString, StartRecord>> acceptedByLocation();
    // Starts whose outcome is unknown, oldest first.
    std::optional<QList<StartRecord>> unresolved();
    // Single starts (of no plan) not finished yet: unknown, or found not started and not sent
    // again. Oldest first.
    std::optional<QList<StartRecord>> singlesToFinish();
    QString lastError() const { return m_lastError; }

private:
    std::optional<QList<StartRecord>> select(const QString &condition, const QVariant &value);

    OperationDatabase &m_database;
    QString m_lastError;
};
