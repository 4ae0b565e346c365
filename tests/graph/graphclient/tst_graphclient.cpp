#include "graph/graphclient.h"
#include "graph/graphpages.h"
#include "graph/retryafter.h"
#include "graph/teamnames.h"
#include "simfixture.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QtTest>

// Runs a request and waits (on the event loop, not a sleep) for its reply.
static GraphReply fetch(GraphClient &client, const QUrl &url)
{
    std::optional<GraphReply> result;
    QObject receiver;
    client.get(url, &receiver, [&](const GraphReply &reply) { result = reply; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
        qFatal("no reply from %s", qPrintable(url.toString()));
    return *result;
}

static const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
static const QString kOp = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");

static QJsonObject oneOperationScenario()
{
    return QJsonObject{{"teams", QJsonArray{team(kTeam, "Template")}},
                       {"operations", QJsonArray{operation(kOp, kTeam, 10, 60)}}};
}

class TestGraphClient : public QObject
{
    Q_OBJECT

private slots:
    void sendsTokenAndPreferHeader();
    void aNewTeamsNameIsReadOnceItCanBe();
    void classifiesMissingTokenAsUnauthorized();
    void refusesOtherOrigins();
    void checksTheBaseUrl();
    void readsGraphErrors();
    void capsTheReplySize();
    void reportsConnectionRefused();
    void timesOutOnASilentServer();
    void measuresTheReplyDeadlineOnItsClock();
    void refusesAnUntrustedCertificate();
    void readsRetryAfterOnThrottling();
    void parsesRetryAfter();
    void readsAnyNumberAsABatchRetryAfter();
};

// A clone's new team answers 404 for a while after the clone succeeded: its name is read again
// later, not given up on at the first 404.
void TestGraphClient::aNewTeamsNameIsReadOnceItCanBe()
{
    const QString produced = QStringLiteral("c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8");
    QJsonObject clone = operation(kOp, kTeam, 10, 60);
    clone.insert("produces", QJsonObject{{"id", produced}, {"displayName", "Project Fabrikam"}});
    SimFixture sim(QJsonObject{{"teams", QJsonArray{team(kTeam, "Template")}},
                               {"operations", QJsonArray{clone}}});
    sim.clock.advance(std::chrono::seconds(71)); // succeeded at 70 s; readable at 75 s
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    TeamNames names(client);
    // Long enough to see the first answer before the second try goes out.
    names.setRetryInterval(std::chrono::seconds(1));
    QSignalSpy known(&names, &TeamNames::known);
    const QString location = QStringLiteral("/teams('%1')").arg(produced);
    names.want(location);
    const QString teamPath = QStringLiteral("/teams('%1')").arg(produced);
    QTRY_VERIFY(sim.server.requestCount(teamPath) >= 1);
    QCOMPARE(sim.server.requestCount(teamPath), 1);
    QVERIFY(known.isEmpty());
    QCOMPARE(sim.server.requests().constLast().status, 404);

    sim.clock.advance(std::chrono::seconds(5));
    QTRY_COMPARE(known.size(), 1);
    QCOMPARE(names.nameOf(location), QStringLiteral("Project Fabrikam"));
    QVERIFY(sim.server.requestCount(teamPath) <= TeamNames::kTries);
}

void TestGraphClient::sendsTokenAndPreferHeader()
{
    SimFixture sim(oneOperationScenario());
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    const GraphReply reply =
        fetch(client, client.resolve(QStringLiteral("/teams/%1/operations/%2").arg(kTeam, kOp)));
    QVERIFY2(reply.ok(), qPrintable(reply.describe()));
    QCOMPARE(reply.httpStatus, 200);
    QVERIFY(reply.body.contains(kOp.toUtf8()));
    QCOMPARE(sim.server.requestCount(), 1);
    const SimRequestRecord &seen = sim.server.requests().constLast();
    QVERIFY(seen.authorized);
    QCOMPARE(seen.prefer, QByteArray("include-unknown-enum-members"));
    QCOMPARE(seen.method, QByteArray("GET"));
}

void TestGraphClient::classifiesMissingTokenAsUnauthorized()
{
    SimFixture sim(oneOperationScenario());
    GraphClient client(sim.base(), [] { return QString(); });
    const GraphReply reply = fetch(client, client.resolve(QStringLiteral("/teams/") + kTeam));
    QCOMPARE(reply.failure, GraphFailure::Unauthorized);
    QCOMPARE(reply.httpStatus, 401);
    QCOMPARE(reply.errorCode, QStringLiteral("InvalidAuthenticationToken"));
    QVERIFY(!sim.server.requests().constLast().authorized);
}

void TestGraphClient::refusesOtherOrigins()
{
    SimFixture home(oneOperationScenario());
    SimFixture elsewhere(oneOperationScenario());
    GraphClient client(home.base(), [] { return QStringLiteral("test-token"); });

    // Same host, other port: another origin. The token must not go there.
    const QUrl foreign = elsewhere.server.baseUrl();
    const GraphReply reply =
        fetch(client, QUrl(foreign.toString() + QStringLiteral("/teams/") + kTeam));
    QCOMPARE(reply.failure, GraphFailure::Refused);
    QVERIFY(reply.errorMessage.contains(QStringLiteral("not on the configured Graph host")));
    QCOMPARE(elsewhere.server.requestCount(), 0);
    QCOMPARE(home.server.requestCount(), 0);

    const GraphReply https =
        fetch(client, QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/me")));
    QCOMPARE(https.failure, GraphFailure::Refused);

    // A full URL on the configured origin is fine, whatever its version path.
    const GraphReply sameOrigin =
        fetch(client, QUrl(home.server.baseUrl(QStringLiteral("beta")).toString() +
                           QStringLiteral("/teams/") + kTeam));
    QVERIFY2(sameOrigin.ok(), qPrintable(sameOrigin.describe()));
    QCOMPARE(home.server.requestCount(), 1);
}

void TestGraphClient::checksTheBaseUrl()
{
    QVERIFY(GraphClient::checkBaseUrl(GraphClient::defaultBaseUrl()).isEmpty());
    QVERIFY(
        GraphClient::checkBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:8080/v1.0"))).isEmpty());
    QVERIFY(
        GraphClient::checkBaseUrl(QUrl(QStringLiteral("http://localhost:8080/v1.0"))).isEmpty());
    QVERIFY(GraphClient::checkBaseUrl(QUrl(QStringLiteral("http://[::1]:8080/v1.0"))).isEmpty());
    QVERIFY(GraphClient::checkBaseUrl(QUrl(QStringLiteral("http://graph.microsoft.com/v1.0")))
                .contains(QStringLiteral("https")));
    QVERIFY(GraphClient::checkBaseUrl(QUrl(QStringLiteral("http://10.0.0.5/v1.0")))
                .contains(QStringLiteral("https")));
    QVERIFY(GraphClient::checkBaseUrl(QUrl(QStringLiteral("ftp://graph.microsoft.com")))
                .contains(QStringLiteral("https")));
    QVERIFY(!GraphClient::checkBaseUrl(QUrl(QStringLiteral("not a url"))).isEmpty());
}

void TestGraphClient::readsGraphErrors()
{
    SimFixture sim(oneOperationScenario());
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    const GraphReply reply =
        fetch(client,
              client.resolve(QStringLiteral("/teams/%1/operations/no-such-operation").arg(kTeam)));
    QCOMPARE(reply.failure, GraphFailure::NotFound);
    QCOMPARE(reply.httpStatus, 404);
    QCOMPARE(reply.errorCode, QStringLiteral("NotFound"));
    QVERIFY(reply.errorMessage.contains(QStringLiteral("no-such-operation")));
    QVERIFY(reply.describe().contains(QStringLiteral("404")));
}

void TestGraphClient::capsTheReplySize()
{
    SimFixture sim(oneOperationScenario());
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    client.setMaxReplyBytes(64);
    const GraphReply reply =
        fetch(client, client.resolve(QStringLiteral("/teams/%1/operations/%2").arg(kTeam, kOp)));
    QCOMPARE(reply.failure, GraphFailure::TooLarge);
    QVERIFY(reply.body.isEmpty());
}

void TestGraphClient::reportsConnectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    GraphClient client(QUrl(QStringLiteral("http://127.0.0.1:%1/v1.0").arg(closedPort)),
                       [] { return QStringLiteral("t"); });
    const GraphReply reply = fetch(client, client.resolve(QStringLiteral("/teams/x")));
    QCOMPARE(reply.failure, GraphFailure::Network);
    QCOMPARE(reply.httpStatus, 0);
    QVERIFY(!reply.errorMessage.isEmpty());
}

void TestGraphClient::timesOutOnASilentServer()
{
    // Accepts the connection and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    GraphClient client(QUrl(QStringLiteral("http://127.0.0.1:%1/v1.0").arg(silent.serverPort())),
                       [] { return QStringLiteral("t"); });
    client.setTransferTimeout(std::chrono::milliseconds(300));
    const GraphReply reply = fetch(client, client.resolve(QStringLiteral("/teams/x")));
    QCOMPARE(reply.failure, GraphFailure::Timeout);
}

void TestGraphClient::measuresTheReplyDeadlineOnItsClock()
{
    // A request the service never answers ends when the client's clock passes the deadline,
    // not before, and not on real time: the soak moves a week of simulated time so.
    SimFixture sim(oneOperationScenario());
    SimFault hang;
    hang.pathContains = QStringLiteral("/operations/");
    hang.kind = QStringLiteral("hang");
    hang.times = 1;
    sim.server.injectFault(hang);
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    client.setClock(&sim.clock);
    client.setReplyDeadline(std::chrono::seconds(120));
    client.setTransferTimeout(std::chrono::hours(1));
    const QUrl url = client.resolve(QStringLiteral("/teams/%1/operations/%2").arg(kTeam, kOp));

    std::optional<GraphReply> result;
    QObject receiver;
    client.get(url, &receiver, [&](const GraphReply &reply) { result = reply; });
    QTRY_COMPARE(sim.server.requestsHeld(), 1);
    sim.clock.advance(std::chrono::seconds(119));
    QCoreApplication::processEvents(); // the queued deadline check runs, and finds time left
    QCoreApplication::processEvents();
    QVERIFY(!result.has_value());
    QCOMPARE(sim.server.requestsHeld(), 1);

    sim.clock.advance(std::chrono::seconds(2));
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->failure, GraphFailure::Timeout);
    QVERIFY2(result->errorMessage.contains(QLatin1String("120 s")),
             qPrintable(result->errorMessage));
    // The service sees the connection closed: nothing is held for a client that gave up.
    QTRY_COMPARE(sim.server.requestsHeld(), 0);
}

void TestGraphClient::refusesAnUntrustedCertificate()
{
    // An HTTPS server with a self-signed certificate (made for this test): the handshake must
    // fail, and no HTTP request (with its bearer token) may reach it.
    QFile certFile(QStringLiteral(TEST_CERT_DIR "/selfsigned-cert.pem"));
    QFile keyFile(QStringLiteral(TEST_CERT_DIR "/selfsigned-key.pem"));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    QSslServer server;
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QByteArray received;
    connect(&server, &QSslServer::pendingConnectionAvailable, &server, [&] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket,
                [&, socket] { received += socket->readAll(); });
    });

    GraphClient client(QUrl(QStringLiteral("https://127.0.0.1:%1/v1.0").arg(server.serverPort())),
                       [] { return QStringLiteral("secret-token"); });
    const GraphReply reply = fetch(client, client.resolve(QStringLiteral("/teams/x")));
    QCOMPARE(reply.failure, GraphFailure::Network);
    QCOMPARE(reply.httpStatus, 0);
    QVERIFY2(reply.errorMessage.contains(QStringLiteral("SSL"), Qt::CaseInsensitive) ||
                 reply.errorMessage.contains(QStringLiteral("certificate"), Qt::CaseInsensitive),
             qPrintable(reply.errorMessage));
    QVERIFY(!received.contains("secret-token"));
}

