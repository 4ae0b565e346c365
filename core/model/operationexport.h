#pragma once

#include <QByteArray>
#include <QList>

struct WatchedOperation;

// The rows the admin sees, for a spreadsheet or a script. Both carry the same fields: location,
// id, teamId, operationType, status, attemptsCount, errorCode, errorMessage, createdDateTime,
// lastActionDateTime, targetResourceLocation (raw values, timestamps in UTC ISO 8601).
QByteArray operationsToCsv(const QList<const WatchedOperation *> &operations);
QByteArray operationsToJson(const QList<const WatchedOperation *> &operations);
