#pragma once

#include "signin/signinconfig.h"

#include <QDialog>
#include <QUrl>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

// The device code step of signing in: the page to open and the code to enter there, large and
// selectable, with a button to copy it. It stays until the sign-in ends either way.
class DeviceCodeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceCodeDialog)
public:
    explicit DeviceCodeDialog(QWidget *parent = nullptr);
    void showPrompt(const QString &verificationUri, const QString &userCode,
                    const QString &message);
    QString userCode() const;
    QString verificationUri() const { return m_uri; }
    // The demo tenant approves its own codes (nobody can sign in to it on a real page): an
    // "Approve" button calls this with the code shown.
    void setDemoApprover(std::function<void(const QString &userCode)> approve);

signals:
    void openPageRequested(const QUrl &url);

private:
    QLabel *m_intro;
    QLabel *m_code;
    QPushButton *m_copy;
    QPushButton *m_open;
    QPushButton *m_approve;
    QString m_uri;
    std::function<void(const QString &)> m_approver;
};

// While a browser sign-in is under way: where to finish it, and the link itself — to copy into
// another browser, or to open when no browser opened (a server, a remote session) — with Cancel.
// The browser must be on this computer: it comes back to TeamsOps on localhost.
class BrowserSignInDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserSignInDialog)
public:
    explicit BrowserSignInDialog(QWidget *parent = nullptr);
    void showLink(const QUrl &authorizationUrl, bool browserOpened);
    QUrl link() const { return m_link; }

signals:
    void openAgainRequested(const QUrl &url);

private:
    QLabel *m_intro;
    QLineEdit *m_linkText;
    QUrl m_link;
};

// Settings → Sign-in: the cloud (its sign-in and Graph hosts), the tenant and the client id of
// the app registration. OK stays off while the values would not work, and says why.
class SignInSettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInSettingsDialog)
public:
    explicit SignInSettingsDialog(const SignInConfig &current, QWidget *parent = nullptr);
    SignInConfig config() const;

    // QSettings keys: sign-in/cloud, sign-in/tenant, sign-in/clientId.
    static SignInConfig load(const SignInConfig &defaults);
    static void save(const SignInConfig &config);

private:
    void check();

    SignInConfig m_base;
    QComboBox *m_cloud;
    QLineEdit *m_tenant;
    QLineEdit *m_clientId;
    QLabel *m_problem;
    QPushButton *m_ok;
};
