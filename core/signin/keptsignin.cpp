#include "signin/keptsignin.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {
constexpr int kFormat = 1;
}

QByteArray KeptSignIn::toJson() const
{
    const QJsonObject json{
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("authorityHost"), config.authorityHost.toString()},
        {QStringLiteral("tenant"), config.tenant},
        {QStringLiteral("clientId"), config.clientId},
        {QStringLiteral("graphUrl"), config.graphUrl.toString()},
        {QStringLiteral("refreshToken"), tokens.refreshToken},
        {QStringLiteral("accountName"), tokens.accountName},
        {QStringLiteral("username"), tokens.username},
        {QStringLiteral("tenantId"), tokens.tenantId},
    };
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<KeptSignIn> KeptSignIn::fromJson(const QByteArray &text)
{
    const QJsonObject json = QJsonDocument::fromJson(text).object();
    if (json.value(QLatin1String("format")).toInt() != kFormat)
        return std::nullopt;
    KeptSignIn kept;
    kept.config.authorityHost = QUrl(json.value(QLatin1String("authorityHost")).toString());
    kept.config.tenant = json.value(QLatin1String("tenant")).toString();
    kept.config.clientId = json.value(QLatin1String("clientId")).toString();
    kept.config.graphUrl = QUrl(json.value(QLatin1String("graphUrl")).toString());
    kept.tokens.refreshToken = json.value(QLatin1String("refreshToken")).toString();
    kept.tokens.accountName = json.value(QLatin1String("accountName")).toString();
    kept.tokens.username = json.value(QLatin1String("username")).toString();
    kept.tokens.tenantId = json.value(QLatin1String("tenantId")).toString();
    if (kept.tokens.refreshToken.isEmpty() || !kept.config.problem().isEmpty())
        return std::nullopt;
    return kept;
}
