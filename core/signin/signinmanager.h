#pragma once

#include "signin/keptsignin.h"
#include "signin/signinconfig.h"
#include "signin/tokenset.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class BrowserSignIn;
class Clock;
class DeviceCodeSignIn;
class IdentityClient;
class OperationPoller;
class SecretStore;
class SignInSession;

// The dashboard's sign-in, from start to sign-out: brings the kept sign-in back from the
// keychain, signs in with the browser or a device code, keeps the refresh token in the keychain
// after every renewal (or, where no keychain works, for this run only — and says so), and signs
// out. While polling, a 401 renews the token and a renewal resumes the polls; a renewal that is
// refused pauses them until the admin signs in again, and loses nothing watched.
class SignInManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInManager)
public:
    SignInManager(SignInConfig config, Clock &clock, QObject *parent = nullptr,
                  const QString &keychainService = KeptSignIn::keychainService());
    ~SignInManager() override;

    // Where the next sign-in goes (Settings: cloud, tenant, client id). Signing in elsewhere
    // than the current sign-in signs it out first.
    void setConfig(const SignInConfig &config);
    const SignInConfig &config() const { return m_config; }

    // Reads the kept sign-in and renews it; restored(true) once signed in with it, restored(false)
    // when there is none (or it no longer works: lost() says why).
    void restore();
    void signInWithBrowser();
    void signInWithDeviceCode();
    void cancelSignIn();
    void signOut();
    // Off: nothing is read from or written to the keychain (the demo tenant's sign-ins are of
    // no use to a later run, and must not replace a real one).
    void setKeepingInKeychain(bool keeping) { m_keeping = keeping; }
    // Signed in with a token that is not renewed (TEAMSOPS_TOKEN, or one pasted for a quick
    // check). It is held in memory only, and dropped once Graph refuses it.
    void useFixedToken(const QString &token, const QString &description);

    bool isSignedIn() const;
    // A 401 can be answered by renewing (a refresh token, or an app's credential).
    bool canRenew() const;
    bool isSigningIn() const { return m_browser || m_deviceCode; }
    // Who, for the status bar: "Megan Bowen · contoso.onmicrosoft.com", or empty.
    QString accountText() const;
    // The whole of it, for a tooltip: user name, tenant id, authority and app.
    QString accountDetails() const;
    const TokenSet &tokens() const;
    // Empty when the sign-in is kept in the keychain; else why it lasts for this run only.
    QString notKeptReason() const { return m_notKeptReason; }
    // GraphClient's token source: the access token in force, or empty.
    std::function<QString()> tokenProvider() const;
    // The Graph the window's client talks to (--graph-url, or the cloud's at start). A sign-in's
    // token goes only to its own cloud's Graph: a kept sign-in for another is set aside (lost()
    // says so), a sign-in with settings for another is refused, and the token provider gives
    // nothing to another. A fixed token (TEAMSOPS_TOKEN, pasted) goes where it is told.
    void setGraph(const QUrl &graph);

    // Renew on a 401, resume after a renewal, stay paused when the sign-in is lost.
    void attach(OperationPoller &poller);

signals:
    void restored(bool signedIn);
    void openBrowser(const QUrl &authorizationUrl);
    void deviceCodePrompt(const QString &verificationUri, const QString &userCode,
                          const QString &message);
    void signedIn(const TokenSet &tokens);
    void signInFailed(const QString &message);
    void signedOut();
    // The sign-in stopped working (refresh refused): sign in again. Nothing watched is lost.
    void lost(const QString &reason);
    // The keychain could not keep the sign-in; it lasts for this run only.
    void notKept(const QString &reason);

private:
    void startSession(const TokenSet &tokens, bool renewFirst);
    // A new IdentityClient for m_config; the old one is deleted later.
    void replaceIdentity();
    // Empty when a sign-in with `config` may serve the Graph set by setGraph(); else why not.
    QString graphMismatch(const SignInConfig &config) const;
    void keep(const TokenSet &tokens);
    // A token is there again: polls paused by a 401 go on.
    void resumePolling();
    void endSignInAttempt();

    SignInConfig m_config;
    Clock &m_clock;
    SecretStore *m_secrets;
    IdentityClient *m_identity = nullptr;
    SignInSession *m_session = nullptr;
    BrowserSignIn *m_browser = nullptr; // while a sign-in is under way
    DeviceCodeSignIn *m_deviceCode = nullptr;
    QPointer<OperationPoller> m_poller;
    QString m_fixedToken;
    QString m_fixedDescription;
    QString m_notKeptReason;
    QString m_graphOrigin;   // setGraph(); empty: any
    QString m_sessionOrigin; // the Graph the session's tokens are for
    bool m_keeping = true;
    bool m_notKeptSaid = false;  // notKept() was emitted this run
    bool m_signedInOnce = false; // the session in force has had an access token
};
