#include "panes/overviewstrip.h"

#include "model/clock.h"
#include "model/graphreply.h"
#include "panes/elidedlabel.h"
#include "polling/operationpoller.h"
#include "polling/pollstate.h"
#include "store/operationcounts.h"
#include "table/operationpresentation.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace P = OperationPresentation;

namespace {

QIcon categoryIcon(OperationCategory category)
{
    switch (category) {
    case OperationCategory::NotStarted:
        return P::statusIcon(OperationStatus::NotStarted);
    case OperationCategory::InProgress:
        return P::statusIcon(OperationStatus::InProgress);
    case OperationCategory::Succeeded:
        return P::statusIcon(OperationStatus::Succeeded);
    case OperationCategory::Failed:
        return P::statusIcon(OperationStatus::Failed);
    case OperationCategory::NeedsAttention:
        return QIcon(QStringLiteral(":/icons/status-attention.svg"));
    case OperationCategory::All:
        break;
    }
    return QIcon();
}

} // namespace

OverviewStrip::OverviewStrip(const OperationCounts &counts, const OperationPoller &poller,
                             const PollState &state, Clock &clock, QWidget *parent)
    : QWidget(parent)
    , m_counts(counts)
    , m_poller(poller)
    , m_state(state)
    , m_clock(clock)
    , m_group(new QButtonGroup(this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_timeLeft(new ElidedLabel(this))
    , m_pace(new ElidedLabel(this))
{
    setObjectName(QStringLiteral("overviewStrip"));
    setAccessibleName(tr("Overview of the run"));
    // Two rows: the chips, then the run's progress, its time left and the pace.
    auto *rows = new QVBoxLayout(this);
    rows->setContentsMargins(0, 0, 0, 4);
    rows->setSpacing(2);
    auto *chips = new QHBoxLayout;
    auto *run = new QHBoxLayout;
    rows->addLayout(chips);
    rows->addLayout(run);
    QList<OperationCategory> shown{OperationCategory::All};
    for (const OperationCategory category : kStatusCategories)
        shown.append(category);
    for (const OperationCategory category : std::as_const(shown)) {
        auto *chip = new QToolButton(this);
        chip->setCheckable(true);
        chip->setAutoRaise(true);
        chip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        chip->setIcon(categoryIcon(category));
        chip->setToolTip(tr("Show only these operations"));
        m_group->addButton(chip, int(category));
        m_chips.insert(int(category), chip);
        chips->addWidget(chip);
    }
    chips->addStretch();
    m_group->setExclusive(true);
    chip(OperationCategory::All)->setChecked(true);
    connect(m_group, &QButtonGroup::idClicked, this,
            [this](int id) { emit categoryChosen(OperationCategory(id)); });

    m_progress->setObjectName(QStringLiteral("runProgress"));
    // The number beside the bar, not on it: drawn over the bar, its first figures went under the
    // filled part in some styles ("ǀ of 13 finished").
    m_progress->setTextVisible(false);
    m_progress->setAccessibleName(tr("Finished operations"));
    m_progress->setMaximumHeight(m_progressText->sizeHint().height());
    m_progressText->setObjectName(QStringLiteral("runProgressText"));
    m_timeLeft->setObjectName(QStringLiteral("timeLeft"));
    m_timeLeft->setAccessibleName(tr("Time left"));
    m_pace->setObjectName(QStringLiteral("pace"));
    m_pace->setAccessibleName(tr("Poll health"));
    run->addWidget(m_progress, 1);
    run->addSpacing(6);
    run->addWidget(m_progressText); // short, and never cut: the count matters
    run->addSpacing(8);
    run->addWidget(m_timeLeft, 3);
    run->addSpacing(8);
    run->addWidget(m_pace, 3);

    connect(&poller, &OperationPoller::pollFailed, this,
            [this](const WatchedOperation &, const GraphReply &reply) {
                m_lastError = reply.describe();
                m_lastErrorAt = m_clock.now();
                refresh();
            });

    m_estimateLater.setSingleShot(true);
    m_estimateLater.setInterval(2000);
    connect(&m_estimateLater, &QTimer::timeout, this, &OverviewStrip::estimateNow);
    connect(&counts, &OperationCounts::countsChanged, this, [this] {
        refreshCounts();
        if (!m_estimateLater.isActive())
            m_estimateLater.start();
    });
    connect(&state, &PollState::changed, this, &OverviewStrip::refresh);
    refreshCounts();
    estimateNow();
}

void OverviewStrip::showFilter(OperationCategory category, bool byCategoryOnly)
{
    m_group->setExclusive(false); // so that no chip may be checked
    for (QToolButton *chip : std::as_const(m_chips))
        chip->setChecked(byCategoryOnly && chip == m_chips.value(int(category)));
    m_group->setExclusive(true);
}

void OverviewStrip::refreshCounts()
{
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it) {
        const auto category = OperationCategory(it.key());
        const int count =
            category == OperationCategory::All ? m_counts.total() : m_counts.count(category);
        const QString text = tr("%1 %2").arg(categoryName(category)).arg(count);
        it.value()->setText(text);
        it.value()->setAccessibleName(text);
    }
    const int total = m_counts.total();
    const int finished = total - m_counts.count(OperationOutcome::Pending);
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(finished);
    m_progress->setFormat(tr("%1 of %2 finished").arg(finished).arg(total));
    m_progressText->setText(m_progress->format()); // said beside the bar (and read by a reader)
    refresh();
}

void OverviewStrip::estimateNow()
{
    m_estimate = estimateRun(m_poller.store().records(), m_clock.now());
    refresh();
}

QString OverviewStrip::estimateText() const
{
    if (m_counts.total() > 0 && m_counts.count(OperationOutcome::Pending) == 0)
        return tr("All finished");
    if (!m_estimate.expectedEnd.isValid())
        return m_counts.total() == 0 ? QString()
                                     : tr("No estimate yet: none of their kind has finished");
    const qint64 left = std::max<qint64>(0, m_clock.now().msecsTo(m_estimate.expectedEnd));
    QString text = left < 60000 ? tr("Should be over within a minute")
                                : tr("About %1 left").arg(P::durationText(left));
    if (m_estimate.withoutBasis > 0)
        text += tr(" (%1 without an estimate)").arg(m_estimate.withoutBasis);
    return text;
}

void OverviewStrip::refresh()
{
    m_timeLeft->setText(estimateText());
    QString health = m_state.health();
    QString details = m_state.details();
    const qint64 sinceError = m_lastErrorAt.isValid() ? m_lastErrorAt.msecsTo(m_clock.now()) : -1;
    const bool recentError = sinceError >= 0 && sinceError < 3600 * 1000;
    // While polling goes on, a recent failure is said beside the pace (the state says it when
    // nothing gets through).
    if (recentError && m_state.kind() == PollState::Kind::Polling) {
        health += tr(" · last error %1 ago").arg(P::durationText(sinceError));
        details = tr("Last poll error: %1").arg(m_lastError);
    }
    m_pace->setText(health);
    m_pace->setToolTip(details);
}
