#include "simreply.h"

#include <QDateTime>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QUuid>

SimReply SimReply::json(int status, const QJsonObject &body)
{
    SimReply reply;
    reply.status = status;
    reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    reply.headers.append(
        qMakePair(QByteArray("Content-Type"),
                  QByteArray("application/json; odata.metadata=minimal; charset=utf-8")));
    return reply;
}

SimReply SimReply::empty(int status)
{
    SimReply reply;
    reply.status = status;
    return reply;
}

SimReply SimReply::graphError(int status, const QString &code, const QString &message)
{
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject inner{
        {QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("request-id"), requestId},
        {QStringLiteral("client-request-id"), requestId},
    };
    return json(status, QJsonObject{{QStringLiteral("error"),
                                     QJsonObject{{QStringLiteral("code"), code},
                                                 {QStringLiteral("message"), message},
                                                 {QStringLiteral("innerError"), inner}}}});
}

void SimReply::write(QHttpServerResponder &responder) const
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    bool hasContentType = false;
    for (const auto &[name, value] : headers) {
        hasContentType = hasContentType || name.compare("Content-Type", Qt::CaseInsensitive) == 0;
        responder.writeHeader(name, value);
    }
    if (!hasContentType && !body.isEmpty())
        responder.writeHeader("Content-Type", "application/octet-stream");
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}
