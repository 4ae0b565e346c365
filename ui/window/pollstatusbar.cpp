#include "window/pollstatusbar.h"

#include "panes/elidedlabel.h"
#include "polling/operationpoller.h"
#include "polling/pollstate.h"
#include "store/operationcounts.h"
#include "window/banner.h"

#include <QLabel>
#include <QStatusBar>

PollStatusBar::PollStatusBar(OperationPoller &poller, PollState &state,
                             const OperationCounts &counts, QStatusBar &statusBar, Banner &messages)
    : QObject(&statusBar)
    , m_poller(poller)
    , m_state(state)
    , m_counts(counts)
    , m_messages(messages)
    , m_scheduleLabel(new ElidedLabel(&statusBar))
    , m_paceLabel(new ElidedLabel(&statusBar))
    , m_lastPollLabel(new ElidedLabel(&statusBar))
    , m_countsLabel(new ElidedLabel(&statusBar))
    , m_accountLabel(new ElidedLabel(&statusBar))
{
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

    connect(&m_poller, &OperationPoller::roundFinished, this, &PollStatusBar::showRound);
    connect(&m_poller, &OperationPoller::notice, &statusBar,
            [&statusBar](const QString &text) { statusBar.showMessage(text, 15000); });
    connect(&m_state, &PollState::changed, this, &PollStatusBar::refresh);
    connect(&m_messages, &Banner::closed, this, [this](Banner::Topic topic) {
        if (topic == Banner::Topic::Connection)
            m_dismissed = m_shownMessage;
    });
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
    // This window sends no poll while it follows: its last-poll line would only wait.
    m_lastPollLabel->setVisible(poller.isEmpty());
    // One process polls for a store; the others show what it saves, within a few seconds.
    m_scheduleLabel->setToolTip(
        poller.isEmpty() ? QString()
                         : tr("Several TeamsOps share this store: one polls Graph for all of "
                              "them, so the tenant's budget is spent once. If it stops, this one "
                              "takes over within two poll intervals."));
    m_state.setPolledBy(poller);
}

void PollStatusBar::refresh()
{
    const PollState::Kind kind = m_state.kind();
    m_scheduleLabel->setText(m_state.schedule());
    if (kind != PollState::Kind::Following) // following has its own tooltip (setPolledBy)
        m_scheduleLabel->setToolTip(m_state.details());
    // Slower than the budget: the overview's words, beside the schedule.
    const bool slowed = m_state.isSlowed();
    m_paceLabel->setText(slowed ? m_state.health() : QString());
    m_paceLabel->setVisible(slowed);

    // Offline or throttled: a message over the table too, while it lasts (and unless closed).
    QString message;
    if (kind == PollState::Kind::Offline) {
        message = tr("<b>Offline.</b> Polling is paused and resumes by itself when the network "
                     "is back; nothing is lost.");
    } else if (kind == PollState::Kind::Throttled) {
        message = tr("<b>Microsoft Graph is throttling this tenant.</b> %1.")
                      .arg(m_state.schedule().toHtmlEscaped());
    }
    if (message.isEmpty() || message == m_dismissed)
        m_messages.clear(Banner::Topic::Connection);
    else
        m_messages.showMessage(message, Banner::Kind::Warning, Banner::Topic::Connection);
    m_shownMessage = message;
}

void PollStatusBar::refreshCounts()
{
    m_countsLabel->setText(tr("%1 operations: %2 watched, %3 succeeded, %4 failed or stopped")
                               .arg(m_counts.total())
                               .arg(m_counts.count(OperationOutcome::Pending))
                               .arg(m_counts.count(OperationOutcome::Succeeded))
                               .arg(m_counts.count(OperationOutcome::NotSucceeded)));
}
