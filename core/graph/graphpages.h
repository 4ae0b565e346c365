#pragma once

#include "model/graphreply.h"
#include "model/operation.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QUrl>

// Reading the two kinds of Graph reply that carry many answers at once. Plain functions of the
// bytes received, so that they are fuzzed as they run (fuzz/).

// The answers inside a $batch reply, by request id, for the ids in `urlById` (anything else in
// the reply is ignored); a request the reply leaves unanswered gets a MalformedReply answer.
// Retry-After values are read against `now`, for people; the poller reads the raw header.
QHash<QString, GraphReply>
readBatchAnswers(const QByteArray &body, const QHash<QString, QUrl> &urlById, const QDateTime &now);

// One page of a team's operation list (GET /teams/{id}/operations).
struct OperationListPage
{
    struct Entry
    {
        Operation operation;
        QByteArray json; // the entry as received, compact
    };
    bool readable = false; // a JSON object with a "value" array
    QList<Entry> entries;  // the entries that are operations; others are skipped
    QUrl nextLink;         // @odata.nextLink, when there is one
};
OperationListPage readOperationListPage(const QByteArray &body);
