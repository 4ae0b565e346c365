#include "signin/devicecodesignin.h"

#include "model/clock.h"
#include "signin/identityclient.h"

using namespace std::chrono;

namespace {

// RFC 8628: at least this long between polls when the platform names no interval, and this much
// more after each slow_down.
constexpr seconds kDefaultInterval{5};
constexpr seconds kSlowDownStep{5};
constexpr seconds kLongestInterval{60};

} // namespace

DeviceCodeSignIn::DeviceCodeSignIn(IdentityClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    // A coarse timer may fire up to 5 % early: sooner than the interval the platform asked for.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DeviceCodeSignIn::poll);
}

void DeviceCodeSignIn::start()
{
    m_running = true;
    m_client.requestDeviceCode(this, [this](const IdentityReply &reply) {
        if (!m_running)
            return;
        if (!reply.ok()) {
            fail(QStringLiteral("could not start the device code sign-in"), reply.describe());
            return;
        }
        m_deviceCode = reply.json.value(QLatin1String("device_code")).toString();
        const QString userCode = reply.json.value(QLatin1String("user_code")).toString();
        const QString uri = reply.json.value(QLatin1String("verification_uri")).toString();
        if (m_deviceCode.isEmpty() || userCode.isEmpty() || uri.isEmpty()) {
            fail(QStringLiteral("the sign-in service's device code answer is incomplete"),
                 QStringLiteral("unexpected_reply"));
            return;
        }
        const qint64 interval = reply.json.value(QLatin1String("interval")).toInteger();
        m_interval = std::clamp(seconds(interval > 0 ? interval : kDefaultInterval.count()),
                                seconds(1), kLongestInterval);
        // A device code lives 15 minutes; a missing, absurd or overflowing lifetime is taken as
        // that, and none is trusted beyond a day (so that milliseconds of it fit a qint64).
        const qint64 lifetime = reply.json.value(QLatin1String("expires_in")).toInteger();
        m_lifetime = seconds(lifetime > 0 ? std::min<qint64>(lifetime, 24 * 3600) : 900);
        m_sinceCode.start();
        emit prompt(uri, userCode, reply.json.value(QLatin1String("message")).toString());
        schedulePoll();
    });
}

void DeviceCodeSignIn::cancel()
{
    m_running = false;
    m_timer.stop();
}

void DeviceCodeSignIn::schedulePoll()
{
    m_timer.start(int(m_interval.count() * m_second.count()));
}

void DeviceCodeSignIn::poll()
{
    if (!m_running)
        return;
    if (m_sinceCode.elapsed() > m_lifetime.count() * m_second.count()) {
        fail(QStringLiteral("the code expired before the sign-in was approved; sign in again"),
             QStringLiteral("expired_token"));
        return;
    }
    const QDateTime askedAt = m_clock.now();
    m_client.redeemDeviceCode(m_deviceCode, this, [this, askedAt](const IdentityReply &reply) {
        if (!m_running)
            return;
        if (reply.ok()) {
            const TokenSet tokens = TokenSet::fromTokenAnswer(reply.json, askedAt);
            if (!tokens.hasAccessToken()) {
                fail(QStringLiteral("the sign-in service's token answer has no access token"),
                     QStringLiteral("unexpected_reply"));
                return;
            }
            m_running = false;
            emit signedIn(tokens);
            return;
        }
        const QString &error = reply.error;
        if (error == QLatin1String("authorization_pending")) {
            schedulePoll();
        } else if (error == QLatin1String("slow_down")) {
            m_interval = std::min(m_interval + kSlowDownStep, kLongestInterval);
            schedulePoll();
        } else if (error == QLatin1String("network_error")) {
            schedulePoll(); // the code is still good: try again at the same pace
        } else if (error == QLatin1String("authorization_declined")) {
            fail(QStringLiteral("the sign-in was declined on the verification page"),
                 reply.describe());
        } else if (error == QLatin1String("expired_token")) {
            fail(QStringLiteral("the code expired before the sign-in was approved; sign in again"),
                 reply.describe());
        } else if (error == QLatin1String("bad_verification_code")) {
            fail(QStringLiteral("the sign-in service did not recognise the device code; sign in "
                                "again"),
                 reply.describe());
        } else {
            fail(QStringLiteral("the sign-in failed"), reply.describe());
        }
    });
}

void DeviceCodeSignIn::fail(const QString &plainWords, const QString &platformError)
{
    m_running = false;
    m_timer.stop();
    emit failed(plainWords + QStringLiteral(" (") + platformError + QLatin1Char(')'));
}
