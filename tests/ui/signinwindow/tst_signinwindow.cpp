// Signing in from the dashboard, offscreen, against the simulator's identity platform over real
// HTTP: the welcome page's browser sign-in (the test is the browser), the device code dialog,
// the account in the status bar, the "Sign in again" banner of a lost sign-in with polling
// paused and nothing lost, the no-keychain notice, and the sign-in settings' checks.
#include "dialogs/signindialogs.h"
#include "graph/graphclient.h"
#include "keyboardreach.h"
#include "modaldialogs.h"
#include "panes/welcomepage.h"
#include "polling/operationpoller.h"
#include "polling/teamoperations.h"
#include "signin/signinmanager.h"
#include "simfixture.h"
#include "store/operationstore.h"
#include "window/banner.h"
#include "window/mainwindow.h"
#include "window/signincontroller.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QtTest>

using namespace std::chrono;

namespace {

const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
const QString kClone = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");

// The whole dashboard on a simulated tenant, signed in by nobody yet.
struct SignedOutWindow
{
    SimFixture sim{QJsonObject{{"teams", QJsonArray{team(kTeam, "Template")}},
                               {"operations", QJsonArray{operation(kClone, kTeam, 10, 100000)}}}};
    SignInManager signIn{signInConfigOf(sim), sim.clock};
    GraphClient client{sim.base(), signIn.tokenProvider()};
    OperationStore store;
    OperationPoller poller{client, sim.clock, store};
    MainWindow window{client, poller, sim.clock};
    QList<QUrl> opened; // what the window asked the browser to open
    QNetworkAccessManager browser;

    SignedOutWindow()
    {
        poller.setInterval(seconds(30));
        signIn.attach(poller);
        window.setUrlOpener([this](const QUrl &url) {
            opened.append(url);
            return true;
        });
        window.attachSignIn(signIn);
        window.show();
    }
    // The browser: to the platform's page, which consents and sends it back to TeamsOps.
    void browse(const QUrl &url)
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply *reply = browser.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->readAll().contains("You can close this tab"));
        reply->deleteLater();
    }
    void signInInTheBrowser()
    {
        const qsizetype before = opened.size();
        QTest::mouseClick(window.findChild<QPushButton *>("welcomeSignIn"), Qt::LeftButton);
        QTRY_COMPARE(opened.size(), before + 1);
        QVERIFY(opened.last().path().endsWith("/oauth2/v2.0/authorize"));
        browse(opened.last());
        QTRY_VERIFY(signIn.isSignedIn());
    }
    void watchAndPoll()
    {
        poller.watch(
            *resolveLocation(QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, kClone),
                             sim.base())
                 .ref);
        QTRY_VERIFY(store.size() == 1 && store.at(0).polls > 0 && poller.inFlightRequests() == 0);
    }
    QString account() const { return window.findChild<QLabel *>("accountLabel")->text(); }
    Banner *banner() const { return window.findChild<Banner *>("banner"); }
};

} // namespace

class TestSignInWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signsInFromTheWelcomePageInTheBrowser();
    void deviceCodeDialogShowsTheCodeUntilApproved();
    void theDemoTenantApprovesItsOwnDeviceCodes();
    void withoutABrowserTheLinkIsShownWithCopyAndCancel();
    void aLostSignInPausesPollingUntilSignedInAgain();
    void withoutAKeychainTheSignInLastsThisRunAndSaysSo();
    void settingsRefuseWhatCannotWork();
    void signOutPausesPollingAndOffersSignInAgain();
    void aPastedTokenIsUsedUntilGraphRefusesIt();
};

namespace {

QAction *action(const MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QLatin1String(name));
}

} // namespace

void TestSignInWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // No Secret Service here: every keychain job fails, as on a machine without one.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/teamsops-no-bus");
}

void TestSignInWindow::signsInFromTheWelcomePageInTheBrowser()
{
    SignedOutWindow w;
    w.sim.tenant.identity().setBrowserAccount(
        {QStringLiteral("Adele Vance"), QStringLiteral("adelev@contoso.onmicrosoft.com")});
    QVERIFY(w.window.isShowingWelcome());
    auto *signInButton = w.window.findChild<QPushButton *>("welcomeSignIn");
    QVERIFY(signInButton->isVisible());
    QVERIFY(w.window.findChild<QPushButton *>("welcomeDeviceCode")->isVisible());
    QVERIFY2(w.account().contains("Not signed in"), qPrintable(w.account()));
    // The Account menu too is reachable by keyboard (letters unique within it).
    const QStringList unreachable = unreachableByKeyboard(*w.window.menuBar());
    QVERIFY2(unreachable.isEmpty(), qPrintable(unreachable.join(QStringLiteral(" | "))));

    w.signInInTheBrowser();
    // Who, in the status bar and on the welcome page, and no more offers to sign in.
    QVERIFY2(w.account().contains("Adele Vance"), qPrintable(w.account()));
    QVERIFY(w.account().contains("contoso.onmicrosoft.com"));
    QVERIFY(!signInButton->isVisible());
    QVERIFY(w.window.findChild<QLabel *>("welcomeAccount")->text().contains("Adele Vance"));

    // The token is the one the platform issued for this sign-in, and Graph takes it.
    w.watchAndPoll();
    QVERIFY(w.store.at(0).latest.has_value());
    QVERIFY(!w.poller.isPausedForSignIn());
    QCOMPARE(w.sim.tenant.identity().checkAccessToken(w.signIn.tokenProvider()()),
             SimIdentity::TokenCheck::Valid);
}

