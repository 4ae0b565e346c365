#pragma once

#include <QObject>

class Banner;
class OperationCounts;
class OperationPoller;
class PollState;
class QLabel;
class QStatusBar;
struct PollRound;

// What the window's status bar says of polling: where it stands (PollState: "Next poll in 12 s",
// "Offline: …", in the overview's words), the pace when Graph asked to slow down, the last round,
// the counts and who is signed in; and a message while the network is down or the tenant is
// throttled.
class PollStatusBar final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PollStatusBar)
public:
    PollStatusBar(OperationPoller &poller, PollState &state, const OperationCounts &counts,
                  QStatusBar &statusBar, Banner &messages);

    // Who the app talks to Graph as ("Not signed in" when empty), with details in a tooltip.
    void setAccount(const QString &account, const QString &details = QString());
    // Another process polls for the store ("teamsops-cli (pid 4242)"); empty when this one does.
    void setPolledBy(const QString &poller);
    // The schedule's countdown and the notices; the window calls it every second.
    void refresh();
    void refreshCounts();

private:
    void showRound(const PollRound &round);

    OperationPoller &m_poller;
    PollState &m_state;
    const OperationCounts &m_counts;
    Banner &m_messages;
    QLabel *m_scheduleLabel;
    QLabel *m_paceLabel; // only while Graph has asked us to slow down
    QLabel *m_lastPollLabel;
    QLabel *m_countsLabel;
    QLabel *m_accountLabel;
    QString m_shownMessage; // offline or throttled, over the table
    QString m_dismissed;    // the message the admin closed: not shown again
};
