#include "store/storeopener.h"

#include <QDir>

using namespace std::chrono;

namespace {

// Short, so that a busy store is noticed (and said) at once rather than after the usual wait.
constexpr milliseconds kFirstTry{200};

} // namespace

StoreOpener::StoreOpener(OperationDatabase &database, const QString &path, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_path(path)
{
    m_retry.setInterval(kRetryEvery);
    connect(&m_retry, &QTimer::timeout, this, &StoreOpener::tryAgain);
}

QString StoreOpener::busyMessage(const QString &path)
{
    return tr("The store %1 is in use by another program (a backup, an SQLite tool, or another "
              "TeamsOps setting it up); waiting for it. Nothing is lost: what is watched "
              "meanwhile is saved once it is free.")
        .arg(QDir::toNativeSeparators(path));
}

bool StoreOpener::isWorthWaitingFor(OperationDatabase::Problem problem)
{
    return problem == OperationDatabase::Problem::Busy ||
           problem == OperationDatabase::Problem::Unreachable;
}

QString StoreOpener::waitingMessage(const QString &path,
                                    const OperationDatabase::OpenResult &result,
                                    const QString &standIn)
{
    if (result.problem != OperationDatabase::Problem::Unreachable)
        return busyMessage(path);
    if (!standIn.isEmpty()) {
        return tr("The team's store %1 cannot be reached (%2); working on a local copy "
                  "meanwhile (%3). Nothing is lost: what is watched is handed over to the "
                  "team's store once it can be reached.")
            .arg(path, result.error, QDir::toNativeSeparators(standIn));
    }
    return tr("The team's store %1 cannot be reached (%2); watching in memory meanwhile. Nothing "
              "is lost: everything seen is saved there once it can be reached.")
        .arg(path, result.error);
}

QString StoreOpener::backMessage(OperationDatabase::Problem problem)
{
    return problem == OperationDatabase::Problem::Unreachable
               ? tr("The team's store can be reached again: everything watched is saved there.")
               : tr("The store is free again: everything watched is saved.");
}

OperationDatabase::OpenResult StoreOpener::open()
{
    const OperationDatabase::OpenResult result = tryOnce();
    if (isWorthWaitingFor(result.problem))
        m_retry.start();
    return result;
}

OperationDatabase::OpenResult StoreOpener::tryOnce()
{
    OperationDatabase::OpenResult result =
        m_database.open(m_path, OperationDatabase::Access::ReadWrite, kFirstTry);
    // Open: its writes wait for other processes as long as usual.
    if (result.ok)
        m_database.setBusyTimeout(OperationDatabase::kBusyTimeout);
    return result;
}

void StoreOpener::tryAgain()
{
    const OperationDatabase::OpenResult result = tryOnce();
    if (isWorthWaitingFor(result.problem))
        return;
    m_retry.stop();
    if (result.ok)
        emit opened();
    else
        emit failed(result.error);
}

OperationDatabase::OpenResult
StoreOpener::openPatiently(OperationDatabase &database, const QString &path,
                           OperationDatabase::Access access,
                           const std::function<void(QString)> &waiting, milliseconds patience)
{
    OperationDatabase::OpenResult result = database.open(path, access, kFirstTry);
    if (result.problem == OperationDatabase::Problem::Busy) {
        if (waiting)
            waiting(busyMessage(path));
        // SQLite's own busy handler does the waiting, retrying as the lock allows.
        result = database.open(path, access, patience);
    }
    if (result.ok && access == OperationDatabase::Access::ReadWrite)
        database.setBusyTimeout(OperationDatabase::kBusyTimeout);
    return result;
}
