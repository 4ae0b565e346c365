#include "simidentity.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace std::chrono;

namespace {

QString randomString(int words)
{
    QString text;
    for (int i = 0; i < words; ++i)
        text += QString::number(QRandomGenerator::system()->generate64(), 36);
    return text;
}

QString userCodeText()
{
    static const char letters[] = "BCDFGHJKLMNPQRSTVWXZ23456789";
    QString code;
    for (int i = 0; i < 9; ++i)
        code += QLatin1Char(letters[QRandomGenerator::system()->bounded(int(sizeof letters) - 1)]);
    return code;
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool is(const QString &segment, const char *name)
{
    return segment.compare(QLatin1String(name), Qt::CaseInsensitive) == 0;
}

const QString kDeviceGrant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");

} // namespace

SimIdentity::SimIdentity(QString tenantId, TimeSource now)
    : m_tenantId(std::move(tenantId))
    , m_now(std::move(now))
{
    registerApp(demoClientId());
}

void SimIdentity::registerApp(const QString &clientId, const QString &secret)
{
    m_apps.insert(clientId, secret);
}

bool SimIdentity::registerAppCertificate(const QString &clientId, const QByteArray &certificatePem)
{
    if (!m_apps.contains(clientId))
        registerApp(clientId);
    return m_assertions.registerCertificate(clientId, certificatePem);
}

bool SimIdentity::isIdentityPath(const QStringList &segments)
{
    return segments.size() == 4 && is(segments[1], "oauth2") && is(segments[2], "v2.0");
}

SimReply SimIdentity::handle(const QByteArray &method, const QStringList &segments,
                             const QUrlQuery &query, const QByteArray &body)
{
    const QString &tenant = segments[0];
    const bool knownTenant =
        is(tenant, "organizations") || is(tenant, "common") ||
        tenant.compare(m_tenantId, Qt::CaseInsensitive) == 0 ||
        tenant.endsWith(QLatin1String(".onmicrosoft.com"), Qt::CaseInsensitive);
    if (!knownTenant) {
        return error(400, QStringLiteral("invalid_tenant"),
                     QStringLiteral("AADSTS90002: Tenant '%1' not found.").arg(tenant), 90002);
    }
    if (is(segments[3], "authorize") && method == "GET")
        return authorize(query);
    if (method != "POST") {
        return error(405, QStringLiteral("invalid_request"),
                     QStringLiteral("AADSTS900561: The endpoint only accepts POST requests."),
                     900561);
    }
    // A form body, as the platform requires: a '+' is a space there, unlike QUrlQuery's reading.
    QByteArray formText = body;
    formText.replace('+', ' ');
    const QUrlQuery form(QString::fromUtf8(formText));
    if (is(segments[3], "devicecode"))
        return deviceCode(form);
    if (is(segments[3], "token"))
        return token(form, tenant);
    return error(404, QStringLiteral("invalid_request"), QStringLiteral("No such endpoint."), 0);
}

SimReply SimIdentity::deviceCode(const QUrlQuery &form)
{
    const QString clientId = form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
    if (!m_apps.contains(clientId))
        return unknownApp(clientId);
    DeviceCode code;
    code.userCode = userCodeText();
    code.clientId = clientId;
    code.scopes = form.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded)
                      .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    code.interval = m_deviceInterval;
    // Said as given (a test may give an absurd one), kept to a century so the date stays valid.
    code.expiresAt =
        m_now().addSecs(std::min<qint64>(m_deviceLifetime.count(), 100LL * 365 * 24 * 3600));
    code.nextPollAllowedAt = m_now();
    const QString deviceCode = randomString(4);
    m_deviceCodes.insert(deviceCode, code);
    m_deviceByUserCode.insert(code.userCode, deviceCode);
    m_lastUserCode = code.userCode;
    const QString uri = QStringLiteral("https://microsoft.com/devicelogin");
    return SimReply::json(
        200, QJsonObject{
                 {QStringLiteral("device_code"), deviceCode},
                 {QStringLiteral("user_code"), code.userCode},
                 {QStringLiteral("verification_uri"), uri},
                 {QStringLiteral("expires_in"), qint64(m_deviceLifetime.count())},
                 {QStringLiteral("interval"), qint64(m_deviceInterval.count())},
                 {QStringLiteral("message"),
                  QStringLiteral("To sign in, use a web browser to open the page %1 and enter the "
                                 "code %2 to authenticate.")
                      .arg(uri, code.userCode)},
             });
}

