// SimServer, the network between a client and the service: each request takes its latency to
// arrive, is served in order of arrival, and its answer may break on the wire.
#include "simserver.h"
#include "simtenant.h"

#include <QHttpServerResponder>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

void SimServer::receive(const QByteArray &method, const QUrl &url,
                        const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                        QHttpServerResponder &&responder)
{
    const int latencyMs = m_tenant.drawLatencyMs();
    if (latencyMs <= 0) {
        respond(handle(method, url, headers, body), std::move(responder));
        emit trafficChanged();
        return;
    }
    const qint64 arrival = m_tenant.wallNow().toMSecsSinceEpoch() + latencyMs;
    m_inTransit.emplace(arrival,
                        InTransit{method, url, headers, body,
                                  std::make_unique<QHttpServerResponder>(std::move(responder))});
    serveArrived(); // re-arms the timer for the earliest arrival
    emit trafficChanged();
}

QDateTime SimServer::nextArrivalAt() const
{
    return m_inTransit.empty()
               ? QDateTime()
               : QDateTime::fromMSecsSinceEpoch(m_inTransit.begin()->first, Qt::UTC);
}

void SimServer::serveArrived()
{
    const qint64 now = m_tenant.wallNow().toMSecsSinceEpoch();
    const std::size_t before = m_inTransit.size();
    // In order of arrival, which is not the order of sending: that is what jitter does.
    while (!m_inTransit.empty() && m_inTransit.begin()->first <= now) {
        auto node = m_inTransit.extract(m_inTransit.begin());
        InTransit &request = node.mapped();
        m_servingArrivedAt = QDateTime::fromMSecsSinceEpoch(node.key(), Qt::UTC);
        const SimReply reply = handle(request.method, request.url, request.headers, request.body);
        m_servingArrivedAt = QDateTime();
        respond(reply, std::move(*request.responder));
    }
    if (m_inTransit.size() != before)
        emit trafficChanged();
    if (m_inTransit.empty())
        m_arrivalTimer.stop();
    else
        m_arrivalTimer.start(int(std::clamp<qint64>(m_inTransit.begin()->first - now, 0, 60000)));
}

QDateTime SimServer::arrivalTime() const
{
    return m_servingArrivedAt.isValid() ? m_servingArrivedAt : m_tenant.wallNow();
}

void SimServer::respond(const SimReply &reply, QHttpServerResponder &&responder)
{
    if (reply.hang) {
        hold(std::make_shared<QHttpServerResponder>(std::move(responder)), true);
        return;
    }
    if (!reply.breakage.isEmpty()) {
        respondBroken(reply, std::move(responder));
        return;
    }
    if (reply.delayMs <= 0) {
        reply.write(responder);
        return;
    }
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTimer::singleShot(reply.delayMs, this, [reply, held] { reply.write(*held); });
}

void SimServer::hold(std::shared_ptr<QHttpServerResponder> responder, bool incomplete)
{
    // Those whose connection has closed are let go, so a week of faults holds only the open ones.
    const auto closed = [](const Held &held) {
        return !held.socket || held.socket->state() != QAbstractSocket::ConnectedState;
    };
    m_held.erase(std::remove_if(m_held.begin(), m_held.end(), closed), m_held.end());
    QTcpSocket *socket = responder->socket();
    if (incomplete)
        ++m_leftUnanswered;
    if (incomplete)
        connect(socket, &QTcpSocket::disconnected, this, &SimServer::trafficChanged);
    m_held.push_back({std::move(responder), socket, incomplete});
}

int SimServer::requestsHeld() const
{
    return int(std::count_if(m_held.cbegin(), m_held.cend(), [](const Held &held) {
        return held.incomplete && held.socket &&
               held.socket->state() == QAbstractSocket::ConnectedState;
    }));
}

void SimServer::respondBroken(const SimReply &reply, QHttpServerResponder &&responder)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTcpSocket *socket = held->socket();
    hold(held, reply.breakage == "stall");
    // The request was served (a clone started), and its answer is lost before its first byte.
    if (reply.breakage == "close") {
        socket->disconnectFromHost();
        return;
    }
    if (reply.breakage == "abort") {
        socket->abort();
        return;
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " Whatever\r\n";
    for (const auto &[name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
    const QByteArray half = reply.body.left(reply.body.size() / 2);
    if (reply.breakage == "drip") {
        socket->write(head);
        auto *drip = new QTimer(this);
        auto sent = std::make_shared<qsizetype>(0);
        connect(drip, &QTimer::timeout, this, [drip, socket, sent, body = reply.body] {
            if (*sent >= body.size() || socket->state() != QAbstractSocket::ConnectedState) {
                drip->deleteLater();
                return;
            }
            socket->write(body.mid((*sent)++, 1));
        });
        drip->start(reply.dripMs);
    } else if (reply.breakage == "stall") {
        socket->write(head + half);
    } else { // reset
        socket->write(head + half);
        socket->flush();
        socket->abort();
    }
}
