#pragma once

#include <QDateTime>
#include <QObject>
#include <QUrl>

#include <functional>

// Paces the GETs that are not polls (the name of a team an operation produced, the channels of a
// new clone) inside the budget the poller keeps for the tenant and each team, so that adding
// hundreds of operations at once never takes TeamsOps over Graph's limits. GraphClient::getPaced
// goes through it; OperationPoller provides it (PacedRequests).
class RequestPacer : public QObject
{
public:
    using QObject::QObject;

    // Runs `send` with the time it is sent at, once a place is free for a request to `url`;
    // never, if `receiver` is destroyed first.
    virtual void whenFree(const QUrl &url, QObject *receiver,
                          std::function<void(const QDateTime &sentAt)> send) = 0;
    // A request sent at `sentAt` was answered 429: slow down as for a throttled poll.
    virtual void throttled(const QUrl &url, const QDateTime &sentAt) = 0;
};
