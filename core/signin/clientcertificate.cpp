#include "signin/clientcertificate.h"

#include "model/smallfile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace {

struct Free
{
    void operator()(BIO *bio) const { BIO_free(bio); }
    void operator()(X509 *certificate) const { X509_free(certificate); }
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};
template <typename T> using Owned = std::unique_ptr<T, Free>;

Owned<BIO> readOnlyBio(const QByteArray &data)
{
    return Owned<BIO>(BIO_new_mem_buf(data.constData(), int(data.size())));
}

// OpenSSL's reason for the last failure, on one line (it never holds key material).
QString lastOpenSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown reason");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

// Never prompts on the terminal (OpenSSL's default would): the passphrase is given, or none is.
int givenPassphrase(char *buffer, int size, int, void *userData)
{
    const auto *passphrase = static_cast<const QByteArray *>(userData);
    if (passphrase->isEmpty() || passphrase->size() > size)
        return -1;
    memcpy(buffer, passphrase->constData(), size_t(passphrase->size()));
    return int(passphrase->size());
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Owned<EVP_PKEY> readKey(const QByteArray &pem, const QByteArray &passphrase)
{
    const Owned<BIO> bio = readOnlyBio(pem);
    QByteArray given = passphrase;
    return Owned<EVP_PKEY>(
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, givenPassphrase, &given) : nullptr);
}

// A PEM file is a few KiB; anything much larger is not one.
constexpr qint64 kMaxPemBytes = 256 * 1024;

QByteArray readPemFile(const QString &path, QString &problem)
{
    return readSmallFile(path, kMaxPemBytes, QStringLiteral("a PEM file"), problem);
}

} // namespace

std::shared_ptr<const ClientCertificate>
ClientCertificate::fromFiles(const QString &certificatePath, const QString &keyPath,
                             const QByteArray &passphrase, QString &problem)
{
    QString readProblem;
    const QByteArray certificatePem = readPemFile(certificatePath, readProblem);
    QByteArray keyPem = keyPath.isEmpty() ? certificatePem : readPemFile(keyPath, readProblem);
    if (!readProblem.isEmpty()) {
        problem = readProblem;
        return nullptr;
    }
    auto read = fromPem(certificatePem, keyPem, passphrase, readProblem);
    keyPem.fill('\0');
    if (!read)
        problem = QStringLiteral("%1: %2").arg(keyPath.isEmpty() ? certificatePath : keyPath,
                                               readProblem);
    return read;
}

std::shared_ptr<const ClientCertificate>
ClientCertificate::fromPem(const QByteArray &certificatePem, const QByteArray &keyPem,
                           const QByteArray &passphrase, QString &problem)
{
    ERR_clear_error();
    const Owned<BIO> certificateBio = readOnlyBio(certificatePem);
    const Owned<X509> certificate(
        certificateBio ? PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr)
                       : nullptr);
    if (!certificate) {
        problem = QStringLiteral("no PEM certificate (BEGIN CERTIFICATE) could be read");
        ERR_clear_error();
        return nullptr;
    }
    if (!keyPem.contains("PRIVATE KEY-----")) {
        problem = QStringLiteral("no PEM private key (BEGIN PRIVATE KEY) was given");
        return nullptr;
    }
    const Owned<EVP_PKEY> key = readKey(keyPem, passphrase);
    if (!key) {
        problem =
            keyPem.contains("ENCRYPTED")
                ? QStringLiteral("the private key is encrypted and the passphrase in "
                                 "TEAMSOPS_CERTIFICATE_PASSPHRASE does not open it")
                : QStringLiteral("the private key cannot be read (%1)").arg(lastOpenSslError());
        return nullptr;
    }
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
        problem = QStringLiteral("the private key is not an RSA key (the identity platform "
                                 "signs client assertions with RS256)");
        return nullptr;
    }
    if (X509_check_private_key(certificate.get(), key.get()) != 1) {
        ERR_clear_error();
        problem = QStringLiteral("the private key does not belong to the certificate");
        return nullptr;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    if (X509_digest(certificate.get(), EVP_sha256(), digest, &digestLength) != 1) {
        problem = QStringLiteral("the certificate's thumbprint cannot be taken (%1)")
                      .arg(lastOpenSslError());
        return nullptr;
    }
    // Kept unencrypted in memory, so renewals need no passphrase: written out as PKCS#8.
    const Owned<BIO> out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
        problem = QStringLiteral("the private key cannot be kept (%1)").arg(lastOpenSslError());
        return nullptr;
    }
    char *data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    std::shared_ptr<ClientCertificate> read(new ClientCertificate);
    read->m_keyPem = QByteArray(data, int(size));
    OPENSSL_cleanse(data, size_t(size));
    read->m_thumbprint =
        base64Url(QByteArray(reinterpret_cast<const char *>(digest), int(digestLength)));
    return read;
}

QByteArray ClientCertificate::assertion(const QString &clientId, const QUrl &audience,
                                        const QDateTime &now, QString &problem) const
{
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("RS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("x5t#S256"), QString::fromLatin1(m_thumbprint)}};
    const qint64 issuedAt = now.toSecsSinceEpoch();
    const QJsonObject claims{
        {QStringLiteral("aud"), audience.toString()},
        {QStringLiteral("iss"), clientId},
        {QStringLiteral("sub"), clientId},
        {QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("nbf"), issuedAt},
        {QStringLiteral("iat"), issuedAt},
        {QStringLiteral("exp"), issuedAt + kAssertionLifetimeSecs},
    };
    const QByteArray signingInput =
        base64Url(compactJson(header)) + '.' + base64Url(compactJson(claims));

    ERR_clear_error();
    const Owned<EVP_PKEY> key = readKey(m_keyPem, QByteArray());
    const Owned<EVP_MD_CTX> context(EVP_MD_CTX_new());
    size_t signatureLength = 0;
    if (!key || !context ||
        EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &signatureLength,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size())) != 1) {
        problem =
            QStringLiteral("the client assertion cannot be signed (%1)").arg(lastOpenSslError());
        return QByteArray();
    }
    QByteArray signature(qsizetype(signatureLength), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()),
                       &signatureLength,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size())) != 1) {
        problem =
            QStringLiteral("the client assertion cannot be signed (%1)").arg(lastOpenSslError());
        return QByteArray();
    }
    signature.resize(qsizetype(signatureLength));
    return signingInput + '.' + base64Url(signature);
}
