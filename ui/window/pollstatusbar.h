#pragma once

#include <QDateTime>
#include <QObject>

class Clock;
class OperationCounts;
class OperationPoller;
class QAbstractItemModel;
class QLabel;
class QStatusBar;
struct PollRound;

// What the window's status bar says of polling: the schedule ("Next poll in 12 s"), the pace when
// Graph asked to slow down, the last round, the counts and who is signed in; and the notice above
// the table while the network is down or the tenant throttled.
class PollStatusBar final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PollStatusBar)
public:
    PollStatusBar(OperationPoller &poller, Clock &clock, const OperationCounts &counts,
                  const QAbstractItemModel &rows, QStatusBar &statusBar, QWidget *noticeParent);

    // Offline or throttled, shown only while it lasts; the window places it.
    QLabel *notice() const { return m_notice; }
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
    Clock &m_clock;
    const OperationCounts &m_counts;
    const QAbstractItemModel &m_rows;
    QLabel *m_notice;
    QLabel *m_scheduleLabel;
    QLabel *m_paceLabel; // only while Graph has asked us to slow down
    QLabel *m_lastPollLabel;
    QLabel *m_countsLabel;
    QLabel *m_accountLabel;
    QDateTime m_nextPollAt; // as the poller last said: asking walks every record
    QString m_polledBy;
};
