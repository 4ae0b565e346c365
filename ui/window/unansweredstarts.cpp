#include "window/unansweredstarts.h"

#include "dialogs/startdialogs.h"
#include "graph/graphclient.h"
#include "start/clonereadinesstracker.h"
#include "start/startresolver.h"
#include "window/banner.h"
#include "window/mainwindow.h"
#include "window/startcontroller.h"

#include <QStatusBar>
#include <QTimer>

UnansweredStarts::UnansweredStarts(MainWindow &window, StartController &starts)
    : QObject(&starts)
    , m_window(window)
    , m_starts(starts)
    , m_resolver(new StartResolver(window.client(), window.clock(), this))
{
    connect(window.banner(), &Banner::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("teamsops:send-again"))
            sendNotStartedAgain();
        else if (link.startsWith(QLatin1String("teamsops:resume-plan:")))
            resumePlan(link.section(QLatin1Char(':'), 2));
        else if (link.startsWith(QLatin1String("teamsops:cancel-plan:")))
            cancelPlan(link.section(QLatin1Char(':'), 2));
    });
}

void UnansweredStarts::setJournal(StartJournal *journal)
{
    m_journal = journal;
    m_resolver->setJournal(journal);
    if (!journal)
        return;
    // Starts an earlier run sent without learning what became of them, or found not started
    // and did not send again; then its plans.
    if (const auto unresolved = journal->unresolved()) {
        for (const StartRecord &start : *unresolved)
            resolveLater(start);
    }
    if (const auto singles = journal->singlesToFinish()) {
        for (const StartRecord &start : *singles) {
            if (start.state == StartRecord::State::NotStarted)
                m_notStarted.append(start);
        }
    }
    resolveNext();
}

QStringList UnansweredStarts::interruptedPlans() const
{
    QStringList interrupted;
    const auto plans = m_journal ? m_journal->planIds() : std::nullopt;
    for (const QString &planId : plans.value_or(QStringList())) {
        const auto starts = m_journal->planStarts(planId);
        const bool left =
            starts && std::any_of(starts->cbegin(), starts->cend(),
                                  [](const StartRecord &start) { return start.isLeft(); });
        const bool unresolved =
            starts && std::any_of(starts->cbegin(), starts->cend(),
                                  [](const StartRecord &start) { return start.isUnresolved(); });
        if (left && !unresolved)
            interrupted.append(planId);
    }
    return interrupted;
}

CloneDialog *UnansweredStarts::resumedPlanDialog() const
{
    return m_resumedPlan;
}

void UnansweredStarts::resumePlan(const QString &planId)
{
    const auto starts = m_journal ? m_journal->planStarts(planId) : std::nullopt;
    if (!starts || starts->isEmpty())
        return;
    m_window.banner()->clear(Banner::Topic::Starts);
    CloneDialog *dialog = m_starts.openCloneDialog();
    dialog->resumePlan(planId, *starts);
    m_resumedPlan = dialog;
}

void UnansweredStarts::cancelPlan(const QString &planId)
{
    const auto starts = m_journal ? m_journal->planStarts(planId) : std::nullopt;
    int cancelled = 0;
    for (StartRecord start : starts.value_or(QList<StartRecord>())) {
        if (!start.isLeft())
            continue;
        start.state = StartRecord::State::Refused;
        start.message = tr("cancelled before it was sent");
        start.answeredAt = m_window.clock().now();
        cancelled += m_journal->recordAnswer(start) ? 1 : 0;
    }
    m_window.banner()->clear(Banner::Topic::Starts);
    m_window.statusBar()->showMessage(
        tr("%n clone(s) of the interrupted bulk will not be sent", nullptr, cancelled), 8000);
}

bool UnansweredStarts::isWaitingToLookAgain() const
{
    return m_resolver && m_resolver->isWaiting();
}

void UnansweredStarts::resolveLater(const StartRecord &start)
{
    m_toResolve.append(start);
    m_window.statusBar()->showMessage(
        tr("Looking at Graph for %n start request(s) that had no answer…", nullptr,
           int(m_toResolve.size())));
    resolveNext();
}

