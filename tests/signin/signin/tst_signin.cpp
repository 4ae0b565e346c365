// Sign-in against the simulator's identity platform, over real HTTP: the device code flow and
// its errors, refresh with rotation, renewal before expiry and on a 401 while watching, app-only
// with a secret. Time: the tenant runs 50 times faster than the wall clock, and the device code
// flow's seconds are shortened to match (a little longer, as a real network adds delay).
#include "cli/watchsession.h"
#include "model/clock.h"
#include "signin/browsersignin.h"
#include "signin/devicecodesignin.h"
#include "signin/identityclient.h"
#include "signin/loopbacklistener.h"
#include "signin/signinsession.h"
#include "simserver.h"
#include "simtenant.h"
#include "testcertificate.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QUrlQuery>

#include <functional>
#include <optional>

using namespace std::chrono;

namespace {

constexpr double kTimeScale = 50;       // simulated seconds per real second
constexpr milliseconds kFlowSecond{25}; // a platform second for the flow: 1/40 s
const QString kTeam = QStringLiteral("c0ffee00-0000-4000-8000-000000000001");
const QString kOperation = QStringLiteral("op-renew");

AppCredential secret(const char *text)
{
    return AppCredential{QString::fromLatin1(text), nullptr};
}

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void browserSignInWithPkce();
    void browserSignInIgnoresAForgedState();
    void browserSignInErrorsSayWhatHappened();
    void theLoopbackListenerBoundsARequestInSizeAndTime();
    void theBrowserMayComeBackOnEitherLoopback();
    void deviceCodeSignsInAfterPendingAnswers();
    void slowDownMakesThePollingSlower();
    void deviceCodeErrorsSayWhatHappened_data();
    void deviceCodeErrorsSayWhatHappened();
    void refreshRotatesAndTheOldTokenIsRefused();
    void renewsAheadOfExpiry();
    void shortLivedTokensAreRenewedAtAPaceNotInALoop();
    void aDeviceCodeWithAHugeLifetimeIsStillPolled();
    void aTokenRefusedRightAfterItsRenewalEndsTheWatch();
    void renewsOnA401WhileWatchingAndPollingResumes();
    void aLostSignInEndsTheWatchWithAClearMessage();
    void appOnlyWithAClientSecret();
    void appOnlyWithACertificate();
    void aCertificateAssertionIsCheckedAsThePlatformDoes();
    void certificateFilesThatCannotServeSayWhy();
    void refusesPlainHttpToAnotherHost();

private:
    SignInConfig config() const;
    TokenSet signInWithDeviceCode(IdentityClient &client);
    // Sends one request through `send` and waits for its answer (error "no_answer" if none).
    IdentityReply answerTo(const std::function<void(IdentityClient::Handler)> &send);
    // teamsops-cli watch of the scenario's operation, every second, with this sign-in.
    WatchSession::Options watchOptions(SignInSession &session) const;

    // The test plays the browser: GETs a URL as given, and tells where it is sent next.
    struct Visit
    {
        int status = 0;
        QUrl location;
        QString body;
    };
    Visit visit(const QUrl &url);
    // Starts a browser sign-in and takes the browser to the platform: the redirect it gets.
    QUrl authorizeInBrowser(BrowserSignIn &flow);

    QNetworkAccessManager m_browser;
    std::unique_ptr<SimTenant> m_tenant;
    std::unique_ptr<SimServer> m_server;
    ManualClock m_clock{QDateTime(QDate(2026, 12, 1), QTime(9, 0), Qt::UTC)};
};

void TestSignIn::init()
{
    m_tenant = std::make_unique<SimTenant>(SimTenant::TimeSource(), kTimeScale);
    const QJsonObject scenario{
        {"teams", QJsonArray{QJsonObject{{"id", kTeam}, {"displayName", "Template"}}}},
        {"operations",
         QJsonArray{QJsonObject{
             {"id", kOperation}, {"teamId", kTeam}, {"startAfter", 1}, {"duration", 100}}}}};
    QCOMPARE(m_tenant->loadScenario(QJsonDocument(scenario).toJson()), QString());
    m_server = std::make_unique<SimServer>(*m_tenant, QStringLiteral("static-token"));
    QVERIFY(m_server->listen() != 0);
}

void TestSignIn::cleanup()
{
    m_server.reset();
    m_tenant.reset();
}

SignInConfig TestSignIn::config() const
{
    SignInConfig config;
    QUrl host = m_server->baseUrl();
    host.setPath(QString());
    config.authorityHost = host;
    config.clientId = SimIdentity::demoClientId();
    config.graphUrl = m_server->baseUrl();
    return config;
}

TestSignIn::Visit TestSignIn::visit(const QUrl &url)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_browser.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    Visit seen;
    if (!finished.wait(5000))
        return seen;
    seen.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    seen.location = QUrl::fromEncoded(reply->rawHeader("Location"));
    seen.body = QString::fromUtf8(reply->readAll());
    reply->deleteLater();
    return seen;
}

