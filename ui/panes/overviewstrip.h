#pragma once

#include "model/operationcategory.h"
#include "model/runestimate.h"

#include <QDateTime>
#include <QHash>
#include <QTimer>
#include <QWidget>

class Clock;
class OperationCounts;
class OperationPoller;
class PollState;
class QButtonGroup;
class QLabel;
class QProgressBar;
class QToolButton;

// The whole run at a glance, above the table: a chip per status with its count (a click filters
// the table), how much of the run is finished, when it can be expected to be over (from what the
// finished operations of each type took), whether polling runs at full pace, and the last poll
// error of the past hour.
class OverviewStrip final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewStrip)
public:
    // `state`: where polling stands, said by the status bar in the same words.
    OverviewStrip(const OperationCounts &counts, const OperationPoller &poller,
                  const PollState &state, Clock &clock, QWidget *parent = nullptr);

    // Shows which chip's filter is in force; none when the table is filtered by type.
    void showFilter(OperationCategory category, bool byCategoryOnly);
    // The texts that move with the clock (the time left, the pace); the window calls it each
    // second.
    void refresh();
    QToolButton *chip(OperationCategory category) const { return m_chips.value(int(category)); }
    const RunEstimate &estimate() const { return m_estimate; }
    QString estimateText() const;

signals:
    void categoryChosen(OperationCategory category);

private:
    void refreshCounts();
    void estimateNow();

    const OperationCounts &m_counts;
    const OperationPoller &m_poller;
    const PollState &m_state;
    Clock &m_clock;
    QButtonGroup *m_group;
    QHash<int, QToolButton *> m_chips; // by OperationCategory
    QProgressBar *m_progress;
    QLabel *m_progressText; // "3 of 13 finished", beside the bar
    QLabel *m_timeLeft;
    QLabel *m_pace;
    RunEstimate m_estimate;
    // The last poll that failed (a 503, a timeout, …): said beside the pace for an hour.
    QString m_lastError;
    QDateTime m_lastErrorAt;
    // The estimate reads every record: at most every few seconds, after a change, never per tick.
    QTimer m_estimateLater;
};
