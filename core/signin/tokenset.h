#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

// What a sign-in holds: the access token for Graph, the refresh token that renews it (single use:
// every refresh hands back its successor), when the access token expires, and who signed in, read
// from the ID token's claims (for display only: the platform already checked them).
struct TokenSet
{
    QString accessToken;
    QString refreshToken;
    QDateTime expiresAt;
    QString accountName;  // "name"
    QString username;     // "preferred_username"
    QString tenantId;     // "tid"
    bool appOnly = false; // client credentials: no user, no refresh token

    bool hasAccessToken() const { return !accessToken.isEmpty(); }
    // "Megan Bowen <meganb@contoso.com>", or "the app itself" for app-only.
    QString accountText() const;

    // Reads the identity platform's token answer, asked for at `requestedAt`. `previous` keeps
    // what the answer may leave out (a refresh need not repeat the account). Empty accessToken
    // when the answer is not one.
    static TokenSet fromTokenAnswer(const QJsonObject &answer, const QDateTime &requestedAt,
                                    const TokenSet &previous);
    static TokenSet fromTokenAnswer(const QJsonObject &answer, const QDateTime &requestedAt);
    // The claims of a JWT's payload (no signature check), or an empty object.
    static QJsonObject jwtClaims(const QString &jwt);
};

Q_DECLARE_METATYPE(TokenSet)
