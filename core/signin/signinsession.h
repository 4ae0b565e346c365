#pragma once

#include "signin/identityclient.h"
#include "signin/tokenset.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

class Clock;

// A live sign-in: hands the current access token to GraphClient and renews it before it
// expires and whenever Graph refuses it (401) — with the refresh token, which rotates on every
// use, or for app-only with the client secret or certificate. renewed() carries the new tokens at
// once, so the rotated refresh token is stored before anything else can use the old one. When
// renewing is no longer possible, lost() says so: the admin signs in again, and nothing watched is
// lost.
class SignInSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInSession)
public:
    // Renewed this long before the access token expires; a token that lives less than twice as
    // long is renewed halfway through its life instead, and never sooner than kRenewalFloor
    // after the last renewal: a short-lived token is not renewed in a loop.
    static constexpr std::chrono::minutes kRenewAhead{5};
    static constexpr std::chrono::seconds kRenewalFloor{10};
    // After a renewal that failed for want of a network, try again after this long.
    static constexpr std::chrono::seconds kRetryAfterNetworkError{30};

    SignInSession(IdentityClient &client, Clock &clock, QObject *parent = nullptr);

    void setTokens(const TokenSet &tokens);
    // App-only: renewed by asking again with this secret or certificate (held in memory only).
    void setAppCredential(const AppCredential &credential) { m_appCredential = credential; }
    const TokenSet &tokens() const { return m_tokens; }
    QString accessToken() const { return m_tokens.accessToken; }
    std::function<QString()> tokenProvider() const;
    bool canRenew() const;
    bool isRenewing() const { return m_renewing; }

    // Renews now (an access token is needed and there is none). One at a time.
    void renew();
    // Graph refused the access token (401): renews it, unless this very token came from the
    // renewal that followed the last refusal — then Graph refuses the account for another
    // reason (consent, a disabled account, another tenant), a new token will not help, and
    // this returns false.
    bool renewAfterRefusal();
    // When the next renewal is due (invalid when none is scheduled).
    QDateTime renewalDueAt() const;
    // Renews when the access token is due to; the timer calls it, and a moved clock.
    void renewIfDue();

signals:
    void renewed(const TokenSet &tokens);
    void lost(const QString &reason);

private:
    void arm();
    void finishRenewal(const TokenSet &tokens);

    IdentityClient &m_client;
    Clock &m_clock;
    TokenSet m_tokens;
    AppCredential m_appCredential;
    QTimer m_timer;
    bool m_renewing = false;
    QDateTime m_obtainedAt;      // when the current access token arrived
    QDateTime m_lastRenewalAt;   // when the last renewal was asked for
    QString m_renewedForRefusal; // the access token a refusal's renewal brought
    bool m_renewingForRefusal = false;
};