QUrl TestSignIn::authorizeInBrowser(BrowserSignIn &flow)
{
    QSignalSpy open(&flow, &BrowserSignIn::openBrowser);
    flow.start();
    if (open.count() != 1)
        return QUrl();
    const Visit platform = visit(open.first().first().toUrl());
    return platform.status == 302 ? platform.location : QUrl();
}

TokenSet TestSignIn::signInWithDeviceCode(IdentityClient &client)
{
    DeviceCodeSignIn flow(client, m_clock);
    flow.setSecondLength(kFlowSecond);
    QSignalSpy prompted(&flow, &DeviceCodeSignIn::prompt);
    QSignalSpy signedIn(&flow, &DeviceCodeSignIn::signedIn);
    flow.start();
    if (!prompted.wait(5000))
        return TokenSet();
    m_tenant->identity().approveDeviceCode(prompted.first().at(1).toString());
    if (!signedIn.wait(5000))
        return TokenSet();
    return signedIn.first().first().value<TokenSet>();
}

WatchSession::Options TestSignIn::watchOptions(SignInSession &session) const
{
    WatchSession::Options options;
    options.graphUrl = m_server->baseUrl();
    options.interval = seconds(1);
    options.locations = {QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, kOperation)};
    options.signIn = &session;
    return options;
}

IdentityReply TestSignIn::answerTo(const std::function<void(IdentityClient::Handler)> &send)
{
    std::optional<IdentityReply> answer;
    send([&answer](const IdentityReply &reply) { answer = reply; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 5000)) {
        IdentityReply none;
        none.error = QStringLiteral("no_answer");
        return none;
    }
    return *answer;
}

void TestSignIn::browserSignInWithPkce()
{
    IdentityClient client(config());
    BrowserSignIn flow(client, m_clock);
    QSignalSpy open(&flow, &BrowserSignIn::openBrowser);
    QSignalSpy signedIn(&flow, &BrowserSignIn::signedIn);
    QSignalSpy failed(&flow, &BrowserSignIn::failed);
    SimIdentity::Account account{QStringLiteral("Adele Vance"),
                                 QStringLiteral("adelev@contoso.onmicrosoft.com")};
    m_tenant->identity().setBrowserAccount(account);
    flow.start();
    QCOMPARE(open.count(), 1);
    const QUrl authorize = open.first().first().toUrl();
    const QUrlQuery asked(authorize);
    QCOMPARE(asked.queryItemValue("code_challenge_method"), QStringLiteral("S256"));
    QCOMPARE(asked.queryItemValue("code_challenge").size(), 43);
    QCOMPARE(QUrl(asked.queryItemValue("redirect_uri", QUrl::FullyDecoded)), flow.redirectUri());
    QCOMPARE(flow.redirectUri().host(), QStringLiteral("localhost"));
    QVERIFY(asked.queryItemValue("scope", QUrl::FullyDecoded).contains("offline_access"));

    // The listener takes connections on 127.0.0.1 and on no other address of this machine.
    QTcpSocket loopback;
    loopback.connectToHost(QHostAddress::LocalHost, flow.port());
    QVERIFY(loopback.waitForConnected(2000));
    loopback.abort();
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        QTcpSocket outside;
        outside.connectToHost(address, flow.port());
        QVERIFY2(!outside.waitForConnected(2000), qPrintable(address.toString()));
    }

    // The browser goes to the platform, which sends it back to the app with a code and the state.
    const Visit platform = visit(authorize);
    QCOMPARE(platform.status, 302);
    const QUrlQuery answer(platform.location);
    QCOMPARE(answer.queryItemValue("state"), asked.queryItemValue("state"));
    QCOMPARE(platform.location.port(), int(flow.redirectUri().port()));
    const QString code = answer.queryItemValue("code", QUrl::FullyDecoded);
    QVERIFY(!code.isEmpty());

    // A verifier other than the one behind the challenge cannot redeem the code.
    const IdentityReply stolen = answerTo([&](IdentityClient::Handler done) {
        client.redeemAuthorizationCode(code, QString(43, QLatin1Char('x')), flow.redirectUri(),
                                       this, done);
    });
    QVERIFY2(stolen.describe().contains("AADSTS501481"), qPrintable(stolen.describe()));

    const Visit app = visit(platform.location);
    QCOMPARE(app.status, 200);
    QVERIFY2(app.body.contains("You can close this tab"), qPrintable(app.body));
    // The code may be redeemed while visit() still waits for the page: count, do not wait anew.
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 5000);
    QCOMPARE(failed.count(), 0);
    const TokenSet tokens = signedIn.first().first().value<TokenSet>();
    QCOMPARE(m_tenant->identity().checkAccessToken(tokens.accessToken),
             SimIdentity::TokenCheck::Valid);
    QVERIFY(!tokens.refreshToken.isEmpty());
    QCOMPARE(tokens.accountName, account.name);
    QCOMPARE(tokens.username, account.username);

    // The code is single use, and the listener is gone once signed in.
    const IdentityReply again = answerTo([&](IdentityClient::Handler done) {
        client.redeemAuthorizationCode(code, QString(43, QLatin1Char('x')), flow.redirectUri(),
                                       this, done);
    });
    QVERIFY2(again.describe().contains("AADSTS54005"), qPrintable(again.describe()));
    QTRY_COMPARE(flow.port(), quint16(0));
}

