#include "signin/storepassword.h"

#include "signin/secretstore.h"

#include <QEventLoop>

namespace {

const QString kService = QStringLiteral("TeamsOps shared store");

QString keyOf(const QString &url)
{
    return QStringLiteral("password for ") + url;
}

} // namespace

namespace StorePassword {

QString readNow(const QString &url, QString &problem)
{
    problem.clear();
    SecretStore secrets(kService);
    QEventLoop wait;
    QString password;
    bool answered = false;
    secrets.read(keyOf(url), &wait,
                 [&](const std::optional<QByteArray> &data, const QString &error) {
                     answered = true;
                     problem = error;
                     if (data)
                         password = QString::fromUtf8(*data);
                     wait.quit();
                 });
    if (!answered) // SecretStore's own timeout ends the wait
        wait.exec();
    return password;
}

void keep(const QString &url, const QString &password, QObject *receiver,
          std::function<void(const QString &error)> done)
{
    auto *secrets = new SecretStore(kService, receiver);
    const auto finished = [secrets, done](const QString &error) {
        secrets->deleteLater();
        done(error);
    };
    if (password.isEmpty())
        secrets->remove(keyOf(url), receiver, finished);
    else
        secrets->write(keyOf(url), password.toUtf8(), receiver, finished);
}

} // namespace StorePassword
