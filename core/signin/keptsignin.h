#pragma once

#include "signin/signinconfig.h"
#include "signin/tokenset.h"

#include <QByteArray>

#include <optional>

// What is kept in the keychain between runs: where and as which app the admin signed in, who,
// and the refresh token — never the access token, which lives an hour and only in memory.
struct KeptSignIn
{
    SignInConfig config;
    TokenSet tokens; // refresh token and account; no access token

    static QString keychainService() { return QStringLiteral("TeamsOps"); }
    static QString keychainKey() { return QStringLiteral("sign-in"); }

    QByteArray toJson() const;
    static std::optional<KeptSignIn> fromJson(const QByteArray &json);
};