SimReply SimIdentity::token(const QUrlQuery &form, const QString &tenantSegment)
{
    const QString grant = form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded);
    m_tokenRequests[grant] += 1;
    if (grant == kDeviceGrant)
        return redeemDeviceCode(form);
    if (grant == QLatin1String("refresh_token"))
        return redeemRefreshToken(form);
    if (grant == QLatin1String("authorization_code"))
        return redeemAuthorizationCode(form);
    if (grant == QLatin1String("client_credentials"))
        return clientCredentials(form, tenantSegment);
    return error(
        400, QStringLiteral("unsupported_grant_type"),
        QStringLiteral("AADSTS70003: The app requested an unsupported grant type '%1'.").arg(grant),
        70003);
}

namespace {

// The platform's own error page: shown when it cannot send the browser back to the app.
SimReply errorPage(const QString &description)
{
    SimReply reply;
    reply.status = 400;
    reply.body = QStringLiteral("<html><body><h2>Sorry, but we're having trouble signing you in."
                                "</h2><p>%1</p></body></html>")
                     .arg(description.toHtmlEscaped())
                     .toUtf8();
    reply.withHeader("Content-Type", "text/html; charset=utf-8");
    return reply;
}

// Back to the app with the answer in the query, as response_mode=query asks.
SimReply redirectTo(QUrl target, const QList<QPair<QString, QString>> &items)
{
    QUrlQuery query(target);
    for (const auto &[name, value] : items)
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    target.setQuery(query);
    SimReply reply = SimReply::empty(302);
    reply.withHeader("Location", target.toEncoded());
    return reply;
}

// http://localhost or http://127.0.0.1 on any port: what "Mobile and desktop applications"
// accepts for a registered http://localhost.
bool isLoopbackRedirect(const QUrl &url)
{
    return url.isValid() && url.scheme() == QLatin1String("http") &&
           (url.host() == QLatin1String("localhost") || url.host() == QLatin1String("127.0.0.1")) &&
           url.userInfo().isEmpty() && !url.hasFragment();
}

} // namespace

