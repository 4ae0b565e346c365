#pragma once

// The two examples of "Create teamsAsyncOperation" (shared/spec/000_8836c7ca1f8f460d.txt),
// verbatim: placeholder strings such as "String" for the enums are part of what must be handled.

#include <QByteArray>

inline const QByteArray kSpecRequestBody = R"({
  "@odata.type": "#microsoft.graph.teamsAsyncOperation",
  "operationType": "String",
  "status": "String",
  "lastActionDateTime": "2017-01-01T00:01:48.1123264+03:00",
  "attemptsCount": 13,
  "targetResourceId": "Target Resource Id value",
  "targetResourceLocation": "Target Resource Location value",
  "error": {
    "@odata.type": "microsoft.graph.operationError",
    "code": "Code value",
    "message": "Message value"
  }
})";

inline const QByteArray kSpecResponseBody = R"({
  "@odata.type": "#microsoft.graph.teamsAsyncOperation",
  "id": "477a99c1-99c1-477a-c199-7a47c1997a47",
  "operationType": "String",
  "createdDateTime": "2017-01-01T00:01:25.3917672+03:00",
  "status": "String",
  "lastActionDateTime": "2017-01-01T00:01:48.1123264+03:00",
  "attemptsCount": 13,
  "targetResourceId": "Target Resource Id value",
  "targetResourceLocation": "Target Resource Location value",
  "error": {
    "@odata.type": "microsoft.graph.operationError",
    "code": "Code value",
    "message": "Message value"
  }
})";
