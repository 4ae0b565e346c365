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
    m_obtainedAt = m_clock.now();
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

QDateTime SignInSession::renewalDueAt() const
{
    if (!m_tokens.expiresAt.isValid() || !canRenew())
        return QDateTime();
    const QDateTime obtained = m_obtainedAt.isValid() ? m_obtainedAt : m_clock.now();
    const qint64 lifetime = std::max<qint64>(0, obtained.msecsTo(m_tokens.expiresAt));
    const qint64 ahead = milliseconds(kRenewAhead).count();
    // Long-lived: five minutes ahead. Short-lived: halfway, so that it is used a while.
    QDateTime due = lifetime > 2 * ahead ? m_tokens.expiresAt.addMSecs(-ahead)
                                         : obtained.addMSecs(lifetime / 2);
    if (m_lastRenewalAt.isValid())
        due = std::max(due, m_lastRenewalAt.addMSecs(milliseconds(kRenewalFloor).count()));
    return due;
}

void SignInSession::arm()
{
    m_timer.stop();
    const QDateTime due = renewalDueAt();
    if (!due.isValid())
        return;
    // QTimer takes an int; a renewal a month away is re-armed when it fires.
    m_timer.start(
        int(std::clamp<qint64>(m_clock.now().msecsTo(due), 0, std::numeric_limits<int>::max())));
}

void SignInSession::renewIfDue()
{
    if (m_renewing)
        return;
    const QDateTime due = renewalDueAt();
    if (due.isValid() && due <= m_clock.now())
        renew();
    else
        arm();
}

bool SignInSession::renewAfterRefusal()
{
    if (!m_renewedForRefusal.isEmpty() && m_tokens.accessToken == m_renewedForRefusal)
        return false;
    m_renewingForRefusal = true;
    renew();
    return true;
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
    m_lastRenewalAt = askedAt;
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
    m_obtainedAt = m_clock.now();
    // A token brought by a refusal's renewal that Graph refuses again is refused for good.
    m_renewedForRefusal =
        std::exchange(m_renewingForRefusal, false) ? tokens.accessToken : QString();
    arm();
    emit renewed(m_tokens);
}
