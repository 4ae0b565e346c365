#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

// What a first start shows instead of an empty table: what TeamsOps does and the ways to begin —
// sign in (browser or device code), paste Locations (or a whole team), or try it on the
// simulated demo tenant. The window swaps it
// for the table as soon as anything is watched.
class WelcomePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomePage)
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // Offer the demo tenant (not when the window is the demo already).
    void setDemoOffered(bool offered);
    // Offer signing in (while nobody is signed in); `account` says who is, when someone is.
    void setSignInOffered(bool offered, const QString &account = QString());

signals:
    void addRequested();
    void demoRequested();
    void signInRequested();           // in the browser
    void deviceCodeSignInRequested(); // with a device code

private:
    QPushButton *m_signIn;
    QPushButton *m_deviceCode;
    QPushButton *m_demo;
    QLabel *m_account;
};
