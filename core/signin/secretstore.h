#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

// The OS keychain (the Secret Service on Linux, through QtKeychain), where a sign-in's refresh
// token is kept between runs. Every job has a timeout: with a broken desktop session a keychain
// job may never finish. There is no plain-text fallback: where no keychain works, callers keep
// the sign-in for this run only and say so.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)
public:
    static constexpr std::chrono::seconds kJobTimeout{10};

    explicit SecretStore(QString service, QObject *parent = nullptr);
    QString service() const { return m_service; }

    // data: what is stored (nullopt when nothing is); error: why the keychain could not be read
    // (empty on success, including "nothing stored").
    using ReadHandler =
        std::function<void(const std::optional<QByteArray> &data, const QString &error)>;
    using DoneHandler = std::function<void(const QString &error)>;

    void read(const QString &key, QObject *receiver, ReadHandler handler);
    void write(const QString &key, const QByteArray &data, QObject *receiver, DoneHandler handler);
    // Removing what is not there is a success.
    void remove(const QString &key, QObject *receiver, DoneHandler handler);

private:
    QString m_service;
};
