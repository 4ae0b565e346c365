#include "signin/identityclient.h"

#include "graph/graphclient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace {

constexpr int kTransferTimeoutMs = 30000;
constexpr int kDeadlineMs = 60000;
constexpr qint64 kMaxReplyBytes = 1024 * 1024;

QByteArray formBody(const IdentityClient::Form &form)
{
    QByteArray body;
    for (const auto &[name, value] : form) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

IdentityReply readReply(QNetworkReply *reply)
{
    IdentityReply out;
    out.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (out.httpStatus == 0 || (reply->error() != QNetworkReply::NoError &&
                                reply->error() < QNetworkReply::ContentAccessDenied)) {
        out.error = QStringLiteral("network_error");
        out.errorDescription = reply->errorString();
        return out;
    }
    if (out.httpStatus >= 200 && out.httpStatus < 300 && !json.isEmpty()) {
        out.json = json;
        return out;
    }
    out.error = json.value(QLatin1String("error")).toString();
    out.errorDescription = json.value(QLatin1String("error_description")).toString();
    if (out.error.isEmpty()) {
        out.error = QStringLiteral("unexpected_reply");
        out.errorDescription =
            QStringLiteral("the sign-in service answered HTTP %1 without an OAuth answer")
                .arg(out.httpStatus);
    }
    return out;
}

} // namespace

QString IdentityReply::describe() const
{
    if (ok())
        return QStringLiteral("ok");
    // error_description may run over several lines (trace ids, timestamps): keep one.
    QString description = errorDescription.section(QLatin1Char('\n'), 0, 0).trimmed();
    description.remove(QLatin1Char('\r'));
    return description.isEmpty() ? error : error + QStringLiteral(": ") + description;
}

IdentityClient::IdentityClient(SignInConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_network(new QNetworkAccessManager(this))
{}

void IdentityClient::post(const QString &endpoint, const Form &form, QObject *receiver,
                          Handler handler)
{
    const QUrl url = m_config.endpoint(endpoint);
    const QString problem = GraphClient::checkBaseUrl(url);
    if (!problem.isEmpty()) {
        IdentityReply refused;
        refused.error = QStringLiteral("refused");
        refused.errorDescription = problem;
        QTimer::singleShot(0, receiver, [handler, refused] { handler(refused); });
        return;
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QStringLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "TeamsOps/0.1");
    QNetworkReply *reply = m_network->post(request, formBody(form));
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxReplyBytes)
            reply->abort();
    });
    QTimer::singleShot(kDeadlineMs, reply, &QNetworkReply::abort);
    QPointer<QObject> guard(receiver);
    connect(reply, &QNetworkReply::finished, this, [reply, guard, handler] {
        reply->deleteLater();
        if (guard)
            handler(readReply(reply));
    });
}

QUrl IdentityClient::authorizationUrl(const QUrl &redirectUri, const QString &state,
                                      const QByteArray &codeChallenge) const
{
    QUrl url = m_config.endpoint(QStringLiteral("authorize"));
    QUrlQuery query;
    const auto add = [&query](const QString &name, const QString &value) {
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add(QStringLiteral("client_id"), m_config.clientId);
    add(QStringLiteral("response_type"), QStringLiteral("code"));
    add(QStringLiteral("redirect_uri"), redirectUri.toString());
    add(QStringLiteral("response_mode"), QStringLiteral("query"));
    add(QStringLiteral("scope"), m_config.delegatedScopes().join(QLatin1Char(' ')));
    add(QStringLiteral("state"), state);
    add(QStringLiteral("code_challenge"), QString::fromLatin1(codeChallenge));
    add(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    add(QStringLiteral("prompt"), QStringLiteral("select_account"));
    url.setQuery(query);
    return url;
}

void IdentityClient::redeemAuthorizationCode(const QString &code, const QString &codeVerifier,
                                             const QUrl &redirectUri, QObject *receiver,
                                             Handler handler)
{
    post(QStringLiteral("token"),
         {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
          {QStringLiteral("client_id"), m_config.clientId},
          {QStringLiteral("code"), code},
          {QStringLiteral("redirect_uri"), redirectUri.toString()},
          {QStringLiteral("code_verifier"), codeVerifier},
          {QStringLiteral("scope"), m_config.delegatedScopes().join(QLatin1Char(' '))}},
         receiver, std::move(handler));
}

void IdentityClient::requestDeviceCode(QObject *receiver, Handler handler)
{
    post(QStringLiteral("devicecode"),
         {{QStringLiteral("client_id"), m_config.clientId},
          {QStringLiteral("scope"), m_config.delegatedScopes().join(QLatin1Char(' '))}},
         receiver, std::move(handler));
}

void IdentityClient::redeemDeviceCode(const QString &deviceCode, QObject *receiver, Handler handler)
{
    post(QStringLiteral("token"),
         {{QStringLiteral("grant_type"),
           QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")},
          {QStringLiteral("client_id"), m_config.clientId},
          {QStringLiteral("device_code"), deviceCode}},
         receiver, std::move(handler));
}

void IdentityClient::redeemRefreshToken(const QString &refreshToken, QObject *receiver,
                                        Handler handler)
{
    post(QStringLiteral("token"),
         {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
          {QStringLiteral("client_id"), m_config.clientId},
          {QStringLiteral("refresh_token"), refreshToken},
          {QStringLiteral("scope"), m_config.delegatedScopes().join(QLatin1Char(' '))}},
         receiver, std::move(handler));
}

void IdentityClient::requestAppToken(const AppCredential &credential, const QDateTime &now,
                                     QObject *receiver, Handler handler)
{
    Form form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
              {QStringLiteral("client_id"), m_config.clientId},
              {QStringLiteral("scope"), m_config.appScope()}};
    if (credential.certificate) {
        QString problem;
        const QByteArray assertion = credential.certificate->assertion(
            m_config.clientId, m_config.endpoint(QStringLiteral("token")), now, problem);
        if (assertion.isEmpty()) {
            IdentityReply refused;
            refused.error = QStringLiteral("client_assertion_failed");
            refused.errorDescription = problem;
            QTimer::singleShot(0, receiver, [handler, refused] { handler(refused); });
            return;
        }
        form.append({QStringLiteral("client_assertion_type"),
                     QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")});
        form.append({QStringLiteral("client_assertion"), QString::fromLatin1(assertion)});
    } else {
        form.append({QStringLiteral("client_secret"), credential.secret});
    }
    post(QStringLiteral("token"), form, receiver, std::move(handler));
}