void TestSignInWindow::deviceCodeDialogShowsTheCodeUntilApproved()
{
    SignedOutWindow w;
    w.sim.tenant.identity().setDeviceCodeInterval(seconds(1));
    QTest::mouseClick(w.window.findChild<QPushButton *>("welcomeDeviceCode"), Qt::LeftButton);
    QTRY_VERIFY(w.window.signIn()->deviceCodeDialog() &&
                w.window.signIn()->deviceCodeDialog()->isVisible());
    DeviceCodeDialog *dialog = w.window.signIn()->deviceCodeDialog();
    QTRY_COMPARE(dialog->userCode(), w.sim.tenant.identity().lastUserCode());
    QVERIFY(!dialog->userCode().isEmpty());
    QCOMPARE(dialog->verificationUri(), QStringLiteral("https://microsoft.com/devicelogin"));
    // "Open the page" goes to the verification page.
    QTest::mouseClick(dialog->findChild<QPushButton *>("openDeviceCodePage"), Qt::LeftButton);
    QVERIFY(w.opened.contains(QUrl(QStringLiteral("https://microsoft.com/devicelogin"))));

    // The user enters the code elsewhere; the platform's clock moves past the poll interval.
    QVERIFY(w.sim.tenant.identity().approveDeviceCode(dialog->userCode()));
    w.sim.clock.advance(seconds(5));
    QTRY_VERIFY_WITH_TIMEOUT(w.signIn.isSignedIn(), 10000);
    QTRY_VERIFY(!w.window.signIn()->deviceCodeDialog());
    QVERIFY(w.account().contains("Megan Bowen"));
}

void TestSignInWindow::theDemoTenantApprovesItsOwnDeviceCodes()
{
    // Nobody can sign in to the demo tenant on Microsoft's page: the dialog approves its codes.
    SignedOutWindow w;
    w.sim.tenant.identity().setDeviceCodeInterval(seconds(1));
    w.window.signIn()->useDemoTenant(
        [&w](const QString &code) { w.sim.tenant.identity().approveDeviceCode(code); });
    QTest::mouseClick(w.window.findChild<QPushButton *>("welcomeDeviceCode"), Qt::LeftButton);
    QTRY_VERIFY(w.window.signIn()->deviceCodeDialog() &&
                w.window.signIn()->deviceCodeDialog()->isVisible());
    DeviceCodeDialog *dialog = w.window.signIn()->deviceCodeDialog();
    QTRY_COMPARE(dialog->userCode(), w.sim.tenant.identity().lastUserCode());
    auto *approve = dialog->findChild<QPushButton *>("approveDeviceCode");
    QVERIFY(approve->isVisible() && approve->isEnabled());
    QTest::mouseClick(approve, Qt::LeftButton);
    w.sim.clock.advance(seconds(5));
    QTRY_VERIFY_WITH_TIMEOUT(w.signIn.isSignedIn(), 10000);
    QTRY_VERIFY(!w.window.signIn()->deviceCodeDialog());
}

void TestSignInWindow::withoutABrowserTheLinkIsShownWithCopyAndCancel()
{
    SignedOutWindow w;
    w.window.setUrlOpener([](const QUrl &) { return false; }); // no browser on this machine
    auto *signInButton = w.window.findChild<QPushButton *>("welcomeSignIn");
    QTest::mouseClick(signInButton, Qt::LeftButton);
    QTRY_VERIFY(w.window.signIn()->browserDialog() &&
                w.window.signIn()->browserDialog()->isVisible());
    BrowserSignInDialog *dialog = w.window.signIn()->browserDialog();
    QVERIFY(dialog->findChild<QLabel *>()->text().contains("No browser could be opened"));
    const QString link = dialog->findChild<QLineEdit *>("signInLink")->text();
    QVERIFY2(QUrl(link).path().endsWith("/oauth2/v2.0/authorize"), qPrintable(link));
    QTest::mouseClick(dialog->findChild<QPushButton *>("copySignInLink"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), link);
    // Cancel ends the sign-in: its listener is gone.
    QVERIFY(w.signIn.isSigningIn());
    dialog->reject();
    QVERIFY(!w.signIn.isSigningIn());
    QTRY_VERIFY(!w.window.signIn()->browserDialog());

    // Again, and this time the admin pastes the link into a browser: signed in, dialog gone.
    QTest::mouseClick(signInButton, Qt::LeftButton);
    QTRY_VERIFY(w.window.signIn()->browserDialog());
    w.browse(
        QUrl(w.window.signIn()->browserDialog()->findChild<QLineEdit *>("signInLink")->text()));
    QTRY_VERIFY(w.signIn.isSignedIn());
    QTRY_VERIFY(!w.window.signIn()->browserDialog());
}

