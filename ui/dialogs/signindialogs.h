#pragma once

#include "signin/signinconfig.h"

#include <QDialog>

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

signals:
    void openPageRequested(const QUrl &url);

private:
    QLabel *m_intro;
    QLabel *m_code;
    QPushButton *m_copy;
    QPushButton *m_open;
    QString m_uri;
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