void TestSignIn::browserSignInIgnoresAForgedState()
{
    IdentityClient client(config());
    BrowserSignIn flow(client, m_clock);
    QSignalSpy signedIn(&flow, &BrowserSignIn::signedIn);
    QSignalSpy failed(&flow, &BrowserSignIn::failed);
    const QUrl back = authorizeInBrowser(flow);
    QVERIFY(back.isValid());

    // Another page on this machine delivers a code of its own: not this sign-in's state.
    QUrl forged = back;
    QUrlQuery query(back);
    query.removeAllQueryItems("state");
    query.addQueryItem("state", "forged-state");
    forged.setQuery(query);
    const Visit refused = visit(forged);
    QVERIFY2(refused.body.contains("not the one TeamsOps is waiting for"),
             qPrintable(refused.body));
    QCOMPARE(signedIn.count() + failed.count(), 0);
    QCOMPARE(m_tenant->identity().tokenRequests("authorization_code"), 0);

    // The real answer still signs in.
    visit(back);
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 5000);
}

void TestSignIn::browserSignInErrorsSayWhatHappened()
{
    IdentityClient client(config());
    {
        BrowserSignIn flow(client, m_clock);
        QSignalSpy failed(&flow, &BrowserSignIn::failed);
        m_tenant->identity().declineNextAuthorization();
        const Visit page = visit(authorizeInBrowser(flow));
        QVERIFY(page.body.contains("did not finish"));
        QVERIFY(page.body.contains("AADSTS65004"));
        QTRY_COMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains("access_denied: AADSTS65004: User declined"),
                 qPrintable(message));
    }
    {
        // Redeemed too late: the code had expired.
        m_tenant->identity().setAuthorizationCodeLifetime(seconds(0));
        BrowserSignIn flow(client, m_clock);
        QSignalSpy failed(&flow, &BrowserSignIn::failed);
        visit(authorizeInBrowser(flow));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains("invalid_grant: AADSTS70008"),
                 qPrintable(failed.first().first().toString()));
    }
    {
        // A redirect the app registration does not hold: the platform's own error page.
        const SignInConfig settings = config();
        QUrl authorize = settings.endpoint(QStringLiteral("authorize"));
        authorize.setQuery(QStringLiteral("client_id=%1&response_type=code&redirect_uri="
                                          "https%3A%2F%2Fevil.example.com%2F")
                               .arg(settings.clientId));
        const Visit page = visit(authorize);
        QCOMPARE(page.status, 400);
        QVERIFY(page.body.contains("AADSTS50011"));
    }
}

void TestSignIn::theLoopbackListenerBoundsARequestInSizeAndTime()
{
    IdentityClient client(config());
    BrowserSignIn flow(client, m_clock);
    QSignalSpy signedIn(&flow, &BrowserSignIn::signedIn);
    const QUrl back = authorizeInBrowser(flow);
    QVERIFY(back.isValid());
    flow.listener()->setRequestTime(milliseconds(300));

    // A local process sends a request line that never ends, as fast as the listener reads: the
    // listener drops it after its first 16 KiB. (Qt's reply handler read all it was sent: a
    // writer could grow the app without end.) What the kernel's buffers took is all that went.
    QTcpSocket endless;
    endless.connectToHost(QHostAddress::LocalHost, flow.port());
    QVERIFY(endless.waitForConnected(2000));
    QSignalSpy endlessClosed(&endless, &QTcpSocket::disconnected);
    const QByteArray chunk(64 * 1024, 'A');
    constexpr qint64 kWillingToSend = 256 * 1024 * 1024;
    qint64 sent = 0;
    const auto sendMore = [&] {
        while (endless.state() == QAbstractSocket::ConnectedState &&
               endless.bytesToWrite() < 4 * chunk.size() && sent < kWillingToSend) {
            endless.write(chunk);
            sent += chunk.size();
        }
    };
    connect(&endless, &QTcpSocket::bytesWritten, this, sendMore);
    endless.write("GET /?code=");
    sendMore();
    QVERIFY(endlessClosed.wait(10000));
    qInfo("sent %lld bytes before the listener closed", sent);
    QVERIFY2(sent < 32 * 1024 * 1024, qPrintable(QString::number(sent)));

    // Another opens a request and never finishes it: given up after the request time.
    QTcpSocket hanging;
    hanging.connectToHost(QHostAddress::LocalHost, flow.port());
    QVERIFY(hanging.waitForConnected(2000));
    QSignalSpy hangingClosed(&hanging, &QTcpSocket::disconnected);
    hanging.write("GET /?state=");
    QVERIFY(hangingClosed.wait(5000));

    // Neither held the sign-in up: the browser's answer still signs in.
    QCOMPARE(visit(back).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 5000);
    QCOMPARE(m_tenant->identity().tokenRequests("authorization_code"), 1);
}

