#include "signin/signinsession.h"

#include "model/clock.h"
#include "signin/identityclient.h"

#include <QPointer>

using namespace std::chrono;

SignInSession::SignInSession(IdentityClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SignInSession::renewIfDue);
    connect(&m_clock, &Clock::jumped, this, &SignInSession::renewIfDue);
}

void SignInSession::setTokens(const TokenSet &tokens)
{
    m_tokens = tokens;
    arm();
}

std::function<QString()> SignInSession::tokenProvider() const
{
    QPointer<const SignInSession> self(this);
    return [self] { return self ? self->accessToken() : QString(); };
}

bool SignInSession::canRenew() const
{
    return m_tokens.appOnly ? !m_appCredential.isEmpty() : !m_tokens.refreshToken.isEmpty();
}

void SignInSession::arm()
{
    m_timer.stop();
    if (!m_tokens.expiresAt.isValid() || !canRenew())
        return;
    const qint64 ms = m_clock.now().msecsTo(m_tokens.expiresAt) - milliseconds(kRenewAhead).count();
    // QTimer takes an int; a renewal a month away is re-armed when it fires.
    m_timer.start(int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max())));
}

void SignInSession::renewIfDue()
{
    if (m_renewing || !m_tokens.expiresAt.isValid())
        return;
    if (m_clock.now().msecsTo(m_tokens.expiresAt) <= milliseconds(kRenewAhead).count())
        renew();
    else
        arm();
}

void SignInSession::renew()
{
    if (m_renewing)
        return;
    if (!canRenew()) {
        emit lost(QStringLiteral("the sign-in has no refresh token to renew it with"));
        return;
    }
    m_renewing = true;
    m_timer.stop();
    const QDateTime askedAt = m_clock.now();
    const auto handle = [this, askedAt](const IdentityReply &reply) {
        m_renewing = false;
        if (reply.ok()) {
            const TokenSet tokens = TokenSet::fromTokenAnswer(reply.json, askedAt, m_tokens);
            if (tokens.hasAccessToken()) {
                finishRenewal(tokens);
                return;
            }
        }
        if (reply.error == QLatin1String("network_error")) {
            // Not the sign-in's fault: the token may still be good, so try again soon.
            m_timer.start(int(milliseconds(kRetryAfterNetworkError).count()));
            return;
        }
        m_tokens.accessToken.clear();
        if (!m_tokens.appOnly)
            m_tokens.refreshToken.clear(); // refused: it will not work again
        emit lost(reply.ok() ? QStringLiteral("the sign-in service's answer has no access token")
                             : reply.describe());
    };
    if (m_tokens.appOnly)
        m_client.requestAppToken(m_appCredential, askedAt, this, handle);
    else
        m_client.redeemRefreshToken(m_tokens.refreshToken, this, handle);
}

void SignInSession::finishRenewal(const TokenSet &tokens)
{
    m_tokens = tokens;
    arm();
    emit renewed(m_tokens);
}
