#include "signin/loopbacklistener.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

LoopbackListener::LoopbackListener(QObject *parent)
    : QObject(parent)
{}

LoopbackListener::~LoopbackListener() = default;

bool LoopbackListener::listen()
{
    close();
    m_ipv4 = new QTcpServer(this);
    if (!m_ipv4->listen(QHostAddress(QHostAddress::LocalHost), 0)) {
        close();
        return false;
    }
    connect(m_ipv4, &QTcpServer::newConnection, this, [this] { accept(m_ipv4); });
    // The same port on ::1 where there is one; a machine without IPv6 keeps 127.0.0.1 alone.
    m_ipv6 = new QTcpServer(this);
    if (m_ipv6->listen(QHostAddress(QHostAddress::LocalHostIPv6), m_ipv4->serverPort())) {
        connect(m_ipv6, &QTcpServer::newConnection, this, [this] { accept(m_ipv6); });
    } else {
        delete m_ipv6;
        m_ipv6 = nullptr;
    }
    return true;
}

void LoopbackListener::close()
{
    m_requests.clear(); // their sockets go with their servers
    delete m_ipv4;
    delete m_ipv6;
    m_ipv4 = nullptr;
    m_ipv6 = nullptr;
}

bool LoopbackListener::isListening() const
{
    return m_ipv4 && m_ipv4->isListening();
}

quint16 LoopbackListener::port() const
{
    return isListening() ? m_ipv4->serverPort() : 0;
}

bool LoopbackListener::listensOnIPv6() const
{
    return m_ipv6 && m_ipv6->isListening();
}

void LoopbackListener::accept(QTcpServer *server)
{
    while (QTcpSocket *socket = server->nextPendingConnection()) {
        // A child of its server until answered: closing the listener drops it.
        // Read from the kernel no further than a request may go: the rest waits there.
        socket->setReadBufferSize(kMaxRequestBytes + 1);
        if (m_requests.size() >= kMaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_requests.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(socket, &QTcpSocket::disconnected, this,
                [this, socket] { m_requests.remove(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // However slowly it trickles in, a request has this long.
        QTimer::singleShot(m_requestTime, socket, [socket] { socket->abort(); });
        readFrom(socket);
    }
}

void LoopbackListener::readFrom(QTcpSocket *socket)
{
    auto found = m_requests.find(socket);
    if (found == m_requests.end())
        return; // answered already
    QByteArray &request = *found;
    request += socket->read(kMaxRequestBytes + 1 - request.size());
    const qsizetype headersEnd = request.indexOf("\r\n\r\n");
    if (headersEnd < 0) {
        if (request.size() > kMaxRequestBytes) {
            // No browser sends this: dropped, not answered (an answer would wait for the rest).
            m_requests.remove(socket);
            socket->abort();
        }
        return;
    }
    // "GET /?code=…&state=… HTTP/1.1": only the request line matters.
    const QList<QByteArray> line = request.left(request.indexOf("\r\n")).split(' ');
    if (line.size() != 3 || line.at(0) != "GET") {
        answer(socket, 405, "Method Not Allowed", QString());
        return;
    }
    const QUrl target(QString::fromLatin1(line.at(1)));
    if (target.path() != QLatin1String("/")) {
        answer(socket, 404, "Not Found", QString()); // a favicon, a stray request
        return;
    }
    QVariantMap values;
    for (const auto &[name, value] :
         QUrlQuery(target.query(QUrl::FullyEncoded)).queryItems(QUrl::FullyEncoded)) {
        values.insert(name, value);
    }
    m_page.clear();
    emit received(values);
    answer(socket, 200, "OK", m_page);
}

void LoopbackListener::answer(QTcpSocket *socket, int status, const QByteArray &reason,
                              const QString &html)
{
    m_requests.remove(socket);
    disconnect(socket, nullptr, this, nullptr);
    // On its own from here: the page still goes out when the listener closes right after (a
    // sign-in that just ended), and the socket deletes itself once closed.
    socket->setParent(nullptr);
    const QByteArray body = html.toUtf8();
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                  "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}
