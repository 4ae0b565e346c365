#pragma once

#include "signin/tokenset.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <chrono>

class Clock;
class IdentityClient;
class LoopbackListener;

// The authorization code flow with PKCE (RFC 7636, S256) through the system browser, as
// desktop apps sign in to the Microsoft identity platform: a listener on the loopback addresses
// only (LoopbackListener) receives the browser's redirect, `state` must be the one sent, and the
// code is redeemed with its verifier by IdentityClient's own POST.
//
// Qt 6.4's QOAuth2AuthorizationCodeFlow is not used: it has no PKCE, and on the callback it
// redeems the code itself, with bugs on errors (../shared/QT64.md); its reply handler reads a
// request without bound.
class BrowserSignIn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserSignIn)
public:
    // The user has this long to finish in the browser.
    static constexpr std::chrono::minutes kTimeout{10};

    BrowserSignIn(IdentityClient &client, Clock &clock, QObject *parent = nullptr);
    ~BrowserSignIn() override;

    // Listens on 127.0.0.1 and ::1 (any free port), then asks for the authorization URL to be
    // opened.
    void start();
    void cancel();
    // Where the browser is sent back: http://localhost:PORT/ (the redirect the app registration
    // holds; Entra ID accepts any port for it). Valid once started.
    QUrl redirectUri() const { return m_redirectUri; }
    // The port the listener took, 0 when not listening.
    quint16 port() const;
    LoopbackListener *listener() const { return m_listener; } // while started

signals:
    // Open this in the user's browser (QDesktopServices::openUrl, xdg-open, or a printed link).
    void openBrowser(const QUrl &authorizationUrl);
    void signedIn(const TokenSet &tokens);
    // One line for people: what happened, then the platform's error and error_description.
    void failed(const QString &message);

private:
    void received(const QVariantMap &values);
    void finish();
    void fail(const QString &message);

    IdentityClient &m_client;
    Clock &m_clock;
    LoopbackListener *m_listener = nullptr;
    QTimer m_timeout;
    QUrl m_redirectUri;
    QString m_state;
    QByteArray m_verifier;
    bool m_redeeming = false;
};