void TestGraphClient::readsRetryAfterOnThrottling()
{
    SimFixture sim(oneOperationScenario());
    sim.server.injectFault(SimFault::answer(QStringLiteral("/operations/"), 429, "17", 1));
    sim.server.injectFault(SimFault::answer(QStringLiteral("/operations/"), 503, QByteArray(), 1));
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    const QUrl url = client.resolve(QStringLiteral("/teams/%1/operations/%2").arg(kTeam, kOp));

    const GraphReply throttled = fetch(client, url);
    QCOMPARE(throttled.failure, GraphFailure::Throttled);
    QCOMPARE(throttled.httpStatus, 429);
    QVERIFY(throttled.retryAfter);
    QCOMPARE(throttled.retryAfter->count(), 17);

    const GraphReply unavailable = fetch(client, url);
    QCOMPARE(unavailable.failure, GraphFailure::Throttled);
    QCOMPARE(unavailable.httpStatus, 503);
    QVERIFY(!unavailable.retryAfter);

    QVERIFY(fetch(client, url).ok());
}

void TestGraphClient::parsesRetryAfter()
{
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 27, 0), Qt::UTC);
    QCOMPARE(parseRetryAfter("120", now), std::optional(std::chrono::seconds(120)));
    QCOMPARE(parseRetryAfter(" 0 ", now), std::optional(std::chrono::seconds(0)));
    QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now),
             std::optional(std::chrono::seconds(60)));
    QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:20:00 GMT", now),
             std::optional(std::chrono::seconds(0)));
    QCOMPARE(parseRetryAfter("", now), std::nullopt);
    QCOMPARE(parseRetryAfter("-5", now), std::nullopt);
    QCOMPARE(parseRetryAfter("soon", now), std::nullopt);
    QCOMPARE(parseRetryAfter("1e16", now), std::nullopt); // not delay-seconds, not a date
    // Absurd values are read as ten years, so no wait computed from them overflows.
    const std::chrono::seconds tenYears(10LL * 366 * 24 * 3600);
    QCOMPARE(parseRetryAfter("9223372036854775807", now), std::optional(tenYears));
    QCOMPARE(parseRetryAfter("123456789012345678901234567890", now), std::optional(tenYears));
    QCOMPARE(parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now), std::optional(tenYears));
}

