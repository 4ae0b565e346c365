#pragma once

#include <QObject>

class OperationPoller;

// Tells the poller when the machine goes offline and comes back, from QNetworkInformation.
// Qt 6.4's default backend (NetworkManager) is often missing, so the glib backend is asked for
// by feature; without any backend the poller simply stays online.
class NetworkMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkMonitor)
public:
    explicit NetworkMonitor(OperationPoller &poller, QObject *parent = nullptr);
    bool isAvailable() const { return m_available; }

private:
    bool m_available = false;
};
