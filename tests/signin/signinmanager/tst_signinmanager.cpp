// SignInManager's lifetimes, against the simulator's identity platform over real HTTP and a real
// Secret Service (run by with-keyring.sh: a D-Bus session and keyring of its own). Each test
// makes the interleaving that used an object after it was deleted, or let a replaced session
// speak for the current one; the sanitized run of ./scripts/test reports any use after free.
#include "signin/secretstore.h"
#include "signin/signinmanager.h"
#include "signin/signinsession.h"
#include "simfixture.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

namespace {

const SimIdentity::Account kAdele{QStringLiteral("Adele Vance"),
                                  QStringLiteral("adelev@contoso.onmicrosoft.com")};
const SimIdentity::Account kMegan{QStringLiteral("Megan Bowen"),
                                  QStringLiteral("meganb@contoso.onmicrosoft.com")};

// The browser: to the platform's page, which consents and sends it back to TeamsOps.
bool browse(const QUrl &url)
{
    QNetworkAccessManager browser;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *reply = browser.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    const bool ok = done.wait(5000) && reply->readAll().contains("You can close this tab");
    delete reply;
    return ok;
}

// What the keychain holds for the service, read as the next run would.
std::optional<KeptSignIn> keptIn(const QString &service)
{
    SecretStore secrets(service);
    std::optional<KeptSignIn> kept;
    QEventLoop loop;
    secrets.read(KeptSignIn::keychainKey(), &loop,
                 [&](const std::optional<QByteArray> &data, const QString &) {
                     if (data)
                         kept = KeptSignIn::fromJson(*data);
                     loop.quit();
                 });
    loop.exec();
    return kept;
}

} // namespace

class TestSignInManager : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { m_service = QStringLiteral("teamsops-test-") + QUuid::createUuid().toString(); }
    void aKeptSignInReadDuringABrowserSignInIsSetAside();
    void changingTheConfigInsideAPromptKeepsTheClientItRunsIn();
    void aReplacedSessionNeitherKeepsNorForgetsTheSignIn();
    void aSignInGoesOnlyToItsOwnGraph();

private:
    // Signs in with the browser as `account`; true once signed in.
    bool signInWithBrowser(SimFixture &sim, SignInManager &manager,
                           const SimIdentity::Account &account)
    {
        sim.tenant.identity().setBrowserAccount(account);
        QSignalSpy opened(&manager, &SignInManager::openBrowser);
        manager.signInWithBrowser();
        // Emitted at once: the listener is up before the browser is asked to open.
        if ((opened.isEmpty() && !opened.wait(5000)) || !browse(opened.first().first().toUrl()))
            return false;
        return QTest::qWaitFor([&manager] { return manager.isSignedIn(); });
    }

    QString m_service;
};

void TestSignInManager::aKeptSignInReadDuringABrowserSignInIsSetAside()
{
    SimFixture sim;
    {
        SignInManager earlierRun(signInConfigOf(sim), sim.clock, nullptr, m_service);
        QVERIFY(signInWithBrowser(sim, earlierRun, kAdele));
        QTRY_VERIFY(keptIn(m_service).has_value());
    }
    // The welcome page's browser sign-in starts while the keychain is still being read: the
    // browser sign-in holds the identity client the kept sign-in used to replace at once.
    SignInManager manager(signInConfigOf(sim), sim.clock, nullptr, m_service);
    sim.tenant.identity().setBrowserAccount(kMegan);
    QSignalSpy opened(&manager, &SignInManager::openBrowser);
    QSignalSpy restored(&manager, &SignInManager::restored);
    manager.signInWithBrowser();
    QTRY_COMPARE(opened.size(), 1);
    manager.restore();
    QTRY_COMPARE(restored.size(), 1);
    QCOMPARE(restored.first().first().toBool(), false); // set aside: the admin is signing in
    QVERIFY(browse(opened.first().first().toUrl()));
    QTRY_VERIFY(manager.isSignedIn());
    QCOMPARE(manager.tokens().username, kMegan.username);
    QTRY_COMPARE(keptIn(m_service)->tokens.username, kMegan.username);
}

