#include "signin/tokenset.h"

#include <QJsonDocument>

QString TokenSet::accountText() const
{
    if (appOnly)
        return QStringLiteral("the app itself (client credentials)");
    if (accountName.isEmpty())
        return username;
    if (username.isEmpty())
        return accountName;
    return QStringLiteral("%1 <%2>").arg(accountName, username);
}

TokenSet TokenSet::fromTokenAnswer(const QJsonObject &answer, const QDateTime &requestedAt,
                                   const TokenSet &previous)
{
    TokenSet tokens = previous;
    tokens.accessToken = answer.value(QLatin1String("access_token")).toString();
    if (tokens.accessToken.isEmpty())
        return TokenSet();
    const QString refresh = answer.value(QLatin1String("refresh_token")).toString();
    if (!refresh.isEmpty())
        tokens.refreshToken = refresh;
    // expires_in is a number, or a string of one on some older endpoints; an hour if absent.
    const QJsonValue expiresIn = answer.value(QLatin1String("expires_in"));
    double seconds = expiresIn.isString() ? expiresIn.toString().toDouble() : expiresIn.toDouble();
    if (!(seconds > 0) || seconds > 86400.0 * 365)
        seconds = 3600;
    tokens.expiresAt = requestedAt.addSecs(qint64(seconds));
    const QJsonObject claims = jwtClaims(answer.value(QLatin1String("id_token")).toString());
    if (!claims.isEmpty()) {
        tokens.accountName = claims.value(QLatin1String("name")).toString();
        tokens.username = claims.value(QLatin1String("preferred_username")).toString();
        tokens.tenantId = claims.value(QLatin1String("tid")).toString();
    }
    return tokens;
}

TokenSet TokenSet::fromTokenAnswer(const QJsonObject &answer, const QDateTime &requestedAt)
{
    return fromTokenAnswer(answer, requestedAt, TokenSet());
}

QJsonObject TokenSet::jwtClaims(const QString &jwt)
{
    const QStringList parts = jwt.split(QLatin1Char('.'));
    if (parts.size() < 2)
        return QJsonObject();
    const auto decoded = QByteArray::fromBase64Encoding(
        parts[1].toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return QJsonObject();
    return QJsonDocument::fromJson(*decoded).object();
}
