#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// One snapshot of a Microsoft Graph teamsAsyncOperation, as parsed from a reply.
// The raw strings of the two enums are kept beside the parsed values: Graph adds values over time
// (and once sent "running"), so anything unknown is shown as sent and treated as not terminal.

enum class OperationStatus
{
    Invalid,
    NotStarted,
    InProgress,
    Succeeded,
    Failed,
    UnknownFutureValue,
    Unrecognized, // a string this build does not know (e.g. "running", "String", a future value)
};

enum class OperationType
{
    Invalid,
    CloneTeam,
    ArchiveTeam,
    UnarchiveTeam,
    CreateTeam,
    UnknownFutureValue,
    TeamifyGroup,
    CreateChannel,
    ArchiveChannel,
    UnarchiveChannel,
    CreateChat,
    Unrecognized,
};

struct OperationError
{
    QString code;
    QString message;
    friend bool operator==(const OperationError &a, const OperationError &b)
    {
        return a.code == b.code && a.message == b.message;
    }
    friend bool operator!=(const OperationError &a, const OperationError &b) { return !(a == b); }
};

struct Operation
{
    QString id;
    QString operationTypeRaw;
    QString statusRaw;
    OperationType operationType = OperationType::Unrecognized;
    OperationStatus status = OperationStatus::Unrecognized;
    int attemptsCount = 0;
    QDateTime createdDateTime;
    QDateTime lastActionDateTime;
    QString targetResourceId;
    QString targetResourceLocation;
    std::optional<OperationError> error;

    bool isTerminal() const
    {
        return status == OperationStatus::Succeeded || status == OperationStatus::Failed;
    }
};

struct OperationParseResult
{
    std::optional<Operation> operation;
    QString error; // names the offending field; empty when operation is set
};

OperationParseResult parseOperation(const QByteArray &json);
OperationParseResult parseOperation(const QJsonObject &object);

OperationStatus operationStatusFromString(const QString &raw);
// The statuses that end an operation (Operation::isTerminal), lower-cased: for SQL that must
// agree with it.
QStringList finishedStatusNames();
OperationType operationTypeFromString(const QString &raw);