void TestSignInManager::changingTheConfigInsideAPromptKeepsTheClientItRunsIn()
{
    // The device code prompt opens a dialog; the admin opens the sign-in settings from there
    // and changes the tenant, all inside the identity client's answer.
    SimFixture sim;
    SignInManager manager(signInConfigOf(sim), sim.clock, nullptr, m_service);
    manager.setKeepingInKeychain(false);
    SignInConfig other = signInConfigOf(sim);
    other.tenant = QStringLiteral("contoso.onmicrosoft.com");
    QSignalSpy prompted(&manager, &SignInManager::deviceCodePrompt);
    connect(&manager, &SignInManager::deviceCodePrompt, this,
            [&manager, &other] { manager.setConfig(other); });
    manager.signInWithDeviceCode();
    QVERIFY(prompted.wait(5000));
    QVERIFY(!manager.isSigningIn()); // the settings' change ended that sign-in
    QCOMPARE(manager.config().tenant, other.tenant);
    // The new client works: a sign-in on the changed settings completes.
    disconnect(&manager, &SignInManager::deviceCodePrompt, this, nullptr);
    manager.setConfig(signInConfigOf(sim));
    QVERIFY(signInWithBrowser(sim, manager, kAdele));
}

void TestSignInManager::aReplacedSessionNeitherKeepsNorForgetsTheSignIn()
{
    SimFixture sim;
    SignInManager manager(signInConfigOf(sim), sim.clock, nullptr, m_service);
    QVERIFY(signInWithBrowser(sim, manager, kAdele));
    const QList<SignInSession *> sessions = manager.findChildren<SignInSession *>();
    QCOMPARE(sessions.size(), 1);
    QPointer<SignInSession> replaced = sessions.first();
    const TokenSet adeles = manager.tokens();

    // Megan signs in on the same machine; Adele's session answers late, before it is deleted:
    // a renewal (its tokens) and then a refusal.
    QSignalSpy lost(&manager, &SignInManager::lost);
    connect(&manager, &SignInManager::signedIn, this, [replaced, adeles] {
        if (!replaced)
            return;
        emit replaced->renewed(adeles);
        emit replaced->lost(QStringLiteral("AADSTS70000: the refresh token was revoked"));
    });
    QVERIFY(signInWithBrowser(sim, manager, kMegan));
    QTRY_VERIFY(!replaced);
    QCOMPARE(lost.size(), 0);
    QCOMPARE(manager.tokens().username, kMegan.username);
    // The keychain holds Megan's sign-in: not Adele's, and not nothing.
    QTRY_COMPARE(keptIn(m_service).value_or(KeptSignIn{}).tokens.username, kMegan.username);
}

void TestSignInManager::aSignInGoesOnlyToItsOwnGraph()
{
    // The dashboard started with --graph-url naming another Graph than the kept sign-in's.
    SimFixture sim;
    SimFixture elsewhere;
    {
        SignInManager earlierRun(signInConfigOf(sim), sim.clock, nullptr, m_service);
        QVERIFY(signInWithBrowser(sim, earlierRun, kAdele));
        QTRY_VERIFY(keptIn(m_service).has_value());
    }
    SignInManager manager(signInConfigOf(sim), sim.clock, nullptr, m_service);
    manager.setGraph(elsewhere.base());
    QSignalSpy restored(&manager, &SignInManager::restored);
    QSignalSpy lost(&manager, &SignInManager::lost);
    manager.restore();
    QTRY_COMPARE(restored.size(), 1);
    QCOMPARE(restored.first().first().toBool(), false);
    QCOMPARE(lost.size(), 1);
    const QString why = lost.first().first().toString();
    QVERIFY2(why.contains(SignInConfig::origin(sim.base())) &&
                 why.contains(SignInConfig::origin(elsewhere.base())),
             qPrintable(why));
    QVERIFY(!manager.isSignedIn());
    QCOMPARE(manager.tokenProvider()(), QString());
    QCOMPARE(sim.tenant.identity().tokenRequests("refresh_token"), 0); // not even renewed
    QVERIFY(keptIn(m_service).has_value()); // left for a run that talks to its Graph

    // Signing in with settings for that other Graph is refused, and says why.
    QSignalSpy failed(&manager, &SignInManager::signInFailed);
    QSignalSpy opened(&manager, &SignInManager::openBrowser);
    manager.signInWithBrowser();
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(failed.first().first().toString().contains(SignInConfig::origin(elsewhere.base())));
    QCOMPARE(opened.size(), 0);

    // A token given explicitly (TEAMSOPS_TOKEN) goes where it is told.
    manager.useFixedToken(QStringLiteral("explicit"), QStringLiteral("Token from TEAMSOPS_TOKEN"));
    QCOMPARE(manager.tokenProvider()(), QStringLiteral("explicit"));
}

QTEST_MAIN(TestSignInManager)
#include "tst_signinmanager.moc"
