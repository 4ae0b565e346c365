#pragma once

// A key pair and a self-signed certificate made for one test with libcrypto, as an admin makes
// one for an app registration (openssl req -x509 -newkey rsa:2048): nothing checked in.
#include <QByteArray>
#include <QString>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>

struct TestCertificate
{
    QByteArray certificatePem;
    QByteArray keyPem;          // PKCS#8, unencrypted
    QByteArray encryptedKeyPem; // the same key, AES-256 with `passphrase`
    QByteArray passphrase = "correct horse battery staple";

    static TestCertificate make(const char *commonName = "TeamsOps test app")
    {
        TestCertificate made;
        const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048),
                                                                      EVP_PKEY_free);
        const std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
        if (!key || !certificate)
            return made;
        X509_set_version(certificate.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
        X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
        X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 3600);
        X509_NAME *name = X509_get_subject_name(certificate.get());
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char *>(commonName), -1, -1, 0);
        X509_set_issuer_name(certificate.get(), name);
        X509_set_pubkey(certificate.get(), key.get());
        if (X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0)
            return made;
        made.certificatePem =
            pem([&](BIO *bio) { return PEM_write_bio_X509(bio, certificate.get()); });
        made.keyPem = pem([&](BIO *bio) {
            return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
        });
        made.encryptedKeyPem = pem([&](BIO *bio) {
            return PEM_write_bio_PKCS8PrivateKey(bio, key.get(), EVP_aes_256_cbc(),
                                                 made.passphrase.data(),
                                                 int(made.passphrase.size()), nullptr, nullptr);
        });
        return made;
    }

private:
    template <typename Write> static QByteArray pem(Write write)
    {
        const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        if (!bio || write(bio.get()) != 1)
            return QByteArray();
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        return QByteArray(data, int(size));
    }
};
