#include "graph/graphclient.h"

#include "graph/graphpages.h"
#include "graph/requestpacer.h"

#include "graph/retryafter.h"
#include "model/operationref.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <limits>

namespace {

const char kTooLargeProperty[] = "teamsops_too_large";
const char kPastDeadlineProperty[] = "teamsops_past_deadline";

// Errors of the transport (connection refused or dropped, timeouts, TLS, proxies), as opposed to
// an HTTP status the server sent: when both are there, the transport's is the truth.
bool isTransportError(QNetworkReply::NetworkError error)
{
    return error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied;
}

// A request body that can be read once and never rewound. Qt's HTTP/1 layer sends a request
// again by itself when its connection closes before the first byte of the answer (up to three
// times, POSTs included), after rewinding the body; a body that cannot rewind makes it give up
// with ContentReSendError instead, and nothing more goes on the wire.
class SingleUseBody final : public QIODevice
{
public:
    SingleUseBody(QByteArray data, QObject *parent)
        : QIODevice(parent)
        , m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override
    {
        return m_data.size() - m_read + QIODevice::bytesAvailable();
    }
    bool atEnd() const override { return m_read >= m_data.size() && QIODevice::atEnd(); }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = std::min<qint64>(max, m_data.size() - m_read);
        std::copy_n(m_data.constData() + m_read, n, out);
        m_read += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_read = 0;
};

// Graph's error body: {"error": {"code": "...", "message": "..."}}.
void readGraphError(const QByteArray &body, GraphReply &out)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonObject error = document.object().value(QLatin1String("error")).toObject();
    out.errorCode = error.value(QLatin1String("code")).toString();
    out.errorMessage = error.value(QLatin1String("message")).toString();
    if (out.errorCode.isEmpty() && out.errorMessage.isEmpty() && !body.trimmed().isEmpty() &&
        !document.isObject()) {
        out.errorMessage = QStringLiteral("the reply is not a Graph error (not JSON)");
    }
}

GraphFailure classifyStatus(int status)
{
    if (status >= 200 && status < 300)
        return GraphFailure::None;
    switch (status) {
    case 401:
        return GraphFailure::Unauthorized;
    case 403:
        return GraphFailure::Forbidden;
    case 404:
        return GraphFailure::NotFound;
    case 429:
    case 503:
    case 504:
        return GraphFailure::Throttled;
    default:
        return GraphFailure::HttpError;
    }
}

} // namespace

QString graphFailureName(GraphFailure failure)
{
    switch (failure) {
    case GraphFailure::None:
        return QStringLiteral("ok");
    case GraphFailure::Unauthorized:
        return QStringLiteral("not signed in");
    case GraphFailure::Forbidden:
        return QStringLiteral("access denied");
    case GraphFailure::NotFound:
        return QStringLiteral("not found");
    case GraphFailure::Throttled:
        return QStringLiteral("throttled");
    case GraphFailure::HttpError:
        return QStringLiteral("HTTP error");
    case GraphFailure::Timeout:
        return QStringLiteral("timed out");
    case GraphFailure::Network:
        return QStringLiteral("network error");
    case GraphFailure::TooLarge:
        return QStringLiteral("reply too large");
    case GraphFailure::MalformedReply:
        return QStringLiteral("malformed reply");
    case GraphFailure::Refused:
        return QStringLiteral("refused");
    }
    return QString();
}

QString GraphReply::describe() const
{
    QString text = graphFailureName(failure);
    if (httpStatus != 0)
        text += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    if (!errorCode.isEmpty())
        text += QStringLiteral(": ") + errorCode;
    if (!errorMessage.isEmpty())
        text += (errorCode.isEmpty() ? QStringLiteral(": ") : QStringLiteral(" — ")) + errorMessage;
    if (retryAfter && *retryAfter > kRetryAfterCap) {
        text += QStringLiteral(" (asked to retry after %1 s; waiting %2 s, the most TeamsOps "
                               "waits)")
                    .arg(retryAfter->count())
                    .arg(kRetryAfterCap.count());
    } else if (retryAfter) {
        text += QStringLiteral(" (retry after %1 s)").arg(retryAfter->count());
    }
    return text;
}

