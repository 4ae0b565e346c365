#pragma once

#include <QObject>

#include <QPointer>
#include <functional>

class OperationPoller;
class QSystemTrayIcon;
struct WatchedOperation;

// Says when a watched operation reaches succeeded or failed: a desktop notification through the
// tray icon where a system tray exists, otherwise a notice inside the window (inWindowNotice).
// A first sighting of an already finished operation is not news and says nothing.
class Notifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)
public:
    explicit Notifier(OperationPoller &poller, QObject *parent = nullptr);

    void setEnabled(bool enabled) { m_enabled = enabled; }
    // How notices name teams: a team by its id ("“Sales”", or the id when no name is known), and
    // the team at a targetResourceLocation (empty when not known).
    using TeamText = std::function<QString(const QString &)>;
    void setTeamNames(TeamText byId, TeamText byLocation)
    {
        m_teamText = std::move(byId);
        m_targetName = std::move(byLocation);
    }
    // Tells the admin about one operation (the tray, or in the window without one).
    void notify(const QString &key, const QString &title, const QString &text, bool warning);
    bool isEnabled() const { return m_enabled; }
    bool usesTray() const { return m_tray != nullptr; }

signals:
    void notified(const QString &key, const QString &title, const QString &text);
    void inWindowNotice(const QString &key, const QString &text);
    // The admin clicked a notification: show that operation.
    void activated(const QString &key);

private:
    void onObserved(const WatchedOperation &operation, bool changed);

    QSystemTrayIcon *m_tray = nullptr; // a child; none without a system tray
    QString m_lastKey;
    bool m_enabled = true;
    TeamText m_teamText;
    TeamText m_targetName;
};
