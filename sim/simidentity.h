#pragma once

#include "simassertion.h"
#include "simreply.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <chrono>
#include <functional>

// The Microsoft identity platform as far as TeamsOps signs in with it: the browser's
// authorization code flow with PKCE at /authorize, the device code flow,
// refresh tokens (single use: each refresh rotates it) and client credentials with a secret or a
// certificate's signed assertion, at
// /{tenant}/oauth2/v2.0/devicecode and /token. Errors come back as the platform sends them:
// 400 with {"error", "error_description", "error_codes"}. Time is the tenant's scenario clock
// (SimTenant::scenarioNow), so a sped-up tenant speeds up device code intervals and token
// lifetimes too.
class SimIdentity
{
public:
    using TimeSource = std::function<QDateTime()>;

    struct Account
    {
        QString name = QStringLiteral("Megan Bowen");
        QString username = QStringLiteral("meganb@contoso.onmicrosoft.com");
    };

    // A sign-in the platform handed out: who, and until when its access token is good.
    struct Grant
    {
        Account account;
        QString clientId;
        bool appOnly = false;
        QDateTime expiresAt;
    };

    enum class TokenCheck
    {
        Valid,
        Expired,
        Unknown
    };

    SimIdentity(QString tenantId, TimeSource now);

    QString tenantId() const { return m_tenantId; }
    // The client id of the app registration TeamsOps' demo uses; registerApp adds others.
    static QString demoClientId() { return QStringLiteral("5e3ce6c0-2b1f-4285-8d4b-75ee78787346"); }
    // An app registration; a non-empty secret lets it use client credentials.
    void registerApp(const QString &clientId, const QString &secret = QString());
    // A certificate (PEM) uploaded to an app registration: client credentials with an assertion
    // signed by its key. False if no certificate could be read.
    bool registerAppCertificate(const QString &clientId, const QByteArray &certificatePem);

    void setAccessTokenLifetime(std::chrono::seconds lifetime) { m_tokenLifetime = lifetime; }
    void setDeviceCodeInterval(std::chrono::seconds interval) { m_deviceInterval = interval; }
    void setDeviceCodeLifetime(std::chrono::seconds lifetime) { m_deviceLifetime = lifetime; }

    // True for /{tenant}/oauth2/v2.0/... paths, which handle() answers.
    static bool isIdentityPath(const QStringList &segments);
    SimReply handle(const QByteArray &method, const QStringList &segments, const QUrlQuery &query,
                    const QByteArray &body);

    // The browser flow (authorization code with PKCE): /authorize stands for the platform's
    // sign-in page with a user already signed in to the browser, who consents at once — or
    // declines, once, after declineNextAuthorization(). The code lives this long.
    void setBrowserAccount(const Account &account) { m_browserAccount = account; }
    void declineNextAuthorization() { m_declineNext = true; }
    void setAuthorizationCodeLifetime(std::chrono::seconds lifetime) { m_codeLifetime = lifetime; }
    int authorizationsGranted() const { return m_authorizationsGranted; }

    // The user's side of the device code flow: what they do on the verification page.
    bool approveDeviceCode(const QString &userCode, const Account &account);
    bool approveDeviceCode(const QString &userCode);
    bool declineDeviceCode(const QString &userCode);
    // The user code of the device code request made last (empty before any).
    QString lastUserCode() const { return m_lastUserCode; }

    // Graph's side: is this bearer token one the platform issued, and still good?
    TokenCheck checkAccessToken(const QString &token) const;
    // Makes every access token issued so far expired (their refresh tokens stay good).
    void expireAccessTokens();
    // Revokes every refresh token (an admin's "revoke sessions").
    void revokeRefreshTokens() { m_refreshTokens.clear(); }

    // A platform under load: the next device code poll is answered slow_down, however it is
    // spaced (RFC 8628 lets the server say so at any time).
    void askToSlowDownOnce() { m_slowDownNext = true; }
    // Forgets every device code, as if the client sent one the platform never issued.
    void forgetDeviceCodes() { m_deviceCodes.clear(); }

    // Counts for tests: token requests by grant type ("refresh_token", ...), slow_down answers.
    int tokenRequests(const QString &grantType) const { return m_tokenRequests.value(grantType); }
    int slowDowns() const { return m_slowDowns; }
    // Every access and refresh token ever issued: tests check that none leaks into any output.
    QStringList everyTokenIssued() const { return m_everyTokenIssued; }

private:
    struct DeviceCode
    {
        QString userCode;
        QString clientId;
        QStringList scopes;
        QDateTime expiresAt;
        QDateTime nextPollAllowedAt;
        std::chrono::seconds interval{5};
        enum class State
        {
            Pending,
            Approved,
            Declined,
            Redeemed
        } state = State::Pending;
        Account account;
    };
    struct AuthorizationCode
    {
        QString clientId;
        QString redirectUri;
        QString challenge;
        QStringList scopes;
        Account account;
        QDateTime expiresAt;
        bool redeemed = false;
    };
    struct RefreshGrant
    {
        Account account;
        QString clientId;
        QStringList scopes;
    };

    SimReply deviceCode(const QUrlQuery &form);
    SimReply token(const QUrlQuery &form, const QString &tenantSegment);
    SimReply authorize(const QUrlQuery &query);
    SimReply redeemAuthorizationCode(const QUrlQuery &form);
    SimReply redeemDeviceCode(const QUrlQuery &form);
    SimReply redeemRefreshToken(const QUrlQuery &form);
    SimReply clientCredentials(const QUrlQuery &form, const QString &tenantSegment);
    // Issues an access token for this grant, good for the token lifetime from now.
    QString newAccessToken(Grant grant);
    // The token response for a user: access token, refresh token with offline_access, ID token.
    SimReply issue(const Account &account, const QString &clientId, const QStringList &scopes);
    static SimReply error(int status, const QString &code, const QString &description,
                          int aadstsCode);
    static SimReply unknownApp(const QString &clientId);

    QString m_tenantId;
    TimeSource m_now;
    std::chrono::seconds m_tokenLifetime{3600};
    std::chrono::seconds m_deviceInterval{5};
    std::chrono::seconds m_deviceLifetime{900};
    QHash<QString, QString> m_apps;               // client id -> secret (may be empty)
    SimAssertionCheck m_assertions;               // certificates of apps, assertions seen
    QHash<QString, DeviceCode> m_deviceCodes;     // by device_code
    QHash<QString, QString> m_deviceByUserCode;   // user code -> device_code
    QHash<QString, Grant> m_accessTokens;         // issued access tokens
    QHash<QString, RefreshGrant> m_refreshTokens; // unused refresh tokens
    QHash<QString, AuthorizationCode> m_codes;    // by code
    Account m_browserAccount;
    std::chrono::seconds m_codeLifetime{600};
    bool m_declineNext = false;
    int m_authorizationsGranted = 0;
    QHash<QString, int> m_tokenRequests;
    QString m_lastUserCode;
    bool m_slowDownNext = false;
    int m_slowDowns = 0;
    QStringList m_everyTokenIssued;
};
