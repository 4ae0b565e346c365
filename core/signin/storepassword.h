#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// A team store's password in the OS keychain (Settings → Shared store keeps it there), under
// the store's URL: never in a file, never on a command line.
namespace StorePassword {

// Reads it now, waiting for the keychain at most SecretStore::kJobTimeout: for the dashboard's
// start, before the store is opened. Empty when none is kept (or no keychain answers; `problem`
// then says why).
QString readNow(const QString &url, QString &problem);
// Keeps it (empty: forgets it); `done` gets the keychain's error, empty on success.
void keep(const QString &url, const QString &password, QObject *receiver,
          std::function<void(const QString &error)> done);

} // namespace StorePassword