SimReply SimIdentity::authorize(const QUrlQuery &query)
{
    const auto field = [&query](const char *name) {
        return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    const QString clientId = field("client_id");
    if (!m_apps.contains(clientId)) {
        return errorPage(QStringLiteral("AADSTS700016: Application with identifier '%1' was not "
                                        "found in the directory.")
                             .arg(clientId));
    }
    const QString redirectText = field("redirect_uri");
    const QUrl redirect(redirectText);
    if (!isLoopbackRedirect(redirect)) {
        return errorPage(QStringLiteral("AADSTS50011: The redirect URI '%1' specified in the "
                                        "request does not match the redirect URIs configured for "
                                        "the application '%2'.")
                             .arg(redirectText, clientId));
    }
    const QString state = field("state");
    const auto refuse = [&](const QString &error, const QString &description) {
        QList<QPair<QString, QString>> items{{QStringLiteral("error"), error},
                                             {QStringLiteral("error_description"), description}};
        if (!state.isEmpty())
            items.append({QStringLiteral("state"), state});
        return redirectTo(redirect, items);
    };
    if (field("response_type") != QLatin1String("code")) {
        return refuse(QStringLiteral("unsupported_response_type"),
                      QStringLiteral("AADSTS70005: response_type '%1' is not enabled for the "
                                     "client.")
                          .arg(field("response_type")));
    }
    const QString challenge = field("code_challenge");
    if (field("code_challenge_method") != QLatin1String("S256") || challenge.size() != 43) {
        return refuse(QStringLiteral("invalid_request"),
                      QStringLiteral("AADSTS9002325: Proof Key for Code Exchange is required, "
                                     "with code_challenge_method S256."));
    }
    if (m_declineNext) {
        m_declineNext = false;
        return refuse(QStringLiteral("access_denied"),
                      QStringLiteral("AADSTS65004: User declined to consent to access the app."));
    }
    AuthorizationCode code;
    code.clientId = clientId;
    code.redirectUri = redirectText;
    code.challenge = challenge;
    code.scopes = field("scope").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    code.account = m_browserAccount;
    code.expiresAt = m_now().addSecs(m_codeLifetime.count());
    const QString value = QStringLiteral("simcode-") + randomString(4);
    m_codes.insert(value, code);
    ++m_authorizationsGranted;
    QList<QPair<QString, QString>> items{{QStringLiteral("code"), value}};
    if (!state.isEmpty())
        items.append({QStringLiteral("state"), state});
    items.append({QStringLiteral("session_state"), randomString(2)});
    return redirectTo(redirect, items);
}

SimReply SimIdentity::redeemAuthorizationCode(const QUrlQuery &form)
{
    const auto field = [&form](const char *name) {
        return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    const auto found = m_codes.find(field("code"));
    if (found == m_codes.end()) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS9002313: Invalid request. Request is malformed or "
                                    "invalid."),
                     9002313);
    }
    AuthorizationCode &code = *found;
    if (code.redeemed) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS54005: OAuth2 Authorization code was already redeemed, "
                                    "please retry with a new valid code or use an existing "
                                    "refresh token."),
                     54005);
    }
    if (m_now() >= code.expiresAt) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS70008: The provided authorization code or refresh "
                                    "token has expired due to inactivity."),
                     70008);
    }
    if (field("client_id") != code.clientId) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS700005: Provided Authorization Code is intended to use "
                                    "against other tenant or application."),
                     700005);
    }
    if (field("redirect_uri") != code.redirectUri) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS50148: The redirect_uri '%1' does not match the one "
                                    "the authorization code was issued for.")
                         .arg(field("redirect_uri")),
                     50148);
    }
    const QByteArray verifier = field("code_verifier").toLatin1();
    if (base64Url(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)) !=
        code.challenge.toLatin1()) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS501481: The Code_Verifier does not match the "
                                    "code_challenge supplied in the authorization request."),
                     501481);
    }
    code.redeemed = true;
    return issue(code.account, code.clientId, code.scopes);
}

SimReply SimIdentity::redeemDeviceCode(const QUrlQuery &form)
{
    const QString key = form.queryItemValue(QStringLiteral("device_code"), QUrl::FullyDecoded);
    const auto found = m_deviceCodes.find(key);
    if (found == m_deviceCodes.end() || found->state == DeviceCode::State::Redeemed) {
        return error(400, QStringLiteral("bad_verification_code"),
                     QStringLiteral("AADSTS70019: Verification code was not recognized."), 70019);
    }
    DeviceCode &code = *found;
    const QDateTime now = m_now();
    if (now >= code.expiresAt) {
        return error(400, QStringLiteral("expired_token"),
                     QStringLiteral("AADSTS70020: The provided value for the input parameter "
                                    "'device_code' is not valid. This device code has expired."),
                     70020);
    }
    if (now < code.nextPollAllowedAt || m_slowDownNext) {
        // Polled faster than asked: wait five seconds more from now on (RFC 8628, 3.5).
        m_slowDownNext = false;
        ++m_slowDowns;
        code.interval += seconds(5);
        code.nextPollAllowedAt = now.addSecs(code.interval.count());
        return error(400, QStringLiteral("slow_down"),
                     QStringLiteral("AADSTS70016: OAuth 2.0 device flow error. Polling too fast; "
                                    "slow down."),
                     70016);
    }
    code.nextPollAllowedAt = now.addSecs(code.interval.count());
    switch (code.state) {
    case DeviceCode::State::Pending:
        return error(400, QStringLiteral("authorization_pending"),
                     QStringLiteral("AADSTS70016: OAuth 2.0 device flow error. Authorization is "
                                    "pending. Continue polling."),
                     70016);
    case DeviceCode::State::Declined:
        return error(400, QStringLiteral("authorization_declined"),
                     QStringLiteral("AADSTS70000: The user declined the sign-in request."), 70000);
    case DeviceCode::State::Approved:
        code.state = DeviceCode::State::Redeemed;
        return issue(code.account, code.clientId, code.scopes);
    case DeviceCode::State::Redeemed:
        break;
    }
    return error(400, QStringLiteral("bad_verification_code"),
                 QStringLiteral("AADSTS70019: Verification code was not recognized."), 70019);
}