void TestSignIn::theBrowserMayComeBackOnEitherLoopback()
{
    // The redirect says "localhost", which a browser may resolve to ::1 first.
    IdentityClient client(config());
    BrowserSignIn flow(client, m_clock);
    QSignalSpy signedIn(&flow, &BrowserSignIn::signedIn);
    const QUrl back = authorizeInBrowser(flow);
    QVERIFY(back.isValid());
    if (!flow.listener()->listensOnIPv6())
        QSKIP("this machine has no IPv6 loopback: 127.0.0.1 alone is listened on");
    QUrl onIPv6 = back;
    onIPv6.setHost(QStringLiteral("::1"));
    const Visit page = visit(onIPv6);
    QCOMPARE(page.status, 200);
    QVERIFY2(page.body.contains("You can close this tab"), qPrintable(page.body));
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 5000);
}

void TestSignIn::deviceCodeSignsInAfterPendingAnswers()
{
    IdentityClient client(config());
    DeviceCodeSignIn flow(client, m_clock);
    flow.setSecondLength(kFlowSecond);
    QSignalSpy prompted(&flow, &DeviceCodeSignIn::prompt);
    QSignalSpy signedIn(&flow, &DeviceCodeSignIn::signedIn);
    QSignalSpy failed(&flow, &DeviceCodeSignIn::failed);
    flow.start();
    QVERIFY(prompted.wait(5000));
    const QString userCode = prompted.first().at(1).toString();
    QCOMPARE(userCode, m_tenant->identity().lastUserCode());
    QVERIFY(prompted.first().at(0).toString().startsWith("https://"));

    // The user takes a while: the flow keeps asking, at the pace it was given.
    const QString grant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");
    QTRY_VERIFY_WITH_TIMEOUT(m_tenant->identity().tokenRequests(grant) >= 3, 10000);
    QVERIFY(signedIn.isEmpty());
    QVERIFY(m_tenant->identity().approveDeviceCode(userCode));
    QVERIFY(signedIn.wait(5000));
    QVERIFY(failed.isEmpty());
    QCOMPARE(m_tenant->identity().slowDowns(), 0); // never faster than the interval

    const TokenSet tokens = signedIn.first().first().value<TokenSet>();
    QVERIFY(tokens.hasAccessToken());
    QVERIFY(!tokens.refreshToken.isEmpty()); // offline_access was asked for
    QCOMPARE(tokens.username, QStringLiteral("meganb@contoso.onmicrosoft.com"));
    QCOMPARE(tokens.tenantId, m_tenant->tenantId());
    QCOMPARE(m_clock.now().secsTo(tokens.expiresAt), 3600);
    QCOMPARE(m_tenant->identity().checkAccessToken(tokens.accessToken),
             SimIdentity::TokenCheck::Valid);
}

