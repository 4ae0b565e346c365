#pragma once

#include "signin/clientcertificate.h"
#include "signin/signinconfig.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>

#include <functional>

class QNetworkAccessManager;

// What an app proves itself with for client credentials (app-only sign-in): its client secret,
// or its certificate, from which a signed client assertion is made for each request.
struct AppCredential
{
    QString secret;
    std::shared_ptr<const ClientCertificate> certificate;
    bool isEmpty() const { return secret.isEmpty() && !certificate; }
};

// One answer of the identity platform: its JSON, or its OAuth error ("authorization_pending",
// "invalid_grant", ...) with the description it gave, or why no answer came.
struct IdentityReply
{
    int httpStatus = 0;
    QJsonObject json;
    QString error;            // the platform's "error"; "network_error" when none arrived
    QString errorDescription; // its "error_description", or the transport's message
    bool ok() const { return error.isEmpty(); }
    QString describe() const; // "error: description", on one line
};

// POSTs forms to the identity platform's endpoints of one SignInConfig: device code requests,
// token redemption and refresh, client credentials. Like GraphClient it never follows a redirect
// (a secret could go with it), refuses plain HTTP except to 127.0.0.1, caps reply size and time,
// and never logs a request or reply body.
class IdentityClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdentityClient)
public:
    using Handler = std::function<void(const IdentityReply &)>;
    using Form = QList<QPair<QString, QString>>;

    explicit IdentityClient(SignInConfig config, QObject *parent = nullptr);
    const SignInConfig &config() const { return m_config; }

    // handler runs once, unless receiver is destroyed first.
    void post(const QString &endpoint, const Form &form, QObject *receiver, Handler handler);

    // The browser's first stop in the authorization code flow with PKCE (S256).
    QUrl authorizationUrl(const QUrl &redirectUri, const QString &state,
                          const QByteArray &codeChallenge) const;
    void redeemAuthorizationCode(const QString &code, const QString &codeVerifier,
                                 const QUrl &redirectUri, QObject *receiver, Handler handler);
    void requestDeviceCode(QObject *receiver, Handler handler);
    void redeemDeviceCode(const QString &deviceCode, QObject *receiver, Handler handler);
    void redeemRefreshToken(const QString &refreshToken, QObject *receiver, Handler handler);
    // Client credentials; a certificate's assertion is issued at `now` (the caller's clock).
    void requestAppToken(const AppCredential &credential, const QDateTime &now, QObject *receiver,
                         Handler handler);

private:
    SignInConfig m_config;
    QNetworkAccessManager *m_network;
};
