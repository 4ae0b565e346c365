#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <memory>

// An app registration's certificate credential for app-only sign-in: a PEM RSA private key and
// the X.509 certificate uploaded to the app registration. The identity platform accepts, in
// place of a client secret, a short-lived JWT signed with the key (a "client assertion"), whose
// header names the certificate by its SHA-256 thumbprint (x5t#S256). The signature is made by
// OpenSSL's libcrypto, never by hand. The key stays in memory only, as the client secret does.
class ClientCertificate
{
public:
    // How long an assertion is good for: the platform takes it once, at once.
    static constexpr int kAssertionLifetimeSecs = 600;

    // Reads a certificate and its private key from PEM text (one text may hold both); an
    // encrypted key is opened with `passphrase`. Null with `problem` set when either is missing,
    // unreadable, not RSA, or the key does not belong to the certificate.
    static std::shared_ptr<const ClientCertificate> fromPem(const QByteArray &certificatePem,
                                                            const QByteArray &keyPem,
                                                            const QByteArray &passphrase,
                                                            QString &problem);

    // The same from files: `keyPath` may be empty when the certificate's file holds the key.
    static std::shared_ptr<const ClientCertificate> fromFiles(const QString &certificatePath,
                                                              const QString &keyPath,
                                                              const QByteArray &passphrase,
                                                              QString &problem);

    // base64url of the SHA-256 of the certificate's DER: the x5t#S256 header.
    QByteArray thumbprint() const { return m_thumbprint; }

    // A client assertion for `clientId` at the token endpoint `audience`, issued at `now`:
    // header {alg RS256, typ JWT, x5t#S256}, claims {aud, iss, sub, jti, nbf, iat, exp}. Empty
    // with `problem` set if signing failed.
    QByteArray assertion(const QString &clientId, const QUrl &audience, const QDateTime &now,
                         QString &problem) const;

private:
    ClientCertificate() = default;
    QByteArray m_keyPem; // unencrypted PKCS#8, as read: parsed again for each signature
    QByteArray m_thumbprint;
};
