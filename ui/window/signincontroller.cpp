#include "window/signincontroller.h"

#include "dialogs/signindialogs.h"
#include "panes/welcomepage.h"
#include "polling/pollstate.h"
#include "signin/signinmanager.h"
#include "window/banner.h"
#include "window/mainwindow.h"
#include "window/pollstatusbar.h"

#include <QAction>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace {
const QString kSignInLink = QStringLiteral("teamsops:sign-in");
}

SignInController::SignInController(MainWindow &window, SignInManager &signIn)
    : QObject(&window)
    , m_window(window)
    , m_signIn(signIn)
{
    buildAccountMenu();
    connectSignIn();
    refreshAccount();
}

void SignInController::buildAccountMenu()
{
    m_accountMenu = new QMenu(tr("&Account"), &m_window);
    m_accountMenu->menuAction()->setObjectName(QStringLiteral("accountMenu"));
    QMenuBar *menuBar = m_window.menuBar();
    menuBar->insertMenu(menuBar->actions().value(2), m_accountMenu);
    QAction *browser = m_accountMenu->addAction(tr("Sign in with &Microsoft…"));
    browser->setObjectName(QStringLiteral("signInBrowser"));
    browser->setShortcut(QKeySequence(tr("Ctrl+Shift+I")));
    QAction *deviceCode = m_accountMenu->addAction(tr("Sign in with a &device code…"));
    deviceCode->setObjectName(QStringLiteral("signInDeviceCode"));
    QAction *pasteToken = m_accountMenu->addAction(tr("Use an &access token…"));
    pasteToken->setObjectName(QStringLiteral("useAccessToken"));
    pasteToken->setToolTip(tr("For a quick check: a token from Graph Explorer, used as it is "
                              "until it expires (kept in memory only)"));
    QAction *signOut = m_accountMenu->addAction(tr("Sign &out"));
    signOut->setObjectName(QStringLiteral("signOut"));
    m_accountMenu->addSeparator();
    QAction *settings = m_accountMenu->addAction(tr("Switch &tenant or app…"));
    settings->setObjectName(QStringLiteral("signInSettings"));

    connect(browser, &QAction::triggered, this, [this] { startSignIn(false); });
    connect(deviceCode, &QAction::triggered, this, [this] { startSignIn(true); });
    connect(pasteToken, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString token =
            QInputDialog::getText(&m_window, tr("Use an access token"),
                                  tr("Access token for Microsoft Graph (Graph Explorer → Access "
                                     "token). It is kept in memory only, until it expires:"),
                                  QLineEdit::Password, QString(), &ok)
                .trimmed();
        if (ok && !token.isEmpty())
            m_signIn.useFixedToken(token, tr("Pasted access token"));
    });
    connect(signOut, &QAction::triggered, this, [this] {
        const QString who = m_signIn.accountText();
        if (QMessageBox::question(&m_window, tr("Sign out"),
                                  tr("Sign out %1? Everything watched is kept; polling pauses "
                                     "until you sign in again.")
                                      .arg(who)) == QMessageBox::Yes)
            m_signIn.signOut();
    });
    connect(settings, &QAction::triggered, this, [this] {
        SignInSettingsDialog dialog(m_signIn.config(), &m_window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        SignInSettingsDialog::save(dialog.config());
        m_signIn.setConfig(dialog.config());
        if (!m_signIn.isSignedIn() ||
            QMessageBox::question(&m_window, tr("Switch tenant or app"),
                                  tr("Sign in again now, with these settings?")) ==
                QMessageBox::Yes)
            m_signIn.signInWithBrowser();
    });
    connect(m_window.welcome(), &WelcomePage::signInRequested, this,
            [this] { startSignIn(false); });
    connect(m_window.welcome(), &WelcomePage::deviceCodeSignInRequested, this,
            [this] { startSignIn(true); });
    connect(m_window.banner(), &Banner::linkActivated, this, [this](const QString &link) {
        if (link == kSignInLink)
            startSignIn(false);
    });
}

