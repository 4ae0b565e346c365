#include "graph/graphpages.h"

#include "graph/graphclient.h"
#include "graph/retryafter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

QHash<QString, GraphReply>
readBatchAnswers(const QByteArray &body, const QHash<QString, QUrl> &urlById, const QDateTime &now)
{
    QHash<QString, GraphReply> answers;
    const QJsonArray responses =
        QJsonDocument::fromJson(body).object().value(QLatin1String("responses")).toArray();
    for (const QJsonValue &value : responses) {
        const QJsonObject response = value.toObject();
        const QString id = response.value(QLatin1String("id")).toString();
        if (!urlById.contains(id))
            continue;
        GraphReply answer;
        answer.url = urlById.value(id);
        answer.httpStatus = response.value(QLatin1String("status")).toInt();
        const QJsonValue answerBody = response.value(QLatin1String("body"));
        answer.body = answerBody.isObject()
                          ? QJsonDocument(answerBody.toObject()).toJson(QJsonDocument::Compact)
                          : QByteArray::fromBase64(answerBody.toString().toLatin1());
        const QJsonObject headers = response.value(QLatin1String("headers")).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            const auto is = [&it](const char *name) {
                return it.key().compare(QLatin1String(name), Qt::CaseInsensitive) == 0;
            };
            if (is("request-id"))
                answer.requestId = it.value().toString().toLatin1();
            else if (is("client-request-id"))
                answer.clientRequestId = it.value().toString().toLatin1();
            else if (is("Date"))
                answer.graphDate = parseHttpDate(it.value().toString().toLatin1());
            if (!is("Retry-After"))
                continue;
            // A number in JSON or a string: keep the text either way.
            answer.retryAfterHeader =
                it.value().isDouble()
                    ? QByteArray::number(qint64(std::clamp(it.value().toDouble(), -1e15, 1e15)))
                    : it.value().toString().toLatin1();
            answer.retryAfter = parseRetryAfter(answer.retryAfterHeader, now);
        }
        GraphClient::classify(answer);
        answers.insert(id, answer);
    }
    for (auto it = urlById.cbegin(); it != urlById.cend(); ++it) {
        if (answers.contains(it.key()))
            continue;
        GraphReply missing;
        missing.url = it.value();
        missing.failure = GraphFailure::MalformedReply;
        missing.errorMessage = QStringLiteral("the $batch reply had no answer for it");
        answers.insert(it.key(), missing);
    }
    return answers;
}

OperationListPage readOperationListPage(const QByteArray &body)
{
    OperationListPage page;
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue values = object.value(QLatin1String("value"));
    page.readable = values.isArray();
    if (!page.readable)
        return page;
    for (const QJsonValue &value : values.toArray()) {
        const OperationParseResult parsed = parseOperation(value.toObject());
        if (!parsed.operation)
            continue;
        QByteArray json = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        json.squeeze(); // kept with the operation: toJson leaves a third more room than it needs
        page.entries.append({*parsed.operation, json});
    }
    const QString next = object.value(QLatin1String("@odata.nextLink")).toString();
    if (!next.isEmpty())
        page.nextLink = QUrl(next);
    return page;
}
