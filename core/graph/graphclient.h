#pragma once

#include "model/clock.h"
#include "model/graphreply.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkAccessManager;
class RequestPacer;
class QNetworkReply;
class QNetworkRequest;

// The only place that talks HTTP to Microsoft Graph. It owns one QNetworkAccessManager, adds the
// bearer token and Graph's headers, enforces a transfer timeout and a reply size cap, and hands
// back typed GraphReply values. Widgets and schedulers never see a QNetworkReply.
class GraphClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphClient)
public:
    using TokenProvider = std::function<QString()>;
    using ReplyHandler = std::function<void(const GraphReply &)>;

    static QUrl defaultBaseUrl()
    {
        return QUrl(QStringLiteral("https://graph.microsoft.com/v1.0"));
    }
    // Empty when the base may be used: HTTPS anywhere, plain HTTP only to a loopback address.
    static QString checkBaseUrl(const QUrl &base);
    static bool isLoopback(const QUrl &url);

    GraphClient(const QUrl &baseUrl, TokenProvider tokenProvider, QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }
    bool talksToLoopback() const { return isLoopback(m_baseUrl); }

    // No byte for this long: the request fails as timed out.
    void setTransferTimeout(std::chrono::milliseconds timeout) { m_transferTimeout = timeout; }
    // The whole reply must have arrived within this long, however it trickles in: a server
    // sending a byte every few seconds must not hold a request (and the CLI) for ever.
    void setReplyDeadline(std::chrono::milliseconds deadline) { m_replyDeadline = deadline; }
    // The clock the reply deadline is measured on; real time when none is set. A harness that
    // moves a ManualClock passes it so that a request never answered times out in simulated
    // time (the transfer timeout above stays Qt's own, on real time).
    void setClock(Clock *clock) { m_clock = clock; }
    void setMaxReplyBytes(qint64 bytes) { m_maxReplyBytes = bytes; }
    qint64 maxReplyBytes() const { return m_maxReplyBytes; }

    // A path relative to the base ("/teams/x") or a full URL. Full URLs on any other origin are
    // refused without being fetched, so the token never leaves the configured host.
    QUrl resolve(const QString &pathOrUrl) const;

    // handler runs once, unless receiver is destroyed first.
    void get(const QUrl &url, QObject *receiver, ReplyHandler handler);
    // The same for a GET that is not a poll and need not go at once (a team's name, a new
    // team's parts): it waits for a place in the polling budget when a pacer is set.
    void getPaced(const QUrl &url, QObject *receiver, ReplyHandler handler);
    void setPacer(RequestPacer *pacer);
    // Requests sent and not answered yet (a $batch counts once).
    int requestsInFlight() const { return m_requestsInFlight; }

    // Up to 20 GETs in one POST /$batch round trip. Each answer is classified like a reply of
    // its own (a sub-response can be throttled or fail on its own); `envelope` is the outcome of
    // the POST itself. Answers are keyed by the ids given.
    struct BatchGet
    {
        QString id;
        QUrl url; // on the base origin; sent relative to the base
    };
    using BatchHandler =
        std::function<void(const GraphReply &envelope, const QHash<QString, GraphReply> &answers)>;
    static constexpr int kMaxBatchSize = 20;
    void getBatch(const QList<BatchGet> &requests, QObject *receiver, BatchHandler handler);

    // Fills in failure, errorCode and errorMessage from httpStatus and body.
    static void classify(GraphReply &reply);
    void post(const QUrl &url, const QJsonObject &body, QObject *receiver, ReplyHandler handler);
    // A POST that starts something (a clone, an archive, a team): it leaves once and no layer
    // below sends it again, even when the connection drops before the answer; it carries
    // `clientRequestId` as Graph's client-request-id.
    void postOnce(const QUrl &url, const QJsonObject &body, const QString &clientRequestId,
                  QObject *receiver, ReplyHandler handler);

private:
    QNetworkRequest makeRequest(const QUrl &url) const;
    void track(QNetworkReply *reply, QObject *receiver, ReplyHandler handler);
    void armDeadline(QNetworkReply *reply);
    bool refuseForeignOrigin(const QUrl &url, QObject *receiver, const ReplyHandler &handler);
    GraphReply toGraphReply(QNetworkReply *reply, bool tooLarge) const;

    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    TokenProvider m_tokenProvider;
    std::chrono::milliseconds m_transferTimeout{std::chrono::seconds(60)};
    std::chrono::milliseconds m_replyDeadline{std::chrono::seconds(120)};
    QPointer<Clock> m_clock;
    QPointer<RequestPacer> m_pacer;
    int m_requestsInFlight = 0;
    qint64 m_maxReplyBytes = 4 * 1024 * 1024;
};