void SignInController::connectSignIn()
{
    Banner *banner = m_window.banner();
    QStatusBar *statusBar = m_window.statusBar();
    connect(&m_signIn, &SignInManager::openBrowser, this, [this, statusBar](const QUrl &url) {
        statusBar->showMessage(tr("Finish signing in in your browser…"), 60000);
        const bool opened = m_window.signInUrlOpener()(url);
        if (!m_demoApprover)
            showBrowserLink(url, opened);
    });
    connect(&m_signIn, &SignInManager::deviceCodePrompt, this,
            [this](const QString &uri, const QString &code, const QString &message) {
                if (!m_deviceCodeDialog) {
                    m_deviceCodeDialog = new DeviceCodeDialog(&m_window);
                    m_deviceCodeDialog->setAttribute(Qt::WA_DeleteOnClose);
                    connect(m_deviceCodeDialog, &QDialog::rejected, &m_signIn,
                            &SignInManager::cancelSignIn);
                    connect(m_deviceCodeDialog, &DeviceCodeDialog::openPageRequested, this,
                            [this](const QUrl &page) { m_window.urlOpener()(page); });
                    if (m_demoApprover)
                        m_deviceCodeDialog->setDemoApprover(m_demoApprover);
                }
                m_deviceCodeDialog->showPrompt(uri, code, message);
                m_deviceCodeDialog->show();
            });
    const auto closeDeviceCode = [this] { // and the browser's link: the sign-in ended
        if (m_deviceCodeDialog)
            m_deviceCodeDialog->accept();
        if (m_browserDialog)
            m_browserDialog->accept();
    };
    connect(&m_signIn, &SignInManager::signedIn, this, [this, banner, statusBar, closeDeviceCode] {
        closeDeviceCode();
        statusBar->clearMessage();
        banner->clear(Banner::Topic::SignIn);
        refreshAccount();
        m_window.pollStatus()->refresh();
    });
    connect(&m_signIn, &SignInManager::signInFailed, this,
            [banner, statusBar, closeDeviceCode](const QString &message) {
                closeDeviceCode();
                statusBar->clearMessage();
                banner->showMessage(
                    tr("<b>Sign-in did not finish</b>: %1. <a href=\"%2\">Try again</a>")
                        .arg(message.toHtmlEscaped(), kSignInLink),
                    Banner::Kind::Warning, Banner::Topic::SignIn);
            });
    connect(&m_signIn, &SignInManager::lost, this, [this, statusBar](const QString &why) {
        statusBar->clearMessage(); // "renewing…" is over
        showSignInNeeded(why);
        refreshAccount();
    });
    connect(&m_signIn, &SignInManager::signedOut, this, [this, banner] {
        refreshAccount();
        banner->showMessage(
            tr("Signed out. Polling is paused until you <a href=\"%1\">sign in</a> again; "
               "everything watched is kept.")
                .arg(kSignInLink),
            Banner::Kind::Info, Banner::Topic::SignIn);
    });
    connect(&m_signIn, &SignInManager::notKept, this, [banner](const QString &why) {
        banner->showMessage(
            tr("<b>Signed in for this run only</b>: no keychain could keep the sign-in "
               "(%1). TeamsOps asks you to sign in again when it next starts; nothing is "
               "written in plain text.")
                .arg(why.toHtmlEscaped()),
            Banner::Kind::Info);
    });
    connect(&m_signIn, &SignInManager::restored, this, [this, banner](bool signedIn) {
        refreshAccount();
        // No keychain to bring a sign-in back from: say why the last one is not here, and
        // that the next lasts this run only.
        if (!signedIn && !m_signIn.isSignedIn() && !m_signIn.notKeptReason().isEmpty()) {
            banner->showMessage(
                tr("<b>Not signed in</b>: no keychain is available here (%1), so a sign-in "
                   "lasts one run only. <a href=\"%2\">Sign in</a>; nothing is written in "
                   "plain text.")
                    .arg(m_signIn.notKeptReason().toHtmlEscaped(), kSignInLink),
                Banner::Kind::Info, Banner::Topic::SignIn);
            return;
        }
        // Operations are watched but nobody is signed in: say so where they are shown.
        if (!signedIn && !m_signIn.isSignedIn() && !m_window.isShowingWelcome() &&
            !banner->isAbout(Banner::Topic::SignIn)) {
            banner->showMessage(tr("<b>Not signed in.</b> Polling waits until you <a "
                                   "href=\"%1\">sign in</a>; everything watched is kept.")
                                    .arg(kSignInLink),
                                Banner::Kind::Warning, Banner::Topic::SignIn);
        }
    });
}

