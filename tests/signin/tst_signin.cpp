// Sign-in against the simulator's identity platform, over real HTTP: the device code flow and
// its errors, refresh with rotation, renewal before expiry and on a 401 while watching, app-only
// with a secret. Time: the tenant runs 50 times faster than the wall clock, and the device code
// flow's seconds are shortened to match (a little longer, as a real network adds delay).
#include "clock.h"
#include "devicecodesignin.h"
#include "identityclient.h"
#include "signinsession.h"
#include "simserver.h"
#include "simtenant.h"
#include "watchsession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTextStream>

#include <functional>
#include <optional>

using namespace std::chrono;

namespace {

constexpr double kTimeScale = 50;       // simulated seconds per real second
constexpr milliseconds kFlowSecond{25}; // a platform second for the flow: 1/40 s
const QString kTeam = QStringLiteral("c0ffee00-0000-4000-8000-000000000001");
const QString kOperation = QStringLiteral("op-renew");

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void deviceCodeSignsInAfterPendingAnswers();
    void slowDownMakesThePollingSlower();
    void deviceCodeErrorsSayWhatHappened_data();
    void deviceCodeErrorsSayWhatHappened();
    void refreshRotatesAndTheOldTokenIsRefused();
    void renewsAheadOfExpiry();
    void renewsOnA401WhileWatchingAndPollingResumes();
    void aLostSignInEndsTheWatchWithAClearMessage();
    void appOnlyWithAClientSecret();
    void refusesPlainHttpToAnotherHost();

private:
    SignInConfig config() const;
    TokenSet signInWithDeviceCode(IdentityClient &client);
    // Sends one request through `send` and waits for its answer (error "no_answer" if none).
    IdentityReply answerTo(const std::function<void(IdentityClient::Handler)> &send);
    // teamsops-cli watch of the scenario's operation, every second, with this sign-in.
    WatchSession::Options watchOptions(SignInSession &session) const;

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
    flow.setSecondLength(kFlowSecond);
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
        client.requestAppToken(QStringLiteral("wrong-secret"), this, done);
    });
    QCOMPARE(wrong.error, QStringLiteral("invalid_client"));
    QVERIFY(wrong.describe().contains("AADSTS7000215"));

    const IdentityReply right = answerTo([&](IdentityClient::Handler done) {
        client.requestAppToken(QStringLiteral("right-secret"), this, done);
    });
    QVERIFY2(right.ok(), qPrintable(right.describe()));
    TokenSet tokens = TokenSet::fromTokenAnswer(right.json, m_clock.now());
    tokens.appOnly = true;
    QVERIFY(tokens.refreshToken.isEmpty());

    // Renewing app-only asks again with the secret.
    SignInSession session(client, m_clock);
    session.setClientSecret(QStringLiteral("right-secret"));
    session.setTokens(tokens);
    QVERIFY(session.canRenew());
    QSignalSpy renewed(&session, &SignInSession::renewed);
    session.renew();
    QVERIFY(renewed.wait(5000));
    QVERIFY(session.accessToken() != tokens.accessToken);
    QCOMPARE(m_tenant->identity().checkAccessToken(session.accessToken()),
             SimIdentity::TokenCheck::Valid);
}

void TestSignIn::refusesPlainHttpToAnotherHost()
{
    SignInConfig settings = config();
    settings.authorityHost = QUrl(QStringLiteral("http://login.example.com"));
    QVERIFY(!settings.problem().isEmpty());
    IdentityClient client(settings);
    const IdentityReply refused = answerTo([&](IdentityClient::Handler done) {
        client.requestAppToken(QStringLiteral("secret"), this, done);
    });
    QCOMPARE(refused.error, QStringLiteral("refused"));
}

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