void TestGraphClient::readsAnyNumberAsABatchRetryAfter()
{
    // A JSON number in a sub-response's Retry-After: -1e300 once went through an out-of-range
    // double-to-integer conversion (undefined behaviour; the sanitizer build would abort).
    const QHash<QString, QUrl> urls{
        {QStringLiteral("1"),
         QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/teams/a/operations/b"))}};
    const QDateTime now(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC);
    auto answerWith = [&](const QByteArray &number) {
        const QByteArray body =
            R"({"responses":[{"id":"1","status":429,"headers":{"Retry-After":)" + number +
            R"(},"body":{}}]})";
        return readBatchAnswers(body, urls, now).value(QStringLiteral("1"));
    };
    QCOMPARE(answerWith("7").retryAfter, std::optional(std::chrono::seconds(7)));
    QCOMPARE(answerWith("7").failure, GraphFailure::Throttled);
    QCOMPARE(answerWith("-1e300").retryAfterHeader, QByteArray("-1000000000000000"));
    QCOMPARE(answerWith("-1e300").retryAfter, std::nullopt); // not a wait: backoff applies
    QCOMPARE(answerWith("1e300").retryAfterHeader, QByteArray("1000000000000000"));
    QVERIFY(answerWith("1e300").retryAfter.has_value());
    // A request the reply leaves out is malformed, not lost.
    const QHash<QString, GraphReply> none = readBatchAnswers(R"({"responses":[]})", urls, now);
    QCOMPARE(none.value(QStringLiteral("1")).failure, GraphFailure::MalformedReply);
}

QTEST_GUILESS_MAIN(TestGraphClient)
#include "tst_graphclient.moc"