void SignInController::showBrowserLink(const QUrl &url, bool browserOpened)
{
    if (!m_browserDialog) {
        m_browserDialog = new BrowserSignInDialog(&m_window);
        m_browserDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_browserDialog, &QDialog::rejected, &m_signIn, &SignInManager::cancelSignIn);
        connect(m_browserDialog, &QDialog::rejected, m_window.statusBar(),
                &QStatusBar::clearMessage);
        connect(m_browserDialog, &BrowserSignInDialog::openAgainRequested, this,
                [this](const QUrl &link) { m_window.signInUrlOpener()(link); });
    }
    m_browserDialog->showLink(url, browserOpened);
    m_browserDialog->show();
}

void SignInController::useDemoTenant(std::function<void(const QString &)> approveDeviceCode)
{
    m_demoApprover = std::move(approveDeviceCode);
}

void SignInController::tokenRefused(const QString &why)
{
    if (m_signIn.canRenew())
        m_window.statusBar()->showMessage(tr("Graph refused the token; renewing the sign-in…"),
                                          15000);
    else
        showSignInNeeded(why);
}

void SignInController::startSignIn(bool deviceCode)
{
    // No app registration yet (or one that cannot work): the settings first, then sign in.
    if (!m_signIn.config().problem().isEmpty()) {
        SignInSettingsDialog dialog(m_signIn.config(), &m_window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        SignInSettingsDialog::save(dialog.config());
        m_signIn.setConfig(dialog.config());
    }
    if (deviceCode)
        m_signIn.signInWithDeviceCode();
    else
        m_signIn.signInWithBrowser();
}

void SignInController::showSignInNeeded(const QString &why)
{
    m_window.banner()->showMessage(
        tr("<b>Sign in again</b> — the sign-in no longer works (%1). Polling is paused and "
           "nothing watched is lost. <a href=\"%2\">Sign in again</a>")
            .arg(why.toHtmlEscaped(), kSignInLink),
        Banner::Kind::Warning, Banner::Topic::SignIn);
}

void SignInController::refreshAccount()
{
    const bool signedIn = m_signIn.isSignedIn();
    const QString account = m_signIn.accountText();
    m_window.pollStatus()->setAccount(signedIn ? account : QString(),
                                      signedIn ? m_signIn.accountDetails() : QString());
    m_window.pollState()->setSignInNeeded(!signedIn);
    m_window.welcome()->setSignInOffered(!signedIn, account);
    for (QAction *action : m_accountMenu->actions()) {
        if (action->objectName() == QLatin1String("signOut"))
            action->setEnabled(signedIn);
    }
}

DeviceCodeDialog *SignInController::deviceCodeDialog() const
{
    return m_deviceCodeDialog;
}

BrowserSignInDialog *SignInController::browserDialog() const
{
    return m_browserDialog;
}

QString SignInController::account() const
{
    if (!m_signIn.isSignedIn())
        return QString();
    const TokenSet &tokens = m_signIn.tokens();
    return tokens.username.isEmpty() ? tokens.accountName : tokens.username;
}
