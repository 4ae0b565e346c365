#include "signin/secretstore.h"

#include <qt6keychain/keychain.h>

#include <QPointer>
#include <QTimer>

#include <memory>

namespace {

// Runs `job`, calling `done` once: when it finishes or when kJobTimeout passes, whichever is
// first. The job deletes itself when (if ever) it finishes.
void run(QKeychain::Job *job, QObject *receiver, std::function<void(QKeychain::Job *)> done)
{
    auto called = std::make_shared<bool>(false);
    QPointer<QObject> guard(receiver);
    auto *timeout = new QTimer(receiver);
    timeout->setSingleShot(true);
    QObject::connect(timeout, &QTimer::timeout, receiver, [called, done, timeout] {
        timeout->deleteLater();
        if (*called)
            return;
        *called = true;
        done(nullptr);
    });
    QObject::connect(job, &QKeychain::Job::finished, receiver,
                     [called, done, timeout, guard](QKeychain::Job *finished) {
                         if (*called || !guard)
                             return;
                         *called = true;
                         timeout->stop();
                         timeout->deleteLater();
                         done(finished);
                     });
    job->setAutoDelete(true);
    timeout->start(int(std::chrono::milliseconds(SecretStore::kJobTimeout).count()));
    job->start();
}

QString failureOf(QKeychain::Job *job)
{
    if (!job)
        return QStringLiteral("the keychain did not answer within %1 s")
            .arg(SecretStore::kJobTimeout.count());
    return job->errorString().isEmpty() ? QStringLiteral("the keychain refused the request")
                                        : job->errorString();
}

} // namespace

SecretStore::SecretStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{}

void SecretStore::read(const QString &key, QObject *receiver, ReadHandler handler)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    run(job, receiver, [handler](QKeychain::Job *done) {
        if (done && done->error() == QKeychain::NoError)
            handler(static_cast<QKeychain::ReadPasswordJob *>(done)->binaryData(), QString());
        else if (done && done->error() == QKeychain::EntryNotFound)
            handler(std::nullopt, QString());
        else
            handler(std::nullopt, failureOf(done));
    });
}

void SecretStore::write(const QString &key, const QByteArray &data, QObject *receiver,
                        DoneHandler handler)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setBinaryData(data);
    run(job, receiver, [handler](QKeychain::Job *done) {
        handler(done && done->error() == QKeychain::NoError ? QString() : failureOf(done));
    });
}

void SecretStore::remove(const QString &key, QObject *receiver, DoneHandler handler)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    run(job, receiver, [handler](QKeychain::Job *done) {
        const bool gone = done && (done->error() == QKeychain::NoError ||
                                   done->error() == QKeychain::EntryNotFound);
        handler(gone ? QString() : failureOf(done));
    });
}
