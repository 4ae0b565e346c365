#pragma once

#include "store/operationdatabase.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

// Opens the store file, and waits for it while another program holds it. A busy store is not a
// damaged one: it is neither moved nor written, and the caller works in memory meanwhile. A
// team's server that cannot be reached is waited for the same way.
//
// For a long-running process (the dashboard, `teamsops-cli watch`): open() tries once; when the
// store is busy it keeps trying in the background and says opened() once it could, so that the
// caller can attach its StoreSaver then (what was watched meanwhile is merged in and saved).
// For a command that only reads or writes once: openPatiently() waits, saying so first.
class StoreOpener final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreOpener)
public:
    static constexpr std::chrono::seconds kRetryEvery{2};
    static constexpr std::chrono::seconds kPatience{30};

    StoreOpener(OperationDatabase &database, const QString &path, QObject *parent = nullptr);

    OperationDatabase::OpenResult open();
    bool isWaiting() const { return m_retry.isActive(); }
    void setRetryInterval(std::chrono::milliseconds every) { m_retry.setInterval(every); }

    // Tries for up to `patience`; calls `waiting` (with a message for people) once, when the
    // store is found busy.
    static OperationDatabase::OpenResult
    openPatiently(OperationDatabase &database, const QString &path,
                  OperationDatabase::Access access, const std::function<void(QString)> &waiting,
                  std::chrono::milliseconds patience = kPatience);
    // "The store … is in use by another program; waiting for it …", for people.
    static QString busyMessage(const QString &path);
    // Whether open() keeps trying after this problem: a busy file, an unreachable server.
    static bool isWorthWaitingFor(OperationDatabase::Problem problem);
    // What is said while waiting after this problem (`standIn`: the local copy kept meanwhile,
    // see StoreSession), and once the store is there.
    static QString waitingMessage(const QString &path, const OperationDatabase::OpenResult &result,
                                  const QString &standIn = QString());
    static QString backMessage(OperationDatabase::Problem problem);

signals:
    // The store was busy at open() and is open now.
    void opened();
    // The store was busy at open(), and now fails otherwise (nothing is saved).
    void failed(const QString &why);

private:
    OperationDatabase::OpenResult tryOnce();
    void tryAgain();

    OperationDatabase &m_database;
    QString m_path;
    QTimer m_retry;
};
