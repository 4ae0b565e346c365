#pragma once

#include "store/pollerlease.h"

#include <QObject>

class OperationPoller;
class StoreSaver;

// One poller per store, however many processes share it: this process polls while it holds the
// store's PollerLease, and otherwise mirrors what the holder writes (StoreSaver::setMirroring)
// and sends nothing. Taking over, it starts from the pace and Retry-Afters the holder saved.
class SharedPolling final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SharedPolling)
public:
    SharedPolling(OperationPoller &poller, StoreSaver &saver, PollerLease &lease,
                  QObject *parent = nullptr);

    // The lease lasts one poll interval: a holder that dies is replaced within two.
    void start();
    bool isPolling() const;
    // Who polls, when another process does: "teamsops-cli (pid 4242)".
    QString pollerDescription() const;

signals:
    void roleChanged(bool polling);

private:
    OperationPoller &m_poller;
    StoreSaver &m_saver;
    PollerLease &m_lease;
};