void TestSignIn::slowDownMakesThePollingSlower()
{
    IdentityClient client(config());
    DeviceCodeSignIn flow(client, m_clock);
    flow.setSecondLength(kFlowSecond);
    QSignalSpy prompted(&flow, &DeviceCodeSignIn::prompt);
    QSignalSpy signedIn(&flow, &DeviceCodeSignIn::signedIn);
    m_tenant->identity().askToSlowDownOnce();
    flow.start();
    QVERIFY(prompted.wait(5000));
    QCOMPARE(flow.interval(), seconds(5));
    QTRY_COMPARE_WITH_TIMEOUT(m_tenant->identity().slowDowns(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(flow.interval(), seconds(10), 5000);
    // The platform now wants ten seconds between polls and answers slow_down to anything
    // sooner: none comes.
    const QString grant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");
    QTRY_VERIFY_WITH_TIMEOUT(m_tenant->identity().tokenRequests(grant) >= 3, 10000);
    m_tenant->identity().approveDeviceCode(prompted.first().at(1).toString());
    QVERIFY(signedIn.wait(5000));
    QCOMPARE(m_tenant->identity().slowDowns(), 1);
}

void TestSignIn::deviceCodeErrorsSayWhatHappened_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("plainWords");
    QTest::addColumn<QString>("error");
    QTest::newRow("declined") << "decline"
                              << "declined"
                              << "authorization_declined";
    QTest::newRow("expired") << "expire"
                             << "expired"
                             << "expired_token";
    QTest::newRow("unknown code") << "forget"
                                  << "did not recognise"
                                  << "bad_verification_code";
    QTest::newRow("unknown app") << "app"
                                 << "could not start"
                                 << "unauthorized_client";
}

void TestSignIn::deviceCodeErrorsSayWhatHappened()
{
    QFETCH(QString, what);
    QFETCH(QString, plainWords);
    QFETCH(QString, error);
    SignInConfig settings = config();
    if (what == "app")
        settings.clientId = QStringLiteral("00000000-0000-0000-0000-000000000000");
    if (what == "expire")
        m_tenant->identity().setDeviceCodeLifetime(seconds(12));
    IdentityClient client(settings);
    DeviceCodeSignIn flow(client, m_clock);
    // Real seconds: in milliseconds, that lifetime is what overflowed.
    flow.setSecondLength(std::chrono::milliseconds(1000));
    QSignalSpy prompted(&flow, &DeviceCodeSignIn::prompt);
    QSignalSpy failed(&flow, &DeviceCodeSignIn::failed);
    flow.start();
    if (what != "app") {
        QVERIFY(prompted.wait(5000));
        if (what == "decline")
            QVERIFY(m_tenant->identity().declineDeviceCode(prompted.first().at(1).toString()));
        if (what == "forget")
            m_tenant->identity().forgetDeviceCodes();
    }
    QVERIFY(failed.wait(10000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(plainWords), qPrintable(message));
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY(!message.contains('\n'));
}

void TestSignIn::refreshRotatesAndTheOldTokenIsRefused()
{
    IdentityClient client(config());
    const TokenSet first = signInWithDeviceCode(client);
    QVERIFY(first.hasAccessToken());

    SignInSession session(client, m_clock);
    session.setTokens(first);
    QSignalSpy renewed(&session, &SignInSession::renewed);
    session.renew();
    QVERIFY(renewed.wait(5000));
    const TokenSet second = renewed.first().first().value<TokenSet>();
    QVERIFY(second.accessToken != first.accessToken);
    QVERIFY(second.refreshToken != first.refreshToken);
    QCOMPARE(second.username, first.username); // kept though the refresh answer may omit it
    QCOMPARE(session.tokens().refreshToken, second.refreshToken);

    // Single use: the refresh token already redeemed is refused.
    const IdentityReply reused = answerTo([&](IdentityClient::Handler done) {
        client.redeemRefreshToken(first.refreshToken, this, done);
    });
    QCOMPARE(reused.error, QStringLiteral("invalid_grant"));
    QCOMPARE(reused.httpStatus, 400);
}

void TestSignIn::renewsAheadOfExpiry()
{
    IdentityClient client(config());
    const TokenSet tokens = signInWithDeviceCode(client);
    QVERIFY(tokens.hasAccessToken());
    SignInSession session(client, m_clock);
    session.setTokens(tokens);
    QSignalSpy renewed(&session, &SignInSession::renewed);

    m_clock.advance(minutes(54)); // six minutes left: not yet
    QCoreApplication::processEvents();
    QCOMPARE(m_tenant->identity().tokenRequests("refresh_token"), 0);
    QVERIFY(!session.isRenewing());

    m_clock.advance(minutes(2)); // four minutes left: within kRenewAhead
    QVERIFY(renewed.wait(5000));
    QCOMPARE(m_tenant->identity().tokenRequests("refresh_token"), 1);
    QVERIFY(m_clock.now().secsTo(session.tokens().expiresAt) > 3000);
}

// Tokens that live a second, or just under five minutes (the renewal lead): renewed halfway
// through their life and never sooner than the floor after the last renewal — the identity
// platform sees a few token POSTs a minute, not hundreds.
void TestSignIn::shortLivedTokensAreRenewedAtAPaceNotInALoop()
{
    for (const seconds lifetime : {seconds(1), seconds(299)}) {
        m_tenant->identity().setAccessTokenLifetime(lifetime);
        IdentityClient client(config());
        const TokenSet tokens = signInWithDeviceCode(client);
        QVERIFY(tokens.hasAccessToken());
        const int before = m_tenant->identity().tokenRequests("refresh_token");
        SignInSession session(client, m_clock);
        session.setTokens(tokens);
        for (int second = 0; second < 60; ++second) {
            m_clock.advance(seconds(1));
            QTRY_VERIFY(!session.isRenewing());
        }
        const int renewals = m_tenant->identity().tokenRequests("refresh_token") - before;
        const int allowed = int(60 / SignInSession::kRenewalFloor.count());
        if (lifetime == seconds(1)) {
            QVERIFY2(renewals >= allowed - 1 && renewals <= allowed,
                     qPrintable(QString::number(renewals)));
        } else {
            QCOMPARE(renewals, 0); // due halfway through its life: at 149.5 s
            m_clock.advance(seconds(90));
            QTRY_COMPARE(m_tenant->identity().tokenRequests("refresh_token") - before, 1);
        }
    }
}

// Graph keeps answering 401 to every token (no consent, a disabled account): the first 401
// renews the token; the same answer to the new one ends the watch with the reason, and the
// identity platform saw one renewal, not a loop.
// expires_in of 9223372036854776 s: in milliseconds it overflows a qint64, which once made the
// code "expired" before its first poll. It is polled, and the sign-in completes.
void TestSignIn::aDeviceCodeWithAHugeLifetimeIsStillPolled()
{
    m_tenant->identity().setDeviceCodeLifetime(seconds(9223372036854776));
    IdentityClient client(config());
    DeviceCodeSignIn flow(client, m_clock);
    // Real seconds: in milliseconds, that lifetime is what overflowed.
    flow.setSecondLength(std::chrono::milliseconds(1000));
    QSignalSpy prompted(&flow, &DeviceCodeSignIn::prompt);
    QSignalSpy signedIn(&flow, &DeviceCodeSignIn::signedIn);
    QSignalSpy failed(&flow, &DeviceCodeSignIn::failed);
    flow.start();
    QVERIFY(prompted.wait(5000));
    m_tenant->identity().approveDeviceCode(prompted.first().at(1).toString());
    QTRY_VERIFY_WITH_TIMEOUT(!signedIn.isEmpty() || !failed.isEmpty(), 10000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(signedIn.first().first().value<TokenSet>().hasAccessToken());
}

void TestSignIn::aTokenRefusedRightAfterItsRenewalEndsTheWatch()
{
    IdentityClient client(config());
    const TokenSet tokens = signInWithDeviceCode(client);
    SignInSession session(client, m_clock);
    session.setTokens(tokens);
    SimFault refused = SimFault::answer(QStringLiteral("/operations"), 401, {}, -1);
    m_server->injectFault(refused);

    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    SystemClock clock;
    WatchSession watch(watchOptions(session), clock, out, err);
    QSignalSpy finished(&watch, &WatchSession::finished);
    QVERIFY(watch.start());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().first().toInt(), int(WatchSession::UsageError));
    QVERIFY2(errText.contains("Graph refuses the new token"), qPrintable(errText));
    QCOMPARE(m_tenant->identity().tokenRequests("refresh_token"), 1);
    int graphRequests = 0;
    for (const SimRequestRecord &record : m_server->requests())
        graphRequests += record.path.contains(QLatin1String("/operations"));
    QCOMPARE(graphRequests, 2); // the first token's, and the renewed one's
}

void TestSignIn::renewsOnA401WhileWatchingAndPollingResumes()
{
    IdentityClient client(config());
    const TokenSet tokens = signInWithDeviceCode(client);
    QVERIFY(tokens.hasAccessToken());
    SignInSession session(client, m_clock);
    session.setTokens(tokens);

    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    const WatchSession::Options options = watchOptions(session);
    SystemClock clock;
    WatchSession watch(options, clock, out, err);
    QSignalSpy finished(&watch, &WatchSession::finished);
    QVERIFY(watch.start());
    QTRY_VERIFY_WITH_TIMEOUT(outText.contains("inProgress"), 10000);

    // The token stops working (expired early, or revoked): Graph answers 401.
    m_tenant->identity().expireAccessTokens();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().first().toInt(), int(WatchSession::AllSucceeded));
    QVERIFY2(errText.contains("renewing"), qPrintable(errText));
    QCOMPARE(m_tenant->identity().tokenRequests("refresh_token"), 1);
    QVERIFY(outText.contains("succeeded"));
    // No token, old or new, is ever printed.
    QVERIFY(!outText.contains(tokens.accessToken) && !errText.contains(tokens.accessToken));
    QVERIFY(!errText.contains(session.tokens().refreshToken));
}

void TestSignIn::aLostSignInEndsTheWatchWithAClearMessage()
{
    IdentityClient client(config());
    const TokenSet tokens = signInWithDeviceCode(client);
    SignInSession session(client, m_clock);
    session.setTokens(tokens);
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    const WatchSession::Options options = watchOptions(session);
    SystemClock clock;
    WatchSession watch(options, clock, out, err);
    QSignalSpy finished(&watch, &WatchSession::finished);
    m_tenant->identity().revokeRefreshTokens();
    m_tenant->identity().expireAccessTokens();
    QVERIFY(watch.start());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().first().toInt(), int(WatchSession::UsageError));
    QVERIFY2(errText.contains("invalid_grant") && errText.contains("sign in again"),
             qPrintable(errText));
}