bool GraphClient::isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString GraphClient::checkBaseUrl(const QUrl &base)
{
    if (!base.isValid() || base.host().isEmpty())
        return QStringLiteral("Graph URL \"%1\" is not a valid URL").arg(base.toString());
    if (base.scheme() == QLatin1String("https"))
        return QString();
    if (base.scheme() == QLatin1String("http") && isLoopback(base))
        return QString();
    return QStringLiteral("Graph URL \"%1\" must use https (plain http is allowed only to "
                          "127.0.0.1, for the simulator)")
        .arg(base.toString());
}

GraphClient::GraphClient(const QUrl &baseUrl, TokenProvider tokenProvider, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_baseUrl(baseUrl.adjusted(QUrl::StripTrailingSlash))
    , m_tokenProvider(std::move(tokenProvider))
{
    Q_ASSERT_X(checkBaseUrl(m_baseUrl).isEmpty(), "GraphClient", "check the base URL first");
}

QUrl GraphClient::resolve(const QString &pathOrUrl) const
{
    if (pathOrUrl.contains(QLatin1String("://")))
        return QUrl(pathOrUrl);
    const QString path = pathOrUrl.section(QLatin1Char('?'), 0, 0);
    QUrl url =
        urlUnderBase(m_baseUrl, path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path);
    if (pathOrUrl.contains(QLatin1Char('?')))
        url.setQuery(pathOrUrl.section(QLatin1Char('?'), 1));
    return url;
}

QNetworkRequest GraphClient::makeRequest(const QUrl &url) const
{
    QNetworkRequest request(url);
    request.setTransferTimeout(static_cast<int>(m_transferTimeout.count()));
    // Never follow a redirect: it could carry the bearer token to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("Prefer", "include-unknown-enum-members");
    request.setRawHeader("User-Agent", "TeamsOps/0.1");
    // Every request is named, and Graph echoes the name: a poll's ids reach the support bundle.
    request.setRawHeader("client-request-id",
                         QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    request.setRawHeader("return-client-request-id", "true");
    const QString token = m_tokenProvider ? m_tokenProvider() : QString();
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}

bool GraphClient::refuseForeignOrigin(const QUrl &url, QObject *receiver,
                                      const ReplyHandler &handler)
{
    if (url.isValid() && sameOrigin(url, m_baseUrl))
        return false;
    GraphReply refused;
    refused.url = url;
    refused.failure = GraphFailure::Refused;
    refused.errorMessage =
        QStringLiteral("%1 is not on the configured Graph host; the request was not sent")
            .arg(url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo));
    // Deliver asynchronously, like every other reply, so callers see one behaviour.
    QTimer::singleShot(0, receiver, [handler, refused] { handler(refused); });
    return true;
}

void GraphClient::setPacer(RequestPacer *pacer)
{
    m_pacer = pacer;
}

void GraphClient::getPaced(const QUrl &url, QObject *receiver, ReplyHandler handler)
{
    if (!m_pacer) {
        get(url, receiver, std::move(handler));
        return;
    }
    QPointer<QObject> guard(receiver);
    m_pacer->whenFree(url, receiver, [this, url, guard, handler](const QDateTime &sentAt) {
        if (!guard)
            return;
        get(url, guard, [this, url, sentAt, handler](const GraphReply &reply) {
            if (reply.failure == GraphFailure::Throttled && m_pacer)
                m_pacer->throttled(url, sentAt);
            handler(reply);
        });
    });
}

void GraphClient::get(const QUrl &url, QObject *receiver, ReplyHandler handler)
{
    if (refuseForeignOrigin(url, receiver, handler))
        return;
    track(m_network->get(makeRequest(url)), receiver, std::move(handler));
}

void GraphClient::post(const QUrl &url, const QJsonObject &body, QObject *receiver,
                       ReplyHandler handler)
{
    if (refuseForeignOrigin(url, receiver, handler))
        return;
    QNetworkRequest request = makeRequest(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    track(m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)), receiver,
          std::move(handler));
}

