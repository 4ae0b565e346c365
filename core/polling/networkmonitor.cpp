#include "polling/networkmonitor.h"

#include "polling/operationpoller.h"

#include <QNetworkInformation>

NetworkMonitor::NetworkMonitor(OperationPoller &poller, QObject *parent)
    : QObject(parent)
{
    using Info = QNetworkInformation;
    m_available = Info::loadBackendByFeatures(Info::Feature::Reachability);
    if (!m_available)
        return;
    Info *info = Info::instance();
    const auto apply = [&poller](Info::Reachability reachability) {
        // Unknown is treated as online: better a failed poll than a silent pause.
        poller.setOnline(reachability != Info::Reachability::Disconnected);
    };
    apply(info->reachability());
    connect(info, &Info::reachabilityChanged, &poller, apply);
}
