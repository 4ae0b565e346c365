#include "polling/sharedpolling.h"

#include "polling/operationpoller.h"
#include "store/storesaver.h"

SharedPolling::SharedPolling(OperationPoller &poller, StoreSaver &saver, PollerLease &lease,
                             QObject *parent)
    : QObject(parent)
    , m_poller(poller)
    , m_saver(saver)
    , m_lease(lease)
{
    connect(&m_lease, &PollerLease::acquired, this, [this] {
        m_saver.setMirroring(false);
        // Where the last holder left off: its pace, and any Retry-After still in force.
        m_poller.restorePace(m_saver.savedPace());
        m_poller.setFollowing(false);
        emit roleChanged(true);
    });
    connect(&m_lease, &PollerLease::following, this, [this](const LeaseHolder &) {
        m_saver.setMirroring(true);
        m_poller.setFollowing(true);
        emit roleChanged(false);
    });
}

void SharedPolling::start()
{
    // Until the lease says otherwise, nothing goes out: two processes starting together must
    // not both poll for the first interval.
    m_poller.setFollowing(true);
    m_lease.start(m_poller.interval());
}

bool SharedPolling::isPolling() const
{
    return m_lease.isHolder();
}

QString SharedPolling::pollerDescription() const
{
    const std::optional<LeaseHolder> holder = m_lease.holder();
    return holder ? holder->describe() : QString();
}
