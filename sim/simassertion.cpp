#include "simassertion.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace {

// The platform tolerates this much difference between its clock and the client's.
constexpr qint64 kClockSkewSecs = 300;

struct Free
{
    void operator()(BIO *bio) const { BIO_free(bio); }
    void operator()(X509 *certificate) const { X509_free(certificate); }
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};

std::unique_ptr<X509, Free> readCertificate(const QByteArray &pem)
{
    std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    std::unique_ptr<X509, Free> certificate(
        bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    ERR_clear_error();
    return certificate;
}

QByteArray fromBase64Url(const QByteArray &text, bool &ok)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    ok = bool(decoded);
    return decoded.decoded;
}

bool verifyRs256(const QByteArray &signingInput, const QByteArray &signature,
                 const QByteArray &certificatePem)
{
    const auto certificate = readCertificate(certificatePem);
    if (!certificate)
        return false;
    const std::unique_ptr<EVP_PKEY, Free> key(X509_get_pubkey(certificate.get()));
    const std::unique_ptr<EVP_MD_CTX, Free> context(EVP_MD_CTX_new());
    const bool verified =
        key && context &&
        EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
        EVP_DigestVerify(context.get(),
                         reinterpret_cast<const unsigned char *>(signature.constData()),
                         size_t(signature.size()),
                         reinterpret_cast<const unsigned char *>(signingInput.constData()),
                         size_t(signingInput.size())) == 1;
    ERR_clear_error();
    return verified;
}

SimAssertionCheck::Failure failure(const char *error, int code, const QString &description)
{
    return {QString::fromLatin1(error), QStringLiteral("AADSTS%1: ").arg(code) + description, code};
}

} // namespace

bool SimAssertionCheck::registerCertificate(const QString &clientId,
                                            const QByteArray &certificatePem)
{
    const auto certificate = readCertificate(certificatePem);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!certificate || X509_digest(certificate.get(), EVP_sha256(), digest, &length) != 1)
        return false;
    const QByteArray thumbprint =
        QByteArray(reinterpret_cast<const char *>(digest), int(length))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_certificates[clientId].append(Registered{thumbprint, certificatePem});
    return true;
}

bool SimAssertionCheck::hasCertificate(const QString &clientId) const
{
    return !m_certificates.value(clientId).isEmpty();
}

SimAssertionCheck::Failure SimAssertionCheck::check(const QByteArray &assertion,
                                                    const QString &clientId,
                                                    const QString &audiencePath,
                                                    const QDateTime &now)
{
    const QList<QByteArray> parts = assertion.split('.');
    bool headerOk = false, claimsOk = false, signatureOk = false;
    const QByteArray headerJson = parts.size() == 3 ? fromBase64Url(parts[0], headerOk) : "";
    const QByteArray claimsJson = parts.size() == 3 ? fromBase64Url(parts[1], claimsOk) : "";
    const QByteArray signature = parts.size() == 3 ? fromBase64Url(parts[2], signatureOk) : "";
    const QJsonObject header = QJsonDocument::fromJson(headerJson).object();
    const QJsonObject claims = QJsonDocument::fromJson(claimsJson).object();
    if (!headerOk || !claimsOk || !signatureOk || header.isEmpty() || claims.isEmpty())
        return failure("invalid_request", 50027,
                       QStringLiteral("JWT token is invalid or malformed."));
    if (header.value(QLatin1String("alg")).toString() != QLatin1String("RS256")) {
        return failure("invalid_request", 5002738,
                       QStringLiteral("Invalid JWT token. '%1' is not a supported signature "
                                      "algorithm.")
                           .arg(header.value(QLatin1String("alg")).toString()));
    }
    const QByteArray thumbprint = header.value(QLatin1String("x5t#S256")).toString().toLatin1();
    const QList<Registered> registered = m_certificates.value(clientId);
    const auto match =
        std::find_if(registered.cbegin(), registered.cend(),
                     [&](const Registered &r) { return r.thumbprint == thumbprint; });
    if (match == registered.cend()) {
        return failure("invalid_client", 700027,
                       QStringLiteral("The certificate with identifier used to sign the client "
                                      "assertion is not registered on application. [Reason - The "
                                      "key was not found., Thumbprint of key used by client: "
                                      "'%1']")
                           .arg(QString::fromLatin1(thumbprint)));
    }
    if (!verifyRs256(parts[0] + '.' + parts[1], signature, match->certificatePem))
        return failure("invalid_client", 700027,
                       QStringLiteral("Client assertion failed signature validation."));
    if (claims.value(QLatin1String("iss")).toString() != clientId ||
        claims.value(QLatin1String("sub")).toString() != clientId) {
        return failure("invalid_client", 700021,
                       QStringLiteral("Client assertion application identifier doesn't match "
                                      "'client_id' parameter."));
    }
    const QUrl audience(claims.value(QLatin1String("aud")).toString());
    if (audience.path().compare(audiencePath, Qt::CaseInsensitive) != 0) {
        return failure("invalid_client", 50013,
                       QStringLiteral("Assertion is invalid: its audience '%1' is not this "
                                      "token endpoint.")
                           .arg(audience.toString()));
    }
    const qint64 nowSecs = now.toSecsSinceEpoch();
    const qint64 expires = claims.value(QLatin1String("exp")).toInteger();
    const qint64 notBefore = claims.value(QLatin1String("nbf")).toInteger(nowSecs);
    if (expires + kClockSkewSecs < nowSecs || notBefore - kClockSkewSecs > nowSecs) {
        return failure("invalid_client", 700024,
                       QStringLiteral("Client assertion is not within its valid time range."));
    }
    const QString id = claims.value(QLatin1String("jti")).toString();
    if (id.isEmpty() || m_seenIds.contains(id)) {
        return failure("invalid_client", 50013,
                       QStringLiteral("Assertion is invalid: its jti is missing or was already "
                                      "used."));
    }
    m_seenIds.insert(id);
    return Failure();
}