void GraphClient::postOnce(const QUrl &url, const QJsonObject &body, const QString &clientRequestId,
                           QObject *receiver, ReplyHandler handler)
{
    if (refuseForeignOrigin(url, receiver, handler))
        return;
    QNetworkRequest request = makeRequest(url);
    // Always a body ("{}" at least): without one, Qt has nothing that refuses to be sent again.
    const QByteArray data = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setHeader(QNetworkRequest::ContentLengthHeader, data.size());
    request.setRawHeader("client-request-id", clientRequestId.toLatin1());
    request.setRawHeader("return-client-request-id", "true");
    // Streamed from the single-use body, not copied into a buffer QNAM could rewind.
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    // HTTP/1.1 only: HTTP/2 (Qt's default over TLS) handles a lost connection on another path,
    // which the simulator cannot serve; a start request is rare enough not to need it.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    auto *device = new SingleUseBody(data, nullptr);
    QNetworkReply *reply = m_network->post(request, device);
    device->setParent(reply);
    track(reply, receiver, std::move(handler));
}

void GraphClient::track(QNetworkReply *reply, QObject *receiver, ReplyHandler handler)
{
    const qint64 cap = m_maxReplyBytes;
    auto abortIfTooLarge = [reply, cap](qint64 received, qint64 total) {
        if (received > cap || total > cap) {
            reply->setProperty(kTooLargeProperty, true);
            reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, abortIfTooLarge] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid())
            abortIfTooLarge(0, length.toLongLong());
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, abortIfTooLarge);
    armDeadline(reply);

    QPointer<QObject> guard(receiver);
    ++m_requestsInFlight;
    connect(reply, &QNetworkReply::finished, this, [this, reply, guard, handler] {
        --m_requestsInFlight;
        reply->deleteLater();
        const GraphReply result = toGraphReply(reply, reply->property(kTooLargeProperty).toBool());
        if (guard)
            handler(result);
    });
}

void GraphClient::armDeadline(QNetworkReply *reply)
{
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    const auto abortUnfinished = [reply] {
        if (reply->isFinished())
            return;
        reply->setProperty(kPastDeadlineProperty, true);
        reply->abort();
    };
    const qint64 span = m_replyDeadline.count();
    if (!m_clock) {
        connect(timer, &QTimer::timeout, reply, abortUnfinished);
        timer->start(static_cast<int>(span));
        return;
    }
    // On a clock of its own, the deadline is checked when the real timer fires (a system
    // clock's time) and whenever the clock is moved by hand (a manual clock's).
    const QPointer<Clock> clock = m_clock;
    const QDateTime due = clock->now().addMSecs(span);
    const auto check = [timer, clock, due, abortUnfinished] {
        const qint64 left = clock ? clock->now().msecsTo(due) : 0;
        if (left <= 0)
            abortUnfinished();
        else
            timer->start(static_cast<int>(std::min<qint64>(left, std::numeric_limits<int>::max())));
    };
    connect(timer, &QTimer::timeout, reply, check);
    // Queued: an abort delivers the reply, which must not run inside the mover's advance().
    connect(clock, &Clock::jumped, reply, check, Qt::QueuedConnection);
    timer->start(static_cast<int>(span));
}

