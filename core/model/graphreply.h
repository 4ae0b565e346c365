#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

// What went wrong with one Graph request, in the categories the poller acts on.
enum class GraphFailure
{
    None,
    Unauthorized,   // 401: the token is missing, expired or revoked
    Forbidden,      // 403: this account may not read it
    NotFound,       // 404
    Throttled,      // 429, 503, 504: come back later (Retry-After when given)
    HttpError,      // any other non-2xx status
    Timeout,        // no complete reply within the transfer timeout
    Network,        // connection refused, DNS, TLS, reset...
    TooLarge,       // reply over the size cap; aborted
    MalformedReply, // 2xx but the body is not what Graph sends
    Refused,        // never sent: the URL is not on the configured Graph origin
};

QString graphFailureName(GraphFailure failure);

struct GraphReply
{
    QUrl url;
    int httpStatus = 0; // 0 when no HTTP status arrived
    QByteArray body;
    QByteArray location;        // Location header, for 202 replies
    QByteArray contentLocation; // Content-Location header
    GraphFailure failure = GraphFailure::None;
    QString errorCode;    // Graph's error.code when the body carried one
    QString errorMessage; // for people: Graph's error.message or the transport's reason
    std::optional<std::chrono::seconds> retryAfter; // read against the wall clock, for people
    QByteArray retryAfterHeader; // as sent: the poller reads it against its own clock
    QByteArray requestId;        // Graph's request-id for this answer, what support asks for
    QByteArray clientRequestId;  // the client-request-id Graph echoed
    QDateTime graphDate;         // Graph's Date header: the time on Graph's side

    bool ok() const { return failure == GraphFailure::None; }
    // No answer came: the network failed (refused, reset, DNS, TLS) or the reply timed out.
    bool isNoAnswer() const
    {
        return failure == GraphFailure::Network || failure == GraphFailure::Timeout;
    }
    // One line for a status bar or stderr, e.g. "HTTP 404 NotFound: No team found".
    QString describe() const;
};

// How Graph named one answer — its request-id, the client-request-id it echoed, its Date: what
// Microsoft support asks for to find a request in its logs.
struct AnswerIds
{
    QString requestId;
    QString clientRequestId;
    QDateTime graphDate;

    static AnswerIds of(const GraphReply &reply)
    {
        return {QString::fromLatin1(reply.requestId), QString::fromLatin1(reply.clientRequestId),
                reply.graphDate};
    }
    bool isEmpty() const { return requestId.isEmpty() && clientRequestId.isEmpty(); }
};
