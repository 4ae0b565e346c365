#include "window/pollstatusbar.h"

#include "model/clock.h"
#include "polling/operationpoller.h"
#include "store/operationcounts.h"

#include <QAbstractItemModel>
#include <QLabel>
#include <QStatusBar>

using namespace std::chrono;

PollStatusBar::PollStatusBar(OperationPoller &poller, Clock &clock, const OperationCounts &counts,
                             const QAbstractItemModel &rows, QStatusBar &statusBar,
                             QWidget *noticeParent)
    : QObject(&statusBar)
    , m_poller(poller)
    , m_clock(clock)
    , m_counts(counts)
    , m_rows(rows)
    , m_notice(new QLabel(noticeParent))
    , m_scheduleLabel(new QLabel(&statusBar))
    , m_paceLabel(new QLabel(&statusBar))
    , m_lastPollLabel(new QLabel(&statusBar))
    , m_countsLabel(new QLabel(&statusBar))
    , m_accountLabel(new QLabel(&statusBar))
{
    m_notice->setObjectName(QStringLiteral("notice"));
    m_notice->setWordWrap(true);
    m_notice->setMargin(6);
    m_notice->setStyleSheet(
        QStringLiteral("QLabel#notice { border: 2px solid #d9861c;"
                       " border-radius: 4px; background: palette(alternate-base); }"));
    m_notice->hide();

    m_scheduleLabel->setObjectName(QStringLiteral("scheduleLabel"));
    m_lastPollLabel->setObjectName(QStringLiteral("lastPollLabel"));
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    statusBar.addWidget(m_scheduleLabel);
    m_paceLabel->setObjectName(QStringLiteral("paceLabel"));
    m_paceLabel->setToolTip(tr("Graph answered 429 (too many requests). TeamsOps lowered its own "
                               "rate and raises it back a little every few seconds while answers "
                               "come back clean."));
    statusBar.addWidget(m_paceLabel);
    statusBar.addWidget(m_lastPollLabel, 1);
    statusBar.addPermanentWidget(m_countsLabel);
    m_accountLabel->setObjectName(QStringLiteral("accountLabel"));
    m_accountLabel->setAccessibleName(tr("Signed-in account"));
    statusBar.addPermanentWidget(m_accountLabel);
    setAccount(QString());
    m_lastPollLabel->setText(tr("Waiting for the first poll…"));

    connect(&m_poller, &OperationPoller::roundFinished, this, &PollStatusBar::showRound);
    connect(&m_poller, &OperationPoller::notice, &statusBar,
            [&statusBar](const QString &text) { statusBar.showMessage(text, 15000); });
    connect(&m_poller, &OperationPoller::scheduleChanged, this, [this](const QDateTime &next) {
        m_nextPollAt = next;
        refresh();
    });
    connect(&m_poller, &OperationPoller::onlineChanged, this, &PollStatusBar::refresh);
    m_nextPollAt = poller.nextPollAt();
}

void PollStatusBar::setAccount(const QString &account, const QString &details)
{
    m_accountLabel->setText(account.isEmpty() ? tr("Not signed in") : account);
    m_accountLabel->setToolTip(details);
}

void PollStatusBar::showRound(const PollRound &round)
{
    const QString when = round.finishedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    if (round.failed == 0) {
        const QString read =
            round.polled == 1 ? tr("1 operation read") : tr("%1 operations read").arg(round.polled);
        m_lastPollLabel->setText(
            tr("Last poll %1: %2, %3 changed").arg(when, read).arg(round.changed));
    } else {
        m_lastPollLabel->setText(tr("Last poll %1: %2 of %3 failed — %4")
                                     .arg(when)
                                     .arg(round.failed)
                                     .arg(round.polled)
                                     .arg(round.lastFailure));
    }
}

void PollStatusBar::setPolledBy(const QString &poller)
{
    m_polledBy = poller;
    // This window sends no poll while it follows: its last-poll line would only wait.
    m_lastPollLabel->setVisible(poller.isEmpty());
    // One process polls for a store; the others show what it saves, within a few seconds.
    m_scheduleLabel->setToolTip(
        poller.isEmpty() ? QString()
                         : tr("Several TeamsOps share this store: one polls Graph for all of "
                              "them, so the tenant's budget is spent once. If it stops, this one "
                              "takes over within two poll intervals."));
    refresh();
}

void PollStatusBar::refresh()
{
    const QDateTime now = m_clock.now();
    const QDateTime next = m_nextPollAt;
    const qint64 every = duration_cast<seconds>(m_poller.effectiveInterval()).count();
    // Say when the budget, not the chosen interval, sets the pace.
    const QString cadence = m_poller.effectiveInterval() > m_poller.interval()
                                ? tr("every %1 s, to stay within Graph's limits").arg(every)
                                : tr("every %1 s").arg(every);
    if (!m_polledBy.isEmpty()) {
        m_scheduleLabel->setText(tr("Polled by %1: showing what it sees").arg(m_polledBy));
    } else if (!m_poller.isOnline()) {
        m_scheduleLabel->setText(tr("Offline: polling paused"));
    } else if (m_poller.isPausedForSignIn()) {
        m_scheduleLabel->setText(tr("Paused: sign in again"));
    } else if (next.isValid()) {
        const qint64 in = std::max<qint64>(0, (now.msecsTo(next) + 999) / 1000);
        m_scheduleLabel->setText(in == 0 ? tr("Polling now (%1)").arg(cadence)
                                         : tr("Next poll in %1 s (%2)").arg(in).arg(cadence));
    } else if (m_counts.total() > 0 && m_counts.count(OperationOutcome::Pending) == 0) {
        m_scheduleLabel->setText(tr("All operations finished"));
    } else {
        m_scheduleLabel->setText(m_rows.rowCount() > 0 ? tr("Polling now…")
                                                       : tr("Nothing to watch"));
    }

    const QString pace = m_poller.pace().describe(now);
    m_paceLabel->setText(pace.isEmpty() ? QString() : tr("⏬ Slower: %1").arg(pace));
    m_paceLabel->setVisible(!pace.isEmpty());

    const QDateTime throttledUntil = m_poller.tenantThrottledUntil();
    if (!m_poller.isOnline()) {
        m_notice->setText(tr("⚠ Offline. Polling is paused and resumes by itself when the network "
                             "is back; nothing is lost."));
    } else if (throttledUntil.isValid()) {
        m_notice->setText(
            tr("⚠ Microsoft Graph is throttling this tenant. Polling resumes at %1.")
                .arg(throttledUntil.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
    }
    m_notice->setVisible(!m_poller.isOnline() || throttledUntil.isValid());
}

void PollStatusBar::refreshCounts()
{
    m_countsLabel->setText(tr("%1 operations: %2 watched, %3 succeeded, %4 failed or stopped")
                               .arg(m_counts.total())
                               .arg(m_counts.count(OperationOutcome::Pending))
                               .arg(m_counts.count(OperationOutcome::Succeeded))
                               .arg(m_counts.count(OperationOutcome::NotSucceeded)));
}
