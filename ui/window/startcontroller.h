#pragma once

#include "start/operationstarter.h"
#include "start/teamrequests.h"
#include "store/startjournal.h"

#include <QObject>

class CloneDialog;
class CloneReadinessTracker;
class CreateTeamDialog;
class MainWindow;
class QTimer;
class TeamNames;
class OperationStarter;
class QMenu;
class UnansweredStarts;
struct OperationRef;

// The window's side of starting operations: Operation → Clone a team, Create a team, Archive and
// Unarchive the selected operations' teams. Requests go out one after another through one
// OperationStarter; each accepted one is watched at once, each refused one is said in a banner.
// Clones started here are followed until their team is complete (CloneReadinessTracker). A start
// whose answer was lost goes to UnansweredStarts, which looks for it at Graph.
class StartController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartController)
public:
    explicit StartController(MainWindow &window);
    ~StartController() override; // saves the team names known, if not yet

    // Adds Clone, Create, Archive and Unarchive to the Operation menu.
    void addActionsTo(QMenu *operations);
    CloneDialog *openCloneDialog();
    CreateTeamDialog *openCreateTeamDialog();
    // Operation → Team from a group: asks for the group's id, then makes its team (teamify).
    void askTeamFromGroup();
    // Archive (or unarchive) the selected operations' teams, once the admin confirms them.
    void confirmArchive(bool archive);
    // From a team card's channel list: asks, then starts the channel's archive or unarchive.
    void confirmChannelArchive(const QString &teamId, const QString &teamName,
                               const QString &channelId, const QString &channelName, bool archive);
    // The teams of the selected operations: a finished clone's or create's new team, else the
    // team the operation acts on.
    QStringList selectedTeams() const;
    void startRequests(const QList<TeamRequest> &requests);
    // Starts found not started (StartResolver), each sent under its own client-request-id.
    void sendAgain(const QList<StartRecord> &notStarted);
    CloneReadinessTracker *readiness() const { return m_readiness; }
    // The names of teams, for whatever a person reads (kept across a restart).
    TeamNames *teamNames() const { return m_names; }
    // A team as people read it: its name when known, else its id.
    QString teamText(const QString &teamId) const;
    // The store's journal of starts: each request saved before it is sent; the operations
    // watched now that were started here get their request ids back (for the details).
    void setJournal(StartJournal *journal);
    StartJournal *journal() const { return m_journal; }
    // What Microsoft support asks for about an operation (supportBundle), on the clipboard.
    void copySupportDetails(const QString &key);
    // Watches an operation this window started; it says "Requested" until first read.
    void markStartedHere(const OperationStarter::Result &started);
    // The starts whose answer never came, and the bulk clones left unfinished.
    UnansweredStarts *unanswered() const { return m_unanswered; }

signals:
    // A batch of start requests is done: how many were accepted, and why the others were not.
    void startsFinished(int accepted, const QStringList &refusals);

private:
    void followReadinessAndNames();
    // The request ids of records [first, last] that were started here, from the journal.
    void fillStartIds(qsizetype first, qsizetype last);
    void startNext();
    void keepTeamNames();
    void saveTeamNames();

    MainWindow &m_window;
    OperationStarter *m_starter;
    CloneReadinessTracker *m_readiness;
    TeamNames *m_names;
    QTimer *m_saveNames; // names known are saved together, a moment after the last
    QString m_namesKey;  // where in the settings, for this Graph
    struct QueuedStart
    {
        TeamRequest request;
        OperationStarter::Planned planned; // a start sent again keeps its client-request-id
    };
    QList<QueuedStart> m_startQueue;
    QStringList m_startRefusals;
    int m_startAccepted = 0;
    StartJournal *m_journal = nullptr;
    UnansweredStarts *m_unanswered;
};
