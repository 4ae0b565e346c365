#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QVariantMap>

#include <chrono>

class QTcpServer;
class QTcpSocket;

// Where the browser comes back after a sign-in: an HTTP listener on the loopback addresses only
// (127.0.0.1, and ::1 on the same port where the machine has IPv6, since a browser may resolve
// "localhost" to either first). It answers GET / with a page and says what the query held.
//
// Qt's QOAuthHttpServerReplyHandler did this before, but it reads a request without bound: a
// local process sending a request line that never ends grew the app by hundreds of megabytes.
// Here a request is read up to kMaxRequestBytes within kRequestTime, a handful at a time; past
// that the connection is closed.
class LoopbackListener final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoopbackListener)
public:
    static constexpr qint64 kMaxRequestBytes = 16 * 1024;
    static constexpr std::chrono::seconds kRequestTime{10};
    static constexpr int kMaxConnections = 8;

    explicit LoopbackListener(QObject *parent = nullptr);
    ~LoopbackListener() override;

    // Any free port; false when not even 127.0.0.1 could be had.
    bool listen();
    void close();
    bool isListening() const;
    quint16 port() const;
    bool listensOnIPv6() const;
    // Shorter in tests: they wait for the listener to give up on a request that never ends.
    void setRequestTime(std::chrono::milliseconds time) { m_requestTime = time; }
    // The page the browser is shown for the request being answered: set it from received().
    void setCallbackText(const QString &html) { m_page = html; }

signals:
    // A GET / arrived: its query, name → value, as sent (percent-encoding left as it came).
    void received(const QVariantMap &values);

private:
    void accept(QTcpServer *server);
    void readFrom(QTcpSocket *socket);
    void answer(QTcpSocket *socket, int status, const QByteArray &reason, const QString &html);

    QTcpServer *m_ipv4 = nullptr;
    QTcpServer *m_ipv6 = nullptr;
    QHash<QTcpSocket *, QByteArray> m_requests; // what each connection sent so far
    std::chrono::milliseconds m_requestTime = kRequestTime;
    QString m_page;
};
