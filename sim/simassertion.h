#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QSet>
#include <QString>

// The identity platform's check of a client assertion (app-only sign-in with a certificate):
// a JWT signed RS256 by the key of a certificate registered on the app, named in its header by
// the certificate's SHA-256 thumbprint (x5t#S256), for this token endpoint, issued by and about
// the app, within its time range, and never seen before. Written on libcrypto apart from the
// client's own signing code, so neither can hide the other's mistake.
class SimAssertionCheck
{
public:
    struct Failure
    {
        QString error;       // "invalid_client", "invalid_request"
        QString description; // with its AADSTS code, as the platform words it
        int code = 0;
    };

    // A certificate in PEM; false if none could be read from it.
    bool registerCertificate(const QString &clientId, const QByteArray &certificatePem);
    bool hasCertificate(const QString &clientId) const;

    // Empty error when the assertion passes; `audiencePath` is the token endpoint's path
    // (/{tenant}/oauth2/v2.0/token), `now` the tenant's clock.
    Failure check(const QByteArray &assertion, const QString &clientId, const QString &audiencePath,
                  const QDateTime &now);

private:
    struct Registered
    {
        QByteArray thumbprint; // base64url SHA-256 of the DER
        QByteArray certificatePem;
    };
    QHash<QString, QList<Registered>> m_certificates; // by client id
    QSet<QString> m_seenIds;                          // jti values already used
};