void UnansweredStarts::resolveNext()
{
    if (!m_resolver || m_resolver->isBusy())
        return;
    if (m_toResolve.isEmpty()) {
        showUnresolved();
        return;
    }
    const StartRecord start = m_toResolve.takeFirst();
    // Graph shows what started within the grace period after it was sent.
    m_resolver->resolve(start, StartResolver::graceLeft(start, m_window.clock().now()),
                        StartResolver::AtDeadline::NotStarted,
                        [this, start](const StartResolver::Outcome &outcome) {
                            if (outcome.kind == StartResolver::Outcome::Kind::Found)
                                found(start, *outcome.ref, outcome.location);
                            else
                                (outcome.kind == StartResolver::Outcome::Kind::NotStarted
                                     ? m_notStarted
                                     : m_stillUnknown)
                                    .append(start);
                            // Next turn: the resolver is done with this one only once this returns.
                            QTimer::singleShot(0, this, &UnansweredStarts::resolveNext);
                        });
}

void UnansweredStarts::found(const StartRecord &start, const OperationRef &ref,
                             const QString &location)
{
    OperationStarter::Result started;
    started.takeFound(ref, location, QString());
    started.clientRequestId = start.clientRequestId;
    started.requestId = start.requestId;
    const TeamRequest request = TeamRequest::fromJournal(start);
    if (request.kind == TeamRequest::Kind::Clone && !request.path.isEmpty())
        m_starts.readiness()->expect(ref, request.clonedParts());
    m_starts.markStartedHere(started);
    m_window.statusBar()->showMessage(
        tr("%1: it had started (found at Graph); watching it").arg(start.label), 10000);
}

void UnansweredStarts::showUnresolved()
{
    // A plan's clones that did not start are sent by resuming the plan, not one by one.
    m_notStarted.erase(
        std::remove_if(m_notStarted.begin(), m_notStarted.end(),
                       [](const StartRecord &start) { return !start.planId.isEmpty(); }),
        m_notStarted.end());
    const QStringList plans = interruptedPlans();
    if (m_notStarted.isEmpty() && m_stillUnknown.isEmpty() && plans.isEmpty())
        return;
    const auto labels = [](const QList<StartRecord> &starts) {
        QStringList lines;
        for (const StartRecord &start : starts)
            lines.append(start.label.toHtmlEscaped());
        return lines.join(QStringLiteral("<br>"));
    };
    QString text;
    if (!m_notStarted.isEmpty()) {
        text += tr("<b>%n start request(s) did not start</b> (sent, unanswered, and Graph shows "
                   "no sign of them):",
                   nullptr, int(m_notStarted.size())) +
                QStringLiteral("<br>") + labels(m_notStarted) +
                QStringLiteral("<br><a href=\"teamsops:send-again\">%1</a>")
                    .arg(m_notStarted.size() == 1 ? tr("Send it again") : tr("Send them again"));
    }
    if (!m_stillUnknown.isEmpty()) {
        if (!text.isEmpty())
            text += QStringLiteral("<br>");
        text += tr("<b>%n start request(s) may or may not have started</b>; look at the team's "
                   "operations before sending again:",
                   nullptr, int(m_stillUnknown.size())) +
                QStringLiteral("<br>") + labels(m_stillUnknown);
        m_stillUnknown.clear();
    }
    for (const QString &planId : plans) {
        const QList<StartRecord> starts =
            m_journal->planStarts(planId).value_or(QList<StartRecord>());
        const qsizetype left = std::count_if(starts.cbegin(), starts.cend(),
                                             [](const StartRecord &s) { return s.isLeft(); });
        const auto next = std::find_if(starts.cbegin(), starts.cend(),
                                       [](const StartRecord &s) { return s.isLeft(); });
        if (!text.isEmpty())
            text += QStringLiteral("<br>");
        text += tr("<b>A bulk clone was interrupted</b>: %1 of %2 clones left to send (next: %3). "
                   "<a href=\"teamsops:resume-plan:%4\">Resume</a> · "
                   "<a href=\"teamsops:cancel-plan:%4\">Cancel what is left</a>")
                    .arg(left)
                    .arg(starts.size())
                    .arg(next == starts.cend() ? QString() : next->label.toHtmlEscaped(), planId);
    }
    m_window.banner()->showMessage(text, Banner::Kind::Warning, Banner::Topic::Starts);
}

void UnansweredStarts::sendNotStartedAgain()
{
    const QList<StartRecord> notStarted = std::exchange(m_notStarted, {});
    m_window.banner()->clear(Banner::Topic::Starts);
    // Each under its own client-request-id: its journal record becomes the intent again, so
    // no other TeamsOps on this store (nor `teamsops-cli resume`) sends it a second time.
    m_starts.sendAgain(notStarted);
}
