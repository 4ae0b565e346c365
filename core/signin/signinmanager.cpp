#include "signin/signinmanager.h"

#include "polling/operationpoller.h"
#include "signin/browsersignin.h"
#include "signin/devicecodesignin.h"
#include "signin/identityclient.h"
#include "signin/secretstore.h"
#include "signin/signinsession.h"

#include <QTimer>

SignInManager::SignInManager(SignInConfig config, Clock &clock, QObject *parent,
                             const QString &keychainService)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_secrets(new SecretStore(keychainService, this))
    , m_identity(new IdentityClient(m_config, this))
{}

SignInManager::~SignInManager() = default;

void SignInManager::setConfig(const SignInConfig &config)
{
    cancelSignIn();
    m_config = config;
    if (!m_session)
        replaceIdentity();
}

void SignInManager::replaceIdentity()
{
    // Deleted later, never at once: this may run inside one of its replies (a dialog opened by
    // a device code prompt), and what used it (a sign-in attempt, a session) goes the same way.
    m_identity->deleteLater();
    m_identity = new IdentityClient(m_config, this);
}

bool SignInManager::isSignedIn() const
{
    return !m_fixedToken.isEmpty() || (m_session && m_session->tokens().hasAccessToken());
}

bool SignInManager::canRenew() const
{
    return m_session && m_session->canRenew();
}

const TokenSet &SignInManager::tokens() const
{
    static const TokenSet none;
    return m_session ? m_session->tokens() : none;
}

QString SignInManager::accountText() const
{
    if (!m_fixedToken.isEmpty())
        return m_fixedDescription;
    if (!m_session)
        return QString();
    // "Name · domain": who, and which tenant (its domain, from the sign-in name) — short enough
    // for a status bar; accountDetails() has the rest.
    const TokenSet &tokens = m_session->tokens();
    const QString domain = tokens.username.section(QLatin1Char('@'), 1);
    if (tokens.appOnly || tokens.accountName.isEmpty() || domain.isEmpty())
        return tokens.accountText();
    return tr("%1 · %2").arg(tokens.accountName, domain);
}

QString SignInManager::accountDetails() const
{
    if (!m_session)
        return m_fixedDescription;
    const TokenSet &tokens = m_session->tokens();
    QStringList lines{tokens.accountText()};
    if (!tokens.tenantId.isEmpty())
        lines.append(tr("Tenant %1").arg(tokens.tenantId));
    lines.append(tr("Signed in at %1 as app %2")
                     .arg(m_config.endpoint(QString()).toString(), m_config.clientId));
    if (!m_notKeptReason.isEmpty())
        lines.append(tr("For this run only: no keychain kept it"));
    return lines.join(QLatin1Char('\n'));
}

std::function<QString()> SignInManager::tokenProvider() const
{
    QPointer<const SignInManager> self(this);
    return [self] {
        if (!self)
            return QString();
        if (!self->m_fixedToken.isEmpty())
            return self->m_fixedToken;
        if (!self->m_session ||
            (!self->m_graphOrigin.isEmpty() && self->m_sessionOrigin != self->m_graphOrigin))
            return QString();
        return self->m_session->accessToken();
    };
}

void SignInManager::setGraph(const QUrl &graph)
{
    m_graphOrigin = SignInConfig::origin(graph);
}

QString SignInManager::graphMismatch(const SignInConfig &config) const
{
    const QString origin = SignInConfig::origin(config.graphUrl);
    if (m_graphOrigin.isEmpty() || origin == m_graphOrigin)
        return QString();
    return tr("a sign-in for %1 is not sent to %2, the Graph this TeamsOps talks to; sign in "
              "with settings for it, or start TeamsOps for %1")
        .arg(origin, m_graphOrigin);
}

void SignInManager::useFixedToken(const QString &token, const QString &description)
{
    m_fixedToken = token;
    m_fixedDescription = description;
    if (token.isEmpty())
        return;
    resumePolling();
    emit signedIn(TokenSet());
}

void SignInManager::restore()
{
    if (!m_keeping) {
        QTimer::singleShot(0, this, [this] { emit restored(false); });
        return;
    }
    m_secrets->read(KeptSignIn::keychainKey(), this,
                    [this](const std::optional<QByteArray> &data, const QString &error) {
                        const auto kept = data ? KeptSignIn::fromJson(*data) : std::nullopt;
                        if (!error.isEmpty())
                            m_notKeptReason = error;
                        // Signing in or signed in meanwhile (the welcome page's buttons work
                        // while the keychain answers): what the admin is doing wins.
                        if (!kept || isSigningIn() || m_session || !m_fixedToken.isEmpty()) {
                            emit restored(false);
                            return;
                        }
                        // Kept for another cloud's Graph (--graph-url, --cloud): not used here,
                        // and left in the keychain for a run that talks to it.
                        if (const QString why = graphMismatch(kept->config); !why.isEmpty()) {
                            emit restored(false);
                            emit lost(why);
                            return;
                        }
                        // The kept sign-in says where it was made: its cloud, tenant and app.
                        m_config = kept->config;
                        replaceIdentity();
                        startSession(kept->tokens, true);
                    });
}

void SignInManager::signInWithBrowser()
{
    cancelSignIn();
    if (const QString why = graphMismatch(m_config); !why.isEmpty()) {
        QTimer::singleShot(0, this, [this, why] { emit signInFailed(why); });
        return;
    }
    m_browser = new BrowserSignIn(*m_identity, m_clock, this);
    connect(m_browser, &BrowserSignIn::openBrowser, this, &SignInManager::openBrowser);
    connect(m_browser, &BrowserSignIn::failed, this, [this](const QString &message) {
        endSignInAttempt();
        emit signInFailed(message);
    });
    connect(m_browser, &BrowserSignIn::signedIn, this, [this](const TokenSet &tokens) {
        endSignInAttempt();
        startSession(tokens, false);
    });
    m_browser->start();
}

