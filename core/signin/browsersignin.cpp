#include "signin/browsersignin.h"

#include "model/clock.h"
#include "signin/identityclient.h"
#include "signin/loopbacklistener.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QRandomGenerator>

namespace {

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// 32 random bytes, base64url: a 43-character PKCE verifier (RFC 7636 asks for 43 to 128) and
// an unguessable state.
QByteArray randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return base64Url(bytes);
}

// The page the browser shows after the redirect: it must never echo what came in unescaped.
QString page(const QString &heading, const QString &detail)
{
    return QStringLiteral("<h2 style=\"font-family:sans-serif\">%1</h2>"
                          "<p style=\"font-family:sans-serif\">%2</p>")
        .arg(heading.toHtmlEscaped(), detail.toHtmlEscaped());
}

// The listener passes query values on as they came, percent-encoded and with '+' for spaces (a
// form's encoding): decoded here.
QString queryValue(const QVariantMap &values, const char *name)
{
    QString value = values.value(QLatin1String(name)).toString();
    value.replace(QLatin1Char('+'), QLatin1Char(' '));
    return QUrl::fromPercentEncoding(value.toUtf8());
}

} // namespace

BrowserSignIn::BrowserSignIn(IdentityClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(tr("Sign-in was not finished in the browser within %1 minutes").arg(kTimeout.count()));
    });
}

BrowserSignIn::~BrowserSignIn() = default;

quint16 BrowserSignIn::port() const
{
    return m_listener && m_listener->isListening() ? m_listener->port() : 0;
}

void BrowserSignIn::start()
{
    cancel();
    // Loopback only: nobody else on the network may deliver a code to this listener.
    m_listener = new LoopbackListener(this);
    if (!m_listener->listen()) {
        fail(tr("Cannot listen on 127.0.0.1 for the browser's answer"));
        return;
    }
    connect(m_listener, &LoopbackListener::received, this, &BrowserSignIn::received);
    m_redirectUri = QUrl(QStringLiteral("http://localhost:%1/").arg(m_listener->port()));
    m_state = QString::fromLatin1(randomToken());
    m_verifier = randomToken();
    const QByteArray challenge =
        base64Url(QCryptographicHash::hash(m_verifier, QCryptographicHash::Sha256));
    m_timeout.start(kTimeout);
    emit openBrowser(m_client.authorizationUrl(m_redirectUri, m_state, challenge));
}

void BrowserSignIn::cancel()
{
    m_timeout.stop();
    m_redeeming = false;
    if (m_listener) {
        m_listener->close();
        m_listener->deleteLater();
        m_listener = nullptr;
    }
}

void BrowserSignIn::received(const QVariantMap &values)
{
    // Runs before the listener answers the browser: the page it shows is set here.
    const QString state = queryValue(values, "state");
    if (m_redeeming || state != m_state) {
        // Not the answer to this sign-in (another tab, a replay, a forgery): ignored.
        m_listener->setCallbackText(page(tr("This sign-in link is not the one TeamsOps is "
                                            "waiting for"),
                                         tr("Return to TeamsOps and sign in again.")));
        return;
    }
    const QString error = queryValue(values, "error");
    if (!error.isEmpty()) {
        IdentityReply reply;
        reply.error = error;
        reply.errorDescription = queryValue(values, "error_description");
        m_listener->setCallbackText(
            page(tr("Sign-in to TeamsOps did not finish"), reply.describe()));
        fail(tr("Sign-in in the browser did not finish (%1)").arg(reply.describe()));
        return;
    }
    const QString code = queryValue(values, "code");
    if (code.isEmpty()) {
        m_listener->setCallbackText(page(tr("Sign-in to TeamsOps did not finish"),
                                         tr("The answer held no authorization code.")));
        fail(tr("The browser's answer held no authorization code"));
        return;
    }
    m_redeeming = true;
    m_listener->setCallbackText(page(tr("Signed in to TeamsOps"), tr("You can close this tab.")));
    const QDateTime askedAt = m_clock.now();
    m_client.redeemAuthorizationCode(
        code, QString::fromLatin1(m_verifier), m_redirectUri, this,
        [this, askedAt](const IdentityReply &reply) {
            const TokenSet tokens = TokenSet::fromTokenAnswer(reply.json, askedAt);
            if (!reply.ok() || !tokens.hasAccessToken()) {
                fail(tr("The sign-in could not be completed (%1)")
                         .arg(reply.ok() ? tr("no access token") : reply.describe()));
                return;
            }
            finish();
            emit signedIn(tokens);
        });
}

void BrowserSignIn::finish()
{
    m_verifier.fill('\0');
    m_state.clear();
    // Closed once the page has gone out (the listener writes it after this slot returns).
    QTimer::singleShot(0, this, &BrowserSignIn::cancel);
}

void BrowserSignIn::fail(const QString &message)
{
    finish();
    emit failed(message);
}
