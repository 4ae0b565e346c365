#pragma once

#include "store/startjournal.h"

#include <QObject>
#include <QPointer>

class CloneDialog;
class MainWindow;
class StartController;
class StartResolver;
struct OperationRef;

// The starts whose answer never came, now or in an earlier run (the store's journal): each is
// looked for at Graph through its grace period (StartResolver). Found, it is watched as a start
// of this window; not found, the banner offers to send it again; unclear, the banner says to
// look first. A bulk clone left unfinished shows there too, with Resume (the clone dialog on its
// plan) and Cancel what is left. TeamsOps never sends anything again by itself.
class UnansweredStarts final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnansweredStarts)
public:
    UnansweredStarts(MainWindow &window, StartController &starts);

    // Looks for what the journal left unresolved, then shows what is left of its plans.
    void setJournal(StartJournal *journal);
    // A start of this run whose answer was lost.
    void resolveLater(const StartRecord &start);
    // Between two looks at Graph (time must pass).
    bool isWaitingToLookAgain() const;
    // The clone dialog of the last plan resumed from the banner.
    CloneDialog *resumedPlanDialog() const;

private:
    void resolveNext();
    void found(const StartRecord &start, const OperationRef &ref, const QString &location);
    void showUnresolved();
    void sendNotStartedAgain();
    // Saved plans (bulk clones) with clones left to send, after their unknown ones were resolved.
    QStringList interruptedPlans() const;
    void resumePlan(const QString &planId);
    void cancelPlan(const QString &planId);

    MainWindow &m_window;
    StartController &m_starts;
    StartJournal *m_journal = nullptr;
    StartResolver *m_resolver;
    QList<StartRecord> m_toResolve;
    QList<StartRecord> m_notStarted;   // looked for through the grace period: not found
    QList<StartRecord> m_stillUnknown; // looked for, and nobody can tell
    QPointer<CloneDialog> m_resumedPlan;
};