void TestSignInWindow::aLostSignInPausesPollingUntilSignedInAgain()
{
    SignedOutWindow w;
    w.signInInTheBrowser();
    w.watchAndPoll();

    // An admin revoked the sessions: the access token expires, the refresh token is refused.
    w.sim.tenant.identity().revokeRefreshTokens();
    w.sim.tenant.identity().expireAccessTokens();
    QSignalSpy lost(&w.signIn, &SignInManager::lost);
    w.sim.clock.advance(seconds(31));
    QTRY_COMPARE(lost.size(), 1);
    QVERIFY(lost.first().first().toString().contains("invalid_grant"));
    QVERIFY(w.poller.isPausedForSignIn());
    QTRY_VERIFY(w.banner()->isVisible());
    QVERIFY2(w.banner()->text().contains("Sign in again"), qPrintable(w.banner()->text()));
    QVERIFY(w.account().contains("Not signed in"));
    // Nothing watched is lost, and nothing is polled meanwhile.
    QCOMPARE(w.store.size(), 1);
    const int pollsBefore = w.store.at(0).polls;
    w.sim.clock.advance(seconds(60));
    QCOMPARE(w.poller.inFlightRequests(), 0);
    QCOMPARE(w.store.at(0).polls, pollsBefore);

    // The banner's link signs in again; polling resumes.
    const qsizetype before = w.opened.size();
    emit w.banner()->linkActivated(QStringLiteral("teamsops:sign-in"));
    QTRY_COMPARE(w.opened.size(), before + 1);
    w.browse(w.opened.last());
    QTRY_VERIFY(w.signIn.isSignedIn());
    QTRY_VERIFY(!w.poller.isPausedForSignIn());
    QTRY_VERIFY(w.store.at(0).polls > pollsBefore);
    QVERIFY2(!w.banner()->isAbout(Banner::Topic::SignIn), qPrintable(w.banner()->text()));
}

void TestSignInWindow::withoutAKeychainTheSignInLastsThisRunAndSaysSo()
{
    SignedOutWindow w;
    QSignalSpy notKept(&w.signIn, &SignInManager::notKept);
    // At start, as the app does: no keychain to read a kept sign-in from, and the window says
    // why nobody is signed in after a restart.
    QSignalSpy restored(&w.signIn, &SignInManager::restored);
    w.signIn.restore();
    QTRY_VERIFY_WITH_TIMEOUT(restored.size() == 1, 15000);
    QTRY_VERIFY(w.banner()->isVisible());
    QVERIFY2(w.banner()->text().contains("no keychain is available here") &&
                 w.banner()->text().contains("one run only"),
             qPrintable(w.banner()->text()));
    // The sign-in then says that it lasts this run only (the failed read said nothing of it).
    w.signInInTheBrowser();
    QTRY_VERIFY_WITH_TIMEOUT(notKept.size() == 1, 15000);
    QTRY_VERIFY(w.banner()->isVisible());
    QVERIFY2(w.banner()->text().contains("for this run only"), qPrintable(w.banner()->text()));
    QVERIFY(!w.signIn.notKeptReason().isEmpty());
    // Still signed in and polling.
    w.watchAndPoll();
    QVERIFY(!w.poller.isPausedForSignIn());
}

