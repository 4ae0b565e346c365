#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

class QHttpServerResponder;

// One HTTP answer of the simulator. Kept apart from Qt HttpServer's own types because their header
// API changes in later Qt versions (6.8: QHttpHeaders); only write() below touches it.
struct SimReply
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // For the HTTP layer only: answer after this many milliseconds, or never.
    int delayMs = 0;
    bool hang = false;
    // How the answer breaks on the wire: "drip" (one byte every dripMs), "stall" (headers and
    // half the body, then nothing), "reset" (headers and half the body, then the connection is
    // dropped). Empty: sent whole.
    QByteArray breakage;
    int dripMs = 200;

    static SimReply json(int status, const QJsonObject &body);
    static SimReply empty(int status);
    // Graph's error shape, with the innerError block the real service adds.
    static SimReply graphError(int status, const QString &code, const QString &message);

    SimReply &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append(qMakePair(name, value));
        return *this;
    }

    void write(QHttpServerResponder &responder) const;
};