void SignInManager::signInWithDeviceCode()
{
    cancelSignIn();
    if (const QString why = graphMismatch(m_config); !why.isEmpty()) {
        QTimer::singleShot(0, this, [this, why] { emit signInFailed(why); });
        return;
    }
    m_deviceCode = new DeviceCodeSignIn(*m_identity, m_clock, this);
    connect(m_deviceCode, &DeviceCodeSignIn::prompt, this, &SignInManager::deviceCodePrompt);
    connect(m_deviceCode, &DeviceCodeSignIn::failed, this, [this](const QString &message) {
        endSignInAttempt();
        emit signInFailed(message);
    });
    connect(m_deviceCode, &DeviceCodeSignIn::signedIn, this, [this](const TokenSet &tokens) {
        endSignInAttempt();
        startSession(tokens, false);
    });
    m_deviceCode->start();
}

void SignInManager::cancelSignIn()
{
    if (m_browser)
        m_browser->cancel();
    if (m_deviceCode)
        m_deviceCode->cancel();
    endSignInAttempt();
}

void SignInManager::endSignInAttempt()
{
    // Deleted later: this may run inside one of their signals.
    if (m_browser)
        m_browser->deleteLater();
    if (m_deviceCode)
        m_deviceCode->deleteLater();
    m_browser = nullptr;
    m_deviceCode = nullptr;
}

void SignInManager::startSession(const TokenSet &tokens, bool renewFirst)
{
    if (m_session)
        m_session->deleteLater();
    m_fixedToken.clear();
    // A new sign-in may be for another cloud or tenant: the identity client follows it.
    if (m_identity->config().endpoint(QString()) != m_config.endpoint(QString()) ||
        m_identity->config().clientId != m_config.clientId) {
        replaceIdentity();
    }
    m_session = new SignInSession(*m_identity, m_clock, this);
    m_sessionOrigin = SignInConfig::origin(m_config.graphUrl);
    m_session->setTokens(tokens);
    SignInSession *session = m_session;
    // A session replaced (signed in again, signed out) may still answer before it is deleted:
    // only the current one writes or forgets the kept sign-in.
    connect(session, &SignInSession::renewed, this, [this, session](const TokenSet &renewed) {
        if (session != m_session)
            return;
        // Single use: the rotated refresh token replaces the kept one at once.
        keep(renewed);
        resumePolling();
        if (!m_signedInOnce) {
            m_signedInOnce = true;
            emit signedIn(renewed);
            emit restored(true);
        }
    });
    connect(session, &SignInSession::lost, this, [this, session](const QString &why) {
        if (session != m_session)
            return;
        // The refused refresh token is no use kept; the admin signs in again.
        if (m_keeping)
            m_secrets->remove(KeptSignIn::keychainKey(), this, [](const QString &) {});
        if (!m_signedInOnce)
            emit restored(false);
        emit lost(why);
    });
    if (renewFirst) {
        m_signedInOnce = false;
        m_session->renew();
        return;
    }
    m_signedInOnce = true;
    keep(tokens);
    resumePolling();
    emit signedIn(tokens);
}

void SignInManager::resumePolling()
{
    if (m_poller && m_poller->isPausedForSignIn())
        m_poller->resume();
}

void SignInManager::keep(const TokenSet &tokens)
{
    if (!m_keeping || tokens.appOnly || tokens.refreshToken.isEmpty())
        return;
    KeptSignIn kept{m_config, tokens};
    kept.tokens.accessToken.clear();
    m_secrets->write(KeptSignIn::keychainKey(), kept.toJson(), this, [this](const QString &error) {
        if (error.isEmpty()) {
            m_notKeptReason.clear();
            return;
        }
        // Said once a run, at the first sign-in the keychain cannot keep (the read at start
        // may have failed already: that alone said nothing to a sign-in yet).
        m_notKeptReason = error;
        if (!m_notKeptSaid) {
            m_notKeptSaid = true;
            emit notKept(error);
        }
    });
}

void SignInManager::signOut()
{
    // Before the token goes: a poll sent without one would come back 401 and raise "sign in
    // again" over the calm "signed out".
    if (m_poller)
        m_poller->pauseUntilSignedIn();
    cancelSignIn();
    if (m_session) {
        m_session->deleteLater();
        m_session = nullptr;
    }
    m_fixedToken.clear();
    if (!m_keeping) {
        emit signedOut();
        return;
    }
    m_secrets->remove(KeptSignIn::keychainKey(), this,
                      [this](const QString &) { emit signedOut(); });
}

void SignInManager::attach(OperationPoller &poller)
{
    m_poller = &poller;
    connect(&poller, &OperationPoller::authenticationRequired, this, [this](const QString &why) {
        // Polling is paused: a renewed token resumes it; without one it stays paused.
        if (!m_fixedToken.isEmpty()) {
            // A pasted or fixed token that Graph refuses is of no more use: sign in again.
            m_fixedToken.clear();
            emit lost(tr("Graph refused the access token"));
            return;
        }
        if (m_session && m_session->canRenew() && !m_session->renewAfterRefusal()) {
            // Refused again right after a renewal: consent, a disabled account, another
            // tenant. Polling stays paused; nothing is lost.
            emit lost(tr("Graph refuses the new token: %1").arg(why));
        }
    });
}
