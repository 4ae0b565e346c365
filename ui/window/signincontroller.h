#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class BrowserSignInDialog;
class DeviceCodeDialog;
class MainWindow;
class QUrl;
class QMenu;
class SignInManager;

// The window's side of signing in: the Account menu (sign in with the browser or a device code,
// a pasted token, sign out, switch tenant or app), the welcome page's buttons, who is signed in
// in the status bar, and the banners of a lost, failed or unkept sign-in (polling stays paused
// meanwhile). SignInManager (core) does the work.
class SignInController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInController)
public:
    SignInController(MainWindow &window, SignInManager &signIn);

    DeviceCodeDialog *deviceCodeDialog() const;
    BrowserSignInDialog *browserDialog() const;
    // The demo tenant: its browser sign-in is answered in-process (no link to show), and its
    // device codes are approved by a button of the device code dialog.
    void useDemoTenant(std::function<void(const QString &userCode)> approveDeviceCode);
    // Graph refused the token: renewing is SignInManager's; the banner only when it cannot.
    void tokenRefused(const QString &why);
    // Who is signed in, as the team's store records who did what ("megan@contoso.com"); empty
    // when no one is.
    QString account() const;

private:
    void buildAccountMenu();
    void connectSignIn();
    void startSignIn(bool deviceCode);
    void showBrowserLink(const QUrl &url, bool browserOpened);
    void showSignInNeeded(const QString &why);
    void refreshAccount();

    MainWindow &m_window;
    SignInManager &m_signIn;
    QMenu *m_accountMenu = nullptr;
    QPointer<DeviceCodeDialog> m_deviceCodeDialog;
    QPointer<BrowserSignInDialog> m_browserDialog;
    std::function<void(const QString &)> m_demoApprover;
};
