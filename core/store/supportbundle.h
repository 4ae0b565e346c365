#pragma once

#include "model/watchedoperation.h"
#include "store/startjournal.h"

#include <QByteArray>
#include <QDateTime>
#include <QUrl>

#include <optional>

// What Microsoft support asks for about one operation, as one JSON document: the operation as
// Graph last described it (its raw reply too), its timeline of changes, how it was polled, how
// Graph named the answer behind each change and the last one (request-id, client-request-id,
// Graph's Date; a poll inside a $batch is named by the batch when Graph does not name it), and,
// when TeamsOps started it, the start request's client-request-id, Graph's request-id and the
// times on both sides. Built only from what the store keeps: it holds no token, secret or header.
QByteArray supportBundle(const WatchedOperation &operation, const std::optional<StartRecord> &start,
                         const QUrl &graphUrl, const QDateTime &now);
