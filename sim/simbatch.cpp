// POST /$batch: up to 20 requests in one round trip, each answered (and throttled) on its own.
#include "simserver.h"
#include "simtenant.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <algorithm>

SimReply SimServer::handleBatch(const QUrl &url, const QHash<QByteArray, QByteArray> &headers,
                                const QByteArray &body)
{
    SimRequestRecord envelope;
    envelope.method = "POST";
    envelope.path = url.path(QUrl::FullyDecoded);
    envelope.client = clientOf(headers);
    envelope.authorized = envelope.client >= 0;
    envelope.at = arrivalTime();
    envelope.clientRequestId = headers.value("client-request-id");
    envelope.requestId =
        QUuid::createUuid().toByteArray(QUuid::WithoutBraces); // kept before its sub-requests

    const QJsonArray requests =
        QJsonDocument::fromJson(body).object().value(QLatin1String("requests")).toArray();
    // The batch itself may be refused before any of its requests is looked at.
    std::optional<SimReply> refused;
    std::optional<SimFault> envelopeFault; // one that alters the batch's own answer
    int delayMs = 0;
    if (!envelope.authorized) {
        refused = unauthorized(headers);
    } else if (std::optional<SimReply> fault =
                   faultFor(QByteArrayLiteral("POST"), url, envelopeFault, delayMs)) {
        refused = fault;
    } else if (requests.isEmpty() || requests.size() > 20) {
        refused = SimReply::graphError(
            400, QStringLiteral("BadRequest"),
            requests.isEmpty() ? QStringLiteral("The batch request has no requests.")
                               : QStringLiteral("The number of batch requests exceeds 20."));
    }
    if (refused) {
        nameAnswer(*refused, envelope);
        envelope.status = refused->status;
        keep(envelope);
        refused->delayMs += delayMs;
        return *refused;
    }
    envelope.status = 200;
    keep(envelope);

    // The version of the batch URL applies to its relative sub-request URLs.
    const QString versionRoot = url.path().section(QLatin1Char('/'), 0, -2);
    QJsonArray responses;
    bool held = false;
    for (const QJsonValue &value : requests) {
        const QJsonObject request = value.toObject();
        QString relative = request.value(QLatin1String("url")).toString();
        if (!relative.startsWith(QLatin1Char('/')))
            relative.prepend(QLatin1Char('/'));
        QUrl subUrl = url;
        subUrl.setPath(versionRoot + relative.section(QLatin1Char('?'), 0, 0));
        subUrl.setQuery(relative.section(QLatin1Char('?'), 1));
        QHash<QByteArray, QByteArray> subHeaders = headers; // the batch's token applies
        const QJsonObject own = request.value(QLatin1String("headers")).toObject();
        for (auto it = own.begin(); it != own.end(); ++it)
            subHeaders.insert(it.key().toLower().toLatin1(), it.value().toString().toLatin1());
        const SimReply sub = handleOne(
            request.value(QLatin1String("method")).toString(QStringLiteral("GET")).toLatin1(),
            subUrl, subHeaders,
            QJsonDocument(request.value(QLatin1String("body")).toObject()).toJson(), true);
        // Graph answers a batch once every request in it is answered: one never answered holds
        // the whole batch.
        held = held || sub.hang;

        QJsonObject subHeadersJson;
        for (const auto &[name, value] : sub.headers)
            subHeadersJson.insert(QString::fromLatin1(name), QString::fromLatin1(value));
        QJsonParseError parseError;
        const QJsonDocument json = QJsonDocument::fromJson(sub.body, &parseError);
        QJsonObject response{{QStringLiteral("id"), request.value(QLatin1String("id"))},
                             {QStringLiteral("status"), sub.status},
                             {QStringLiteral("headers"), subHeadersJson}};
        if (!sub.body.isEmpty()) {
            // JSON bodies are inlined; anything else travels base64-encoded, as Graph does.
            response.insert(QStringLiteral("body"),
                            parseError.error == QJsonParseError::NoError && json.isObject()
                                ? QJsonValue(json.object())
                                : QJsonValue(QString::fromLatin1(sub.body.toBase64())));
        }
        responses.append(response);
    }
    // Graph answers in any order; so does the simulator (reversed, which is deterministic).
    QJsonArray shuffled;
    for (qsizetype i = responses.size() - 1; i >= 0; --i)
        shuffled.append(responses.at(i));
    SimReply reply = SimReply::json(200, QJsonObject{{QStringLiteral("responses"), shuffled}});
    nameAnswer(reply, envelope);
    if (envelopeFault)
        SimFaults::alter(*envelopeFault, url, reply); // a batch cut short, or never answered
    reply.hang = reply.hang || held;
    reply.delayMs += delayMs;
    return reply;
}