void TestSignIn::appOnlyWithAClientSecret()
{
    const QString clientId = QStringLiteral("7d1c0a55-1111-4222-8333-444455556666");
    m_tenant->identity().registerApp(clientId, QStringLiteral("right-secret"));
    SignInConfig settings = config();
    settings.clientId = clientId;
    IdentityClient client(settings);

    const IdentityReply wrong = answerTo([&](IdentityClient::Handler done) {
        client.requestAppToken(secret("wrong-secret"), m_clock.now(), this, done);
    });
    QCOMPARE(wrong.error, QStringLiteral("invalid_client"));
    QVERIFY(wrong.describe().contains("AADSTS7000215"));

    const IdentityReply right = answerTo([&](IdentityClient::Handler done) {
        client.requestAppToken(secret("right-secret"), m_clock.now(), this, done);
    });
    QVERIFY2(right.ok(), qPrintable(right.describe()));
    TokenSet tokens = TokenSet::fromTokenAnswer(right.json, m_clock.now());
    tokens.appOnly = true;
    QVERIFY(tokens.refreshToken.isEmpty());

    // Renewing app-only asks again with the secret.
    SignInSession session(client, m_clock);
    session.setAppCredential(secret("right-secret"));
    session.setTokens(tokens);
    QVERIFY(session.canRenew());
    QSignalSpy renewed(&session, &SignInSession::renewed);
    session.renew();
    QVERIFY(renewed.wait(5000));
    QVERIFY(session.accessToken() != tokens.accessToken);
    QCOMPARE(m_tenant->identity().checkAccessToken(session.accessToken()),
             SimIdentity::TokenCheck::Valid);
}