GraphReply GraphClient::toGraphReply(QNetworkReply *reply, bool tooLarge) const
{
    GraphReply out;
    out.url = reply->url();
    out.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.location = reply->rawHeader("Location");
    out.contentLocation = reply->rawHeader("Content-Location");
    out.retryAfterHeader = reply->rawHeader("Retry-After");
    out.requestId = reply->rawHeader("request-id");
    out.clientRequestId = reply->rawHeader("client-request-id");
    out.graphDate = parseHttpDate(reply->rawHeader("Date"));
    out.retryAfter = parseRetryAfter(out.retryAfterHeader, QDateTime::currentDateTimeUtc());
    if (tooLarge) {
        out.failure = GraphFailure::TooLarge;
        out.errorMessage = QStringLiteral("the reply was larger than %1 bytes and was dropped")
                               .arg(m_maxReplyBytes);
        return out;
    }
    if (reply->property(kPastDeadlineProperty).toBool()) {
        out.failure = GraphFailure::Timeout;
        out.errorMessage = QStringLiteral("no complete reply within %1 s")
                               .arg(double(m_replyDeadline.count()) / 1000.0);
        return out;
    }
    // A status line followed by a stall or a dropped connection is a transport failure, not a
    // malformed reply with that status; and an aborted reply has nothing left to read.
    if (out.httpStatus == 0 || isTransportError(reply->error())) {
        const bool timedOut = reply->error() == QNetworkReply::TimeoutError ||
                              reply->error() == QNetworkReply::OperationCanceledError;
        out.failure = timedOut ? GraphFailure::Timeout : GraphFailure::Network;
        out.errorMessage =
            timedOut
                ? QStringLiteral("no reply within %1 s").arg(m_transferTimeout.count() / 1000.0)
            : reply->error() == QNetworkReply::ContentReSendError
                ? QStringLiteral("the connection closed before Graph answered")
                : reply->errorString();
        if (out.httpStatus != 0)
            out.errorMessage += QStringLiteral(" (after HTTP %1 had begun)").arg(out.httpStatus);
        return out;
    }
    out.body = reply->isOpen() ? reply->readAll() : QByteArray();
    classify(out);
    return out;
}

void GraphClient::classify(GraphReply &reply)
{
    reply.failure = classifyStatus(reply.httpStatus);
    if (reply.failure != GraphFailure::None)
        readGraphError(reply.body, reply);
}

void GraphClient::getBatch(const QList<BatchGet> &requests, QObject *receiver, BatchHandler handler)
{
    Q_ASSERT(!requests.isEmpty() && requests.size() <= kMaxBatchSize);
    const QString basePath = m_baseUrl.path();
    QJsonArray items;
    QHash<QString, QUrl> urlById;
    for (const BatchGet &request : requests) {
        // Sub-request URLs are relative to the version root, e.g. "/teams/x/operations/y".
        QString relative = request.url.path(QUrl::FullyEncoded).mid(basePath.size());
        if (request.url.hasQuery())
            relative += QLatin1Char('?') + request.url.query(QUrl::FullyEncoded);
        items.append(QJsonObject{
            {QStringLiteral("id"), request.id},
            {QStringLiteral("method"), QStringLiteral("GET")},
            {QStringLiteral("url"), relative},
            {QStringLiteral("headers"),
             QJsonObject{{QStringLiteral("Prefer"), QStringLiteral("include-unknown-enum-members")},
                         {QStringLiteral("client-request-id"),
                          QUuid::createUuid().toString(QUuid::WithoutBraces)}}},
        });
        urlById.insert(request.id, request.url);
    }
    post(urlUnderBase(m_baseUrl, QStringLiteral("/$batch")),
         QJsonObject{{QStringLiteral("requests"), items}}, receiver,
         [handler, urlById](const GraphReply &envelope) {
             QHash<QString, GraphReply> answers;
             if (!envelope.ok()) {
                 handler(envelope, answers);
                 return;
             }
             answers = readBatchAnswers(envelope.body, urlById, QDateTime::currentDateTimeUtc());
             // What a sub-answer does not say of itself, the batch that carried it does.
             for (GraphReply &answer : answers) {
                 if (answer.requestId.isEmpty())
                     answer.requestId = envelope.requestId;
                 if (answer.clientRequestId.isEmpty())
                     answer.clientRequestId = envelope.clientRequestId;
                 if (!answer.graphDate.isValid())
                     answer.graphDate = envelope.graphDate;
             }
             handler(envelope, answers);
         });
}