void TestSignInWindow::settingsRefuseWhatCannotWork()
{
    SignInConfig none;
    SignInSettingsDialog dialog(none);
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *problem = dialog.findChild<QLabel *>("signInSettingsProblem");
    auto edits = dialog.findChildren<QLineEdit *>();
    QCOMPARE(edits.size(), 2);
    QLineEdit *tenant = edits.at(0);
    QLineEdit *clientId = edits.at(1);
    QVERIFY(!ok->isEnabled()); // no client id yet
    // In the dialog's terms: its fields, not the command line's options or the README.
    QVERIFY2(problem->text().startsWith("Client ID: enter the Application (client) ID"),
             qPrintable(problem->text()));
    QVERIFY(!problem->text().contains("--") && !problem->text().contains("README"));
    clientId->setText(QStringLiteral("5e3ce6c0-2b1f-4285-8d4b-75ee78787346"));
    QVERIFY(ok->isEnabled());
    tenant->setText(QStringLiteral("contoso.com/../common"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(problem->text().startsWith("Tenant: "), qPrintable(problem->text()));
    tenant->setText(QStringLiteral("contoso.onmicrosoft.com"));
    QVERIFY(ok->isEnabled());
    auto *cloud = dialog.findChild<QComboBox *>();
    cloud->setCurrentIndex(cloud->findData(QStringLiteral("usgov")));
    const SignInConfig chosen = dialog.config();
    QCOMPARE(chosen.authorityHost.host(), QStringLiteral("login.microsoftonline.us"));
    QCOMPARE(chosen.graphUrl.host(), QStringLiteral("graph.microsoft.us"));
    QCOMPARE(chosen.tenant, QStringLiteral("contoso.onmicrosoft.com"));

    // Kept between runs (never a secret: the refresh token lives in the keychain only).
    SignInSettingsDialog::save(chosen);
    const SignInConfig loaded = SignInSettingsDialog::load(SignInConfig());
    QCOMPARE(loaded.authorityHost, chosen.authorityHost);
    QCOMPARE(loaded.graphUrl, chosen.graphUrl);
    QCOMPARE(loaded.clientId, chosen.clientId);
    QCOMPARE(loaded.tenant, chosen.tenant);
}

void TestSignInWindow::signOutPausesPollingAndOffersSignInAgain()
{
    SignedOutWindow w;
    QVERIFY(!action(w.window, "signOut")->isEnabled());
    w.signInInTheBrowser();
    QVERIFY(action(w.window, "signOut")->isEnabled());
    w.watchAndPoll();

    QSignalSpy signedOut(&w.signIn, &SignInManager::signedOut);
    whenModalOpens([](QWidget *box) {
        QTest::mouseClick(qobject_cast<QMessageBox *>(box)->button(QMessageBox::Yes),
                          Qt::LeftButton);
    });
    action(w.window, "signOut")->trigger();
    QTRY_COMPARE(signedOut.size(), 1);
    QVERIFY(!w.signIn.isSignedIn());
    QVERIFY(w.signIn.tokenProvider()().isEmpty());
    QVERIFY(w.account().contains("Not signed in"));
    QVERIFY(w.banner()->text().contains("Signed out"));
    // Polling paused before the token went: nothing goes out without one, so no 401 replaces
    // the calm banner with a false "sign in again", and nothing needs attention.
    QVERIFY(w.poller.isPausedForSignIn());
    const qsizetype sent = w.sim.server.requests().size();
    w.sim.clock.advance(seconds(31));
    QCoreApplication::processEvents();
    QCOMPARE(w.sim.server.requests().size(), sent);
    QVERIFY(!w.poller.wakeAt().isValid()); // nothing scheduled either
    QVERIFY2(w.banner()->text().contains("Signed out"), qPrintable(w.banner()->text()));
    QVERIFY(w.store.at(0).lastFailure != GraphFailure::Unauthorized);
    QCOMPARE(w.store.size(), 1);
}

void TestSignInWindow::aPastedTokenIsUsedUntilGraphRefusesIt()
{
    SignedOutWindow w;
    whenModalOpens([](QWidget *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        QCOMPARE(input->textEchoMode(), QLineEdit::Password);
        input->setTextValue(QStringLiteral("test-token")); // the token the simulator started with
        input->accept();
    });
    action(w.window, "useAccessToken")->trigger();
    QTRY_VERIFY(w.signIn.isSignedIn());
    QVERIFY(w.account().contains("Pasted access token"));
    w.watchAndPoll();
    QVERIFY(w.store.at(0).latest.has_value());

    // Graph refuses it (an expired token, say): dropped, and "Sign in again".
    QSignalSpy lost(&w.signIn, &SignInManager::lost);
    whenModalOpens([](QWidget *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        input->setTextValue(QStringLiteral("not-a-token-graph-knows"));
        input->accept();
    });
    action(w.window, "useAccessToken")->trigger();
    QTRY_VERIFY(w.signIn.tokenProvider()() == QStringLiteral("not-a-token-graph-knows"));
    w.sim.clock.advance(seconds(31));
    QTRY_COMPARE(lost.size(), 1);
    QVERIFY(!w.signIn.isSignedIn());
    QVERIFY(w.poller.isPausedForSignIn());
    QTRY_VERIFY(w.banner()->text().contains("Sign in again"));
}

QTEST_MAIN(TestSignInWindow)
#include "tst_signinwindow.moc"