namespace {

QJsonObject jwtPart(const QByteArray &jwt, int part)
{
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(jwt.split('.').value(part), QByteArray::Base64UrlEncoding))
        .object();
}

} // namespace

void TestSignIn::appOnlyWithACertificate()
{
    const QString clientId = QStringLiteral("9a8b7c6d-1111-4222-8333-444455556666");
    const TestCertificate made = TestCertificate::make();
    QVERIFY(!made.keyPem.isEmpty());
    QVERIFY(m_tenant->identity().registerAppCertificate(clientId, made.certificatePem));
    QString problem;
    const auto certificate =
        ClientCertificate::fromPem(made.certificatePem, made.keyPem, QByteArray(), problem);
    QVERIFY2(certificate, qPrintable(problem));

    // The header names the certificate by the SHA-256 of its DER, as Qt computes it too.
    const QByteArray thumbprint =
        QSslCertificate(made.certificatePem)
            .digest(QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    SignInConfig settings = config();
    settings.clientId = clientId;
    const QDateTime now = m_tenant->scenarioNow();
    const QByteArray assertion =
        certificate->assertion(clientId, settings.endpoint(QStringLiteral("token")), now, problem);
    const QJsonObject header = jwtPart(assertion, 0);
    QCOMPARE(header.value("alg").toString(), QStringLiteral("RS256"));
    QCOMPARE(header.value("x5t#S256").toString().toLatin1(), thumbprint);
    const QJsonObject claims = jwtPart(assertion, 1);
    QCOMPARE(claims.value("iss").toString(), clientId);
    QCOMPARE(claims.value("sub").toString(), clientId);
    QCOMPARE(claims.value("aud").toString(), settings.endpoint(QStringLiteral("token")).toString());
    QCOMPARE(claims.value("exp").toInteger() - claims.value("nbf").toInteger(),
             qint64(ClientCertificate::kAssertionLifetimeSecs));

    IdentityClient client(settings);
    const AppCredential credential{QString(), certificate};
    const IdentityReply answer = answerTo([&](IdentityClient::Handler done) {
        client.requestAppToken(credential, m_tenant->scenarioNow(), this, done);
    });
    QVERIFY2(answer.ok(), qPrintable(answer.describe()));
    TokenSet tokens = TokenSet::fromTokenAnswer(answer.json, m_clock.now());
    tokens.appOnly = true;
    QCOMPARE(m_tenant->identity().checkAccessToken(tokens.accessToken),
             SimIdentity::TokenCheck::Valid);

    // Renewing signs a new assertion (a new jti: the platform takes each one once), dated by the
    // session's clock: here the tenant's, which runs faster than the wall clock.
    ManualClock clock(m_tenant->scenarioNow());
    SignInSession session(client, clock);
    session.setAppCredential(credential);
    session.setTokens(tokens);
    QVERIFY(session.canRenew());
    QSignalSpy renewed(&session, &SignInSession::renewed);
    QSignalSpy lost(&session, &SignInSession::lost);
    session.renew();
    QVERIFY(renewed.wait(5000));
    QCOMPARE(lost.count(), 0);
    QVERIFY(session.accessToken() != tokens.accessToken);
    QCOMPARE(m_tenant->identity().checkAccessToken(session.accessToken()),
             SimIdentity::TokenCheck::Valid);
}

void TestSignIn::aCertificateAssertionIsCheckedAsThePlatformDoes()
{
    const QString clientId = QStringLiteral("9a8b7c6d-2222-4222-8333-444455556666");
    const TestCertificate registered = TestCertificate::make("registered");
    const TestCertificate other = TestCertificate::make("not registered");
    QVERIFY(m_tenant->identity().registerAppCertificate(clientId, registered.certificatePem));
    SignInConfig settings = config();
    settings.clientId = clientId;
    IdentityClient client(settings);
    QString problem;
    const auto good = ClientCertificate::fromPem(registered.certificatePem, registered.keyPem,
                                                 QByteArray(), problem);
    const auto unknown =
        ClientCertificate::fromPem(other.certificatePem, other.keyPem, QByteArray(), problem);
    QVERIFY(good && unknown);

    const auto send = [&](const QByteArray &assertion) {
        return answerTo([&](IdentityClient::Handler done) {
            client.post(QStringLiteral("token"),
                        {{"grant_type", "client_credentials"},
                         {"client_id", clientId},
                         {"scope", settings.appScope()},
                         {"client_assertion_type",
                          "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                         {"client_assertion", QString::fromLatin1(assertion)}},
                        this, done);
        });
    };
    const QUrl audience = settings.endpoint(QStringLiteral("token"));
    const auto assertionOf = [&](const ClientCertificate &certificate, const QDateTime &at) {
        QString failed;
        return certificate.assertion(clientId, audience, at, failed);
    };

    // A certificate the app registration does not hold.
    IdentityReply reply = send(assertionOf(*unknown, m_tenant->scenarioNow()));
    QCOMPARE(reply.error, QStringLiteral("invalid_client"));
    QVERIFY2(reply.describe().contains("AADSTS700027") &&
                 reply.describe().contains("not registered"),
             qPrintable(reply.describe()));

    // Claims changed after signing: the signature no longer holds.
    const QByteArray signedOnce = assertionOf(*good, m_tenant->scenarioNow());
    QList<QByteArray> parts = signedOnce.split('.');
    QJsonObject claims = jwtPart(signedOnce, 1);
    claims.insert("exp", claims.value("exp").toInteger() + 86400);
    parts[1] = QJsonDocument(claims)
                   .toJson(QJsonDocument::Compact)
                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    reply = send(parts.join('.'));
    QVERIFY2(reply.describe().contains("failed signature validation"),
             qPrintable(reply.describe()));

    // Out of its time range: made a day ago by a clock that was wrong.
    reply = send(assertionOf(*good, m_tenant->scenarioNow().addDays(-1)));
    QVERIFY2(reply.describe().contains("AADSTS700024"), qPrintable(reply.describe()));

    // Good once; the very same assertion again is a replay.
    reply = send(signedOnce);
    QVERIFY2(reply.ok(), qPrintable(reply.describe()));
    reply = send(signedOnce);
    QCOMPARE(reply.error, QStringLiteral("invalid_client"));
    QVERIFY2(reply.describe().contains("jti"), qPrintable(reply.describe()));

    // Not a JWT at all.
    reply = send("not.a-jwt");
    QVERIFY2(reply.describe().contains("AADSTS50027"), qPrintable(reply.describe()));
}

void TestSignIn::certificateFilesThatCannotServeSayWhy()
{
    const TestCertificate made = TestCertificate::make();
    const TestCertificate other = TestCertificate::make("other");
    QString problem;
    QVERIFY(!ClientCertificate::fromPem(made.certificatePem, other.keyPem, {}, problem));
    QVERIFY2(problem.contains("does not belong"), qPrintable(problem));
    QVERIFY(!ClientCertificate::fromPem("", made.keyPem, {}, problem));
    QVERIFY2(problem.contains("certificate"), qPrintable(problem));
    QVERIFY(!ClientCertificate::fromPem(made.certificatePem, made.certificatePem, {}, problem));
    QVERIFY2(problem.contains("no PEM private key"), qPrintable(problem));

    // An encrypted key opens with its passphrase only, and is never asked for on a terminal.
    QVERIFY(!ClientCertificate::fromPem(made.certificatePem, made.encryptedKeyPem, {}, problem));
    QVERIFY2(problem.contains("TEAMSOPS_CERTIFICATE_PASSPHRASE"), qPrintable(problem));
    QVERIFY(
        !ClientCertificate::fromPem(made.certificatePem, made.encryptedKeyPem, "wrong", problem));
    problem.clear();
    QVERIFY2(ClientCertificate::fromPem(made.certificatePem, made.encryptedKeyPem, made.passphrase,
                                        problem),
             qPrintable(problem));

    // One file with both, as `cat cert.pem key.pem` makes; and a file that is not there.
    QTemporaryDir dir;
    QFile both(dir.filePath("app.pem"));
    QVERIFY(both.open(QIODevice::WriteOnly));
    both.write(made.certificatePem + made.keyPem);
    both.close();
    QVERIFY2(ClientCertificate::fromFiles(both.fileName(), QString(), {}, problem),
             qPrintable(problem));
    QVERIFY(!ClientCertificate::fromFiles(dir.filePath("missing.pem"), QString(), {}, problem));
    QVERIFY2(problem.contains("missing.pem"), qPrintable(problem));
}

void TestSignIn::refusesPlainHttpToAnotherHost()
{
    SignInConfig settings = config();
    settings.authorityHost = QUrl(QStringLiteral("http://login.example.com"));
    QVERIFY(!settings.problem().isEmpty());
    IdentityClient client(settings);
    const IdentityReply refused = answerTo([&](IdentityClient::Handler done) {
        client.requestAppToken(secret("secret"), m_clock.now(), this, done);
    });
    QCOMPARE(refused.error, QStringLiteral("refused"));
}

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
