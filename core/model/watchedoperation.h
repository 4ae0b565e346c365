#pragma once

#include "model/graphreply.h"
#include "model/operation.h"
#include "model/operationref.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// One observed change of an operation, for its history.
struct StatusChange
{
    QDateTime seenAt;
    QString statusRaw;
    OperationStatus status = OperationStatus::Unrecognized;
    int attemptsCount = 0;
    std::optional<OperationError> error;
    QString targetResourceLocation;
    AnswerIds answer; // the answer that showed it
};

// Everything known of one watched operation: what it is, what Graph last said of it, its history,
// and the state the poller schedules it by. Records live in an OperationStore and change only
// through it, so whoever shows them is told of every change.
struct WatchedOperation
{
    // Whether the operation is still polled. AccessDenied and NotFound stop it until a retry;
    // Paused is the admin's choice (stop watching), undone by resuming.
    enum class Watch
    {
        Active,
        AccessDenied,
        NotFound,
        Paused
    };

    OperationRef ref;
    QString key; // ref.key(), computed once (sorting and lookups ask for it constantly)
    // The Location as the user gave it (set once ref is).
    QString location() const { return givenLocation.isEmpty() ? ref.location() : givenLocation; }
    void setLocation(const QString &text)
    {
        givenLocation = text == ref.location() ? QString() : text;
    }
    // Kept only when it is not Graph's own shape, ref.location(): it nearly always is, and a copy
    // apiece cost 200 bytes per watched operation.
    QString givenLocation;
    std::optional<Operation> latest;
    QDateTime addedAt; // when it was first watched
    // Who first watched it, and on which machine: the signed-in account that started it, or
    // kPasted (a Location given by a person) or kCli (teamsops-cli); kept as first written.
    QString startedBy;
    QString startedOn;
    static constexpr const char *kPasted = "pasted";
    static constexpr const char *kCli = "CLI";
    QDateTime nextPollAt;      // not polled before this
    QDateTime lastSentAt;      // when the last poll went out
    QDateTime lastPolledAt;    // when the last answer arrived
    QDateTime lastChangedAt;   // when status, attempts or error last changed
    QDateTime firstNotFoundAt; // when the first of the 404s in a row came
    QString lastFailureMessage;
    // The small fields together: 100 000 records pay for every byte of padding between them.
    int polls = 0;
    int consecutiveFailures = 0;
    int consecutiveNotFound = 0;
    Watch watch = Watch::Active;
    GraphFailure lastFailure = GraphFailure::None;
    bool inFlight = false;
    bool missingFromList = false; // the team's list did not include it: ask for it directly
    bool pollRequested = false;   // "Poll now": goes out as soon as the floor allows
    bool startedHere = false;     // TeamsOps sent the request that started it (not kept on disk)
    // The start request TeamsOps sent for it: its client-request-id, and Graph's request-id for
    // the answer; what Microsoft support asks for. Kept in the store's journal of starts
    // (StartJournal), not with the operation's row: filled in from there when the row is added.
    QString startClientRequestId;
    QString startRequestId;
    QByteArray lastReply;        // the operation's JSON as last received
    AnswerIds lastAnswer;        // how Graph named that answer
    QList<StatusChange> history; // every observed change, oldest first

    bool isTerminal() const { return latest && latest->isTerminal(); }
    bool isPolled() const { return watch == Watch::Active && !isTerminal(); }
};
