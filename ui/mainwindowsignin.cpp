// MainWindow's side of signing in: the Account menu, the welcome page's buttons, the status
// bar's account and the banners of a lost or unkept sign-in. SignInManager (core) does the work.
#include "mainwindow.h"

#include "signin/signinmanager.h"
#include "signindialogs.h"
#include "welcomepage.h"

#include <QAction>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace {
const QString kSignInLink = QStringLiteral("teamsops:sign-in");
}

void MainWindow::attachSignIn(SignInManager &signIn)
{
    m_signIn = &signIn;
    m_accountMenu = new QMenu(tr("&Account"), this);
    m_accountMenu->menuAction()->setObjectName(QStringLiteral("accountMenu"));
    menuBar()->insertMenu(menuBar()->actions().value(2), m_accountMenu);
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
            QInputDialog::getText(this, tr("Use an access token"),
                                  tr("Access token for Microsoft Graph (Graph Explorer → Access "
                                     "token). It is kept in memory only, until it expires:"),
                                  QLineEdit::Password, QString(), &ok)
                .trimmed();
        if (ok && !token.isEmpty())
            m_signIn->useFixedToken(token, tr("Pasted access token"));
    });
    connect(signOut, &QAction::triggered, this, [this] {
        const QString who = m_signIn->accountText();
        if (QMessageBox::question(this, tr("Sign out"),
                                  tr("Sign out %1? Everything watched is kept; polling pauses "
                                     "until you sign in again.")
                                      .arg(who)) == QMessageBox::Yes)
            m_signIn->signOut();
    });
    connect(settings, &QAction::triggered, this, [this] {
        SignInSettingsDialog dialog(m_signIn->config(), this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        SignInSettingsDialog::save(dialog.config());
        m_signIn->setConfig(dialog.config());
        if (!m_signIn->isSignedIn() ||
            QMessageBox::question(this, tr("Switch tenant or app"),
                                  tr("Sign in again now, with these settings?")) ==
                QMessageBox::Yes)
            m_signIn->signInWithBrowser();
    });
    connect(m_welcome, &WelcomePage::signInRequested, this, [this] { startSignIn(false); });
    connect(m_welcome, &WelcomePage::deviceCodeSignInRequested, this,
            [this] { startSignIn(true); });
    connect(m_banner, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == kSignInLink)
            startSignIn(false);
    });

    connect(&signIn, &SignInManager::openBrowser, this, [this](const QUrl &url) {
        statusBar()->showMessage(tr("Finish signing in in your browser…"), 60000);
        (m_signInUrlOpener ? m_signInUrlOpener : m_urlOpener)(url);
    });
    connect(&signIn, &SignInManager::deviceCodePrompt, this,
            [this](const QString &uri, const QString &code, const QString &message) {
                if (!m_deviceCodeDialog) {
                    m_deviceCodeDialog = new DeviceCodeDialog(this);
                    m_deviceCodeDialog->setAttribute(Qt::WA_DeleteOnClose);
                    connect(m_deviceCodeDialog, &QDialog::rejected, m_signIn,
                            &SignInManager::cancelSignIn);
                    connect(m_deviceCodeDialog, &DeviceCodeDialog::openPageRequested, this,
                            [this](const QUrl &page) { m_urlOpener(page); });
                }
                m_deviceCodeDialog->showPrompt(uri, code, message);
                m_deviceCodeDialog->show();
            });
    const auto closeDeviceCode = [this] {
        if (m_deviceCodeDialog)
            m_deviceCodeDialog->accept();
    };
    connect(&signIn, &SignInManager::signedIn, this, [this, closeDeviceCode] {
        closeDeviceCode();
        statusBar()->clearMessage();
        if (m_bannerIsAboutSignIn)
            hideBanner();
        refreshAccount();
        refreshStatusBar();
    });
    connect(&signIn, &SignInManager::signInFailed, this,
            [this, closeDeviceCode](const QString &message) {
                closeDeviceCode();
                statusBar()->clearMessage();
                showBanner(tr("<b>Sign-in did not finish</b>: %1. <a href=\"%2\">Try again</a>")
                               .arg(message.toHtmlEscaped(), kSignInLink),
                           BannerKind::Warning);
                m_bannerIsAboutSignIn = true;
            });
    connect(&signIn, &SignInManager::lost, this, [this](const QString &why) {
        statusBar()->clearMessage(); // "renewing…" is over
        showSignInNeeded(why);
        refreshAccount();
    });
    connect(&signIn, &SignInManager::signedOut, this, [this] {
        refreshAccount();
        showBanner(tr("Signed out. Polling is paused until you <a href=\"%1\">sign in</a> again; "
                      "everything watched is kept.")
                       .arg(kSignInLink),
                   BannerKind::Info);
        m_bannerIsAboutSignIn = true;
    });
    connect(&signIn, &SignInManager::notKept, this, [this](const QString &why) {
        showBanner(tr("<b>Signed in for this run only</b>: no keychain could keep the sign-in "
                      "(%1). TeamsOps asks you to sign in again when it next starts; nothing is "
                      "written in plain text.")
                       .arg(why.toHtmlEscaped()),
                   BannerKind::Info);
    });
    connect(&signIn, &SignInManager::restored, this, [this](bool signedIn) {
        refreshAccount();
        // Operations are watched but nobody is signed in: say so where they are shown.
        if (!signedIn && !m_signIn->isSignedIn() && !isShowingWelcome() && !m_bannerIsAboutSignIn) {
            showBanner(tr("<b>Not signed in.</b> Polling waits until you <a href=\"%1\">sign "
                          "in</a>; everything watched is kept.")
                           .arg(kSignInLink),
                       BannerKind::Warning);
            m_bannerIsAboutSignIn = true;
        }
    });
    refreshAccount();
}

void MainWindow::startSignIn(bool deviceCode)
{
    // No app registration yet (or one that cannot work): the settings first, then sign in.
    if (!m_signIn->config().problem().isEmpty()) {
        SignInSettingsDialog dialog(m_signIn->config(), this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        SignInSettingsDialog::save(dialog.config());
        m_signIn->setConfig(dialog.config());
    }
    if (deviceCode)
        m_signIn->signInWithDeviceCode();
    else
        m_signIn->signInWithBrowser();
}

void MainWindow::showSignInNeeded(const QString &why)
{
    showBanner(tr("<b>Sign in again</b> — the sign-in no longer works (%1). Polling is paused and "
                  "nothing watched is lost. <a href=\"%2\">Sign in again</a>")
                   .arg(why.toHtmlEscaped(), kSignInLink),
               BannerKind::Warning);
    m_bannerIsAboutSignIn = true;
}

void MainWindow::refreshAccount()
{
    if (!m_signIn)
        return;
    const bool signedIn = m_signIn->isSignedIn();
    const QString account = m_signIn->accountText();
    setAccount(signedIn ? account : QString());
    m_accountLabel->setToolTip(signedIn ? m_signIn->accountDetails() : QString());
    m_welcome->setSignInOffered(!signedIn, account);
    for (QAction *action : m_accountMenu->actions()) {
        if (action->objectName() == QLatin1String("signOut"))
            action->setEnabled(signedIn);
    }
}

void MainWindow::hideBanner()
{
    m_banner->hide();
    m_bannerIsAboutSignIn = false;
    m_bannerIsAboutSaving = false;
}

DeviceCodeDialog *MainWindow::deviceCodeDialog() const
{
    return m_deviceCodeDialog;
}