SimReply SimIdentity::redeemRefreshToken(const QUrlQuery &form)
{
    const QString refresh =
        form.queryItemValue(QStringLiteral("refresh_token"), QUrl::FullyDecoded);
    const QString clientId = form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
    const auto found = m_refreshTokens.find(refresh);
    if (found == m_refreshTokens.end() || found->clientId != clientId) {
        return error(400, QStringLiteral("invalid_grant"),
                     QStringLiteral("AADSTS70000: Provided grant is invalid or malformed (the "
                                    "refresh token was already used, revoked or expired)."),
                     70000);
    }
    const RefreshGrant grant = *found;
    m_refreshTokens.erase(found); // single use: the answer carries its successor
    return issue(grant.account, grant.clientId, grant.scopes);
}

SimReply SimIdentity::clientCredentials(const QUrlQuery &form, const QString &tenantSegment)
{
    const auto field = [&form](const char *name) {
        return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    const QString clientId = field("client_id");
    const QString secret = field("client_secret");
    const QString scope = field("scope");
    if (!m_apps.contains(clientId))
        return unknownApp(clientId);
    const QString assertion = field("client_assertion");
    if (!assertion.isEmpty()) {
        if (field("client_assertion_type") !=
            QLatin1String("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")) {
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("AADSTS50027: client_assertion_type must be "
                                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer."),
                         50027);
        }
        const SimAssertionCheck::Failure failed =
            m_assertions.check(assertion.toLatin1(), clientId,
                               QStringLiteral("/%1/oauth2/v2.0/token").arg(tenantSegment), m_now());
        if (!failed.error.isEmpty())
            return error(401, failed.error, failed.description, failed.code);
    } else if (secret.isEmpty() || m_apps.value(clientId) != secret) {
        return error(401, QStringLiteral("invalid_client"),
                     QStringLiteral("AADSTS7000215: Invalid client secret provided."), 7000215);
    }
    if (!scope.endsWith(QLatin1String("/.default"))) {
        return error(400, QStringLiteral("invalid_scope"),
                     QStringLiteral("AADSTS1002012: The provided value for scope %1 is not valid. "
                                    "Client credential flows must have a scope value with "
                                    "/.default suffixed to the resource identifier.")
                         .arg(scope),
                     1002012);
    }
    Grant grant;
    grant.clientId = clientId;
    grant.appOnly = true;
    const QString access = newAccessToken(grant);
    return SimReply::json(200, QJsonObject{
                                   {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                   {QStringLiteral("expires_in"), qint64(m_tokenLifetime.count())},
                                   {QStringLiteral("access_token"), access},
                               });
}

QString SimIdentity::newAccessToken(Grant grant)
{
    const QString access =
        (grant.appOnly ? QStringLiteral("simapp-") : QStringLiteral("simat-")) + randomString(4);
    grant.expiresAt = m_now().addSecs(m_tokenLifetime.count());
    m_accessTokens.insert(access, grant);
    m_everyTokenIssued.append(access);
    return access;
}

SimReply SimIdentity::issue(const Account &account, const QString &clientId,
                            const QStringList &scopes)
{
    Grant grant;
    grant.account = account;
    grant.clientId = clientId;
    const QString access = newAccessToken(grant);

    const QJsonObject claims{
        {QStringLiteral("aud"), clientId},
        {QStringLiteral("iss"),
         QStringLiteral("https://login.microsoftonline.com/%1/v2.0").arg(m_tenantId)},
        {QStringLiteral("name"), account.name},
        {QStringLiteral("preferred_username"), account.username},
        {QStringLiteral("tid"), m_tenantId},
        {QStringLiteral("exp"), grant.expiresAt.toSecsSinceEpoch()}};
    const QByteArray idToken = base64Url(R"({"alg":"none","typ":"JWT"})") + '.' +
                               base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) +
                               '.';
    QJsonObject answer{{QStringLiteral("token_type"), QStringLiteral("Bearer")},
                       {QStringLiteral("scope"), scopes.join(QLatin1Char(' '))},
                       {QStringLiteral("expires_in"), qint64(m_tokenLifetime.count())},
                       {QStringLiteral("ext_expires_in"), qint64(m_tokenLifetime.count())},
                       {QStringLiteral("access_token"), access},
                       {QStringLiteral("id_token"), QString::fromLatin1(idToken)}};
    if (scopes.contains(QLatin1String("offline_access"))) {
        const QString refresh = QStringLiteral("simrt-") + randomString(6);
        m_refreshTokens.insert(refresh, RefreshGrant{account, clientId, scopes});
        m_everyTokenIssued.append(refresh);
        answer.insert(QStringLiteral("refresh_token"), refresh);
    }
    return SimReply::json(200, answer);
}

SimReply SimIdentity::unknownApp(const QString &clientId)
{
    return error(400, QStringLiteral("unauthorized_client"),
                 QStringLiteral("AADSTS700016: Application with identifier '%1' was not found in "
                                "the directory.")
                     .arg(clientId),
                 700016);
}

SimReply SimIdentity::error(int status, const QString &code, const QString &description,
                            int aadstsCode)
{
    return SimReply::json(status,
                          QJsonObject{{QStringLiteral("error"), code},
                                      {QStringLiteral("error_description"), description},
                                      {QStringLiteral("error_codes"), QJsonArray{aadstsCode}}});
}

bool SimIdentity::approveDeviceCode(const QString &userCode, const Account &account)
{
    const auto found = m_deviceCodes.find(m_deviceByUserCode.value(userCode));
    if (found == m_deviceCodes.end() || found->state != DeviceCode::State::Pending)
        return false;
    found->state = DeviceCode::State::Approved;
    found->account = account;
    return true;
}

bool SimIdentity::approveDeviceCode(const QString &userCode)
{
    return approveDeviceCode(userCode, Account());
}

bool SimIdentity::declineDeviceCode(const QString &userCode)
{
    const auto found = m_deviceCodes.find(m_deviceByUserCode.value(userCode));
    if (found == m_deviceCodes.end() || found->state != DeviceCode::State::Pending)
        return false;
    found->state = DeviceCode::State::Declined;
    return true;
}

SimIdentity::TokenCheck SimIdentity::checkAccessToken(const QString &token) const
{
    const auto found = m_accessTokens.constFind(token);
    if (found == m_accessTokens.cend())
        return TokenCheck::Unknown;
    return m_now() < found->expiresAt ? TokenCheck::Valid : TokenCheck::Expired;
}

void SimIdentity::expireAccessTokens()
{
    const QDateTime now = m_now();
    for (Grant &grant : m_accessTokens)
        grant.expiresAt = std::min(grant.expiresAt, now);
}
