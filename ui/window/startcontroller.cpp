#include "window/startcontroller.h"

#include "dialogs/startdialogs.h"
#include "graph/graphclient.h"
#include "graph/teamnames.h"
#include "model/operationref.h"
#include "model/watchedoperation.h"
#include "panes/detailspane.h"
#include "polling/operationpoller.h"
#include "start/clonereadinesstracker.h"
#include "start/operationstarter.h"
#include "start/orgwideteams.h"
#include "store/operationstore.h"
#include "store/startjournal.h"
#include "store/supportbundle.h"
#include "table/operationtablemodel.h"
#include "window/banner.h"
#include "window/mainwindow.h"
#include "window/notifier.h"
#include "window/operationactions.h"
#include "window/signincontroller.h"
#include "window/unansweredstarts.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

namespace {
constexpr qsizetype kTeamsNamedAtFirstSight = 200;
} // namespace

StartController::StartController(MainWindow &window)
    : QObject(&window)
    , m_window(window)
    , m_starter(new OperationStarter(window.client(), window.clock(), this))
    // Clones TeamsOps started: once succeeded, is the new team complete?
    , m_readiness(new CloneReadinessTracker(window.client(), window.clock(), this))
    , m_names(new TeamNames(window.client(), this))
    , m_saveNames(new QTimer(this))
    , m_unanswered(new UnansweredStarts(window, *this))
{
    keepTeamNames();
    followReadinessAndNames();
    connect(m_starter, &OperationStarter::waiting, this, [this](std::chrono::seconds wait, int) {
        m_window.statusBar()->showMessage(
            tr("Graph is throttling: the request goes out again in %n second(s)", nullptr,
               int(wait.count())),
            int(std::chrono::milliseconds(wait).count()) + 2000);
    });
}

StartController::~StartController()
{
    if (m_saveNames->isActive())
        saveTeamNames();
}

void StartController::followReadinessAndNames()
{
    OperationTableModel *model = m_window.model();
    OperationPoller &poller = m_window.poller();
    model->setStatusNote([this](const QString &key) {
        const std::optional<CloneReadiness> readiness = m_readiness->readiness(key);
        return readiness ? readiness->text() : QString();
    });
    connect(&poller, &OperationPoller::operationObserved, m_readiness,
            &CloneReadinessTracker::observe);
    // The teams operations produced, by name rather than location.
    TeamNames *names = m_names;
    model->setTargetNames([names](const QString &location) { return names->nameOf(location); });
    connect(&poller, &OperationPoller::operationObserved, names,
            [names](const WatchedOperation &operation, bool changed) {
                if (operation.latest && operation.latest->status == OperationStatus::Succeeded)
                    names->want(operation.latest->targetResourceLocation);
                // Still running: a notice will name its team when it ends. Read at first sight
                // while few teams were asked for (a watch list of 100 000 teams reads each only
                // once it is seen moving).
                else if (!operation.isTerminal() && ((changed && operation.history.size() >= 2) ||
                                                     names->askedCount() < kTeamsNamedAtFirstSight))
                    names->wantTeam(operation.ref.teamId);
            });
    connect(names, &TeamNames::known, model, &OperationTableModel::targetNameChanged);
    m_window.details()->setTeamNames(
        [names](const QString &teamId) { return names->nameOfTeam(teamId); });
    connect(names, &TeamNames::teamNamed, this, [this](const QString &teamId) {
        const WatchedOperation *shown =
            m_window.poller().store().find(m_window.details()->shownKey());
        if (shown && shown->ref.teamId.compare(teamId, Qt::CaseInsensitive) == 0)
            m_window.refreshDetailsSoon();
    });
    // The operation looked at: its team's name, for the actions that may follow.
    connect(m_window.details(), &DetailsPane::shown, names, [this](const QString &key) {
        if (const WatchedOperation *operation = m_window.poller().store().find(key))
            m_names->wantTeam(operation->ref.teamId);
    });
    m_window.notifier()->setTeamNames(
        [this](const QString &teamId) { return teamText(teamId); },
        [this](const QString &location) { return m_names->nameOf(location); });
    connect(m_readiness, &CloneReadinessTracker::changed, this, [this, model](const QString &key) {
        model->noteChanged(key);
        if (m_window.details()->shownKey() == key)
            m_window.refreshDetails();
    });
    connect(
        m_readiness, &CloneReadinessTracker::settled, this, [this](const QString &key, bool ready) {
            const QString text = m_readiness->readiness(key)->text();
            const WatchedOperation *clone = m_window.poller().store().find(key);
            const QString made = clone && clone->latest
                                     ? m_names->nameOf(clone->latest->targetResourceLocation)
                                     : QString();
            const QString title =
                made.isEmpty() ? (ready ? tr("Cloned team ready") : tr("Cloned team not complete"))
                               : (ready ? tr("“%1” is ready").arg(made)
                                        : tr("“%1” is not complete").arg(made));
            const QString source = clone ? teamText(clone->ref.teamId) : QString();
            m_window.notifier()->notify(
                key, title, ready ? tr("Every channel and app of %1 is there").arg(source) : text,
                !ready);
        });
}

void StartController::keepTeamNames()
{
    // Per Graph: the simulator's teams are not the tenant's.
    m_namesKey =
        QStringLiteral("teamNames/") +
        QString::fromLatin1(QUrl::toPercentEncoding(originOf(m_window.client().baseUrl())));
    m_names->restore(
        QJsonDocument::fromJson(QSettings().value(m_namesKey).toString().toUtf8()).object());
    m_saveNames->setSingleShot(true);
    m_saveNames->setInterval(1000);
    connect(m_saveNames, &QTimer::timeout, this, &StartController::saveTeamNames);
    const auto saveSoon = [this] {
        if (!m_saveNames->isActive())
            m_saveNames->start();
    };
    connect(m_names, &TeamNames::known, this, saveSoon);
    connect(m_names, &TeamNames::teamNamed, this, saveSoon);
}

void StartController::saveTeamNames()
{
    m_saveNames->stop();
    QSettings().setValue(
        m_namesKey,
        QString::fromUtf8(QJsonDocument(m_names->saved()).toJson(QJsonDocument::Compact)));
}

QString StartController::teamText(const QString &teamId) const
{
    const QString name = m_names->nameOfTeam(teamId);
    return name.isEmpty() ? teamId : QStringLiteral("“%1”").arg(name);
}

void StartController::setJournal(StartJournal *journal)
{
    m_journal = journal;
    m_starter->setJournal(journal);
    OperationStore &store = m_window.poller().store();
    disconnect(&store, &OperationStore::added, this, nullptr);
    if (!journal)
        return;
    fillStartIds(0, store.size() - 1);
    // Restored, or added by another TeamsOps on this store: the ones started there too.
    connect(&store, &OperationStore::added, this, &StartController::fillStartIds);
    m_unanswered->setJournal(journal);
}

void StartController::copySupportDetails(const QString &key)
{
    const WatchedOperation *operation = m_window.poller().store().find(key);
    if (!operation)
        return;
    const std::optional<StartRecord> start =
        m_journal ? m_journal->findByLocation(operation->location()) : std::nullopt;
    QGuiApplication::clipboard()->setText(QString::fromUtf8(
        supportBundle(*operation, start, m_window.client().baseUrl(), m_window.clock().now())));
    m_window.statusBar()->showMessage(tr("Support details copied: no token or secret is in them."),
                                      8000);
}

void StartController::fillStartIds(qsizetype first, qsizetype last)
{
    OperationStore &store = m_window.poller().store();
    if (!m_journal || last < first)
        return;
    const auto started = m_journal->acceptedByLocation();
    if (!started || started->isEmpty())
        return;
    for (qsizetype i = first; i <= last && i < store.size(); ++i) {
        const auto found = started->constFind(store.at(i).location());
        if (found == started->cend() || store.at(i).startClientRequestId == found->clientRequestId)
            continue;
        WatchedOperation &record = store.edit(i);
        record.startClientRequestId = found->clientRequestId;
        record.startRequestId = found->requestId;
    }
}

void StartController::addActionsTo(QMenu *operations)
{
    operations->addSeparator();
    QAction *clone =
        operations->addAction(tr("Clo&ne a team…"), this, [this] { openCloneDialog(); });
    clone->setObjectName(QStringLiteral("cloneTeam"));
    clone->setShortcut(QKeySequence(tr("Ctrl+Shift+N")));
    QAction *create =
        operations->addAction(tr("Create a &team…"), this, [this] { openCreateTeamDialog(); });
    create->setObjectName(QStringLiteral("createTeam"));
    QAction *teamify =
        operations->addAction(tr("Team from a &group…"), this, [this] { askTeamFromGroup(); });
    teamify->setObjectName(QStringLiteral("teamFromGroup"));
    QAction *archive = operations->addAction(tr("&Archive the selected teams…"), this,
                                             [this] { confirmArchive(true); });
    archive->setObjectName(QStringLiteral("archiveTeams"));
    QAction *unarchive = operations->addAction(tr("&Unarchive the selected teams…"), this,
                                               [this] { confirmArchive(false); });
    unarchive->setObjectName(QStringLiteral("unarchiveTeams"));
}

CloneDialog *StartController::openCloneDialog()
{
    auto *dialog = new CloneDialog(m_window.client(), m_window.clock(), &m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->sharePollingBudget(&m_window.poller());
    dialog->setJournal(m_journal);
    // From a selected operation: its team is the likely source.
    const QStringList teams = selectedTeams();
    if (teams.size() == 1)
        dialog->setSource(teams.first(), m_names->nameOfTeam(teams.first()));
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { startRequests({dialog->request()}); });
    // A bulk: each accepted clone is watched at once, as a single one is.
    connect(dialog, &CloneDialog::cloneStarted, this,
            [this](const OperationStarter::Result &clone, const QStringList &parts) {
                m_readiness->expect(*clone.ref, parts);
                markStartedHere(clone);
            });
    dialog->open();
    return dialog;
}

void StartController::askTeamFromGroup()
{
    bool ok = false;
    const QString group =
        QInputDialog::getText(&m_window, tr("Create a team from a group"),
                              tr("The Microsoft 365 group's id (a GUID). A group made in the last "
                                 "15 minutes may not be known to Teams yet: TeamsOps asks again "
                                 "until it is."),
                              QLineEdit::Normal, QString(), &ok)
            .trimmed();
    if (!ok || group.isEmpty())
        return;
    QString problem;
    const TeamRequest request = teamifyRequest(group, problem);
    if (!problem.isEmpty()) {
        m_window.statusBar()->showMessage(problem, 8000);
        return;
    }
    startRequests({request});
}

CreateTeamDialog *StartController::openCreateTeamDialog()
{
    auto *dialog = new CreateTeamDialog(m_window.client(), &m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { startRequests({dialog->request()}); });
    dialog->open();
    return dialog;
}

void StartController::markStartedHere(const OperationStarter::Result &started)
{
    OperationPoller &poller = m_window.poller();
    // Started here: by whoever is signed in (else the dashboard's own word, "pasted").
    poller.watch(*started.ref, started.location,
                 m_window.signIn() ? m_window.signIn()->account() : QString());
    if (WatchedOperation *record = poller.store().edit(started.ref->key())) {
        record->startedHere = true; // "Requested" until its first status arrives
        record->startClientRequestId = started.clientRequestId;
        record->startRequestId = started.requestId;
    }
}

QStringList StartController::selectedTeams() const
{
    QStringList teams;
    for (const WatchedOperation *operation : m_window.actions()->selected()) {
        // A finished clone or create: the team it made; anything else: the team it acts on.
        const bool made = operation->latest &&
                          operation->latest->status == OperationStatus::Succeeded &&
                          !operation->latest->targetResourceId.isEmpty() &&
                          (operation->latest->operationType == OperationType::CloneTeam ||
                           operation->latest->operationType == OperationType::CreateTeam);
        const QString team = made ? operation->latest->targetResourceId : operation->ref.teamId;
        if (!teams.contains(team, Qt::CaseInsensitive))
            teams.append(team);
    }
    return teams;
}

void StartController::confirmArchive(bool archive)
{
    const QStringList teams = selectedTeams();
    if (teams.isEmpty()) {
        m_window.statusBar()->showMessage(tr("Select the operations whose teams to %1")
                                              .arg(archive ? tr("archive") : tr("unarchive")),
                                          5000);
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question,
                                archive ? tr("Archive teams") : tr("Unarchive teams"),
                                archive ? tr("Archive %n team(s)?", nullptr, int(teams.size()))
                                        : tr("Unarchive %n team(s)?", nullptr, int(teams.size())),
                                QMessageBox::Yes | QMessageBox::Cancel, &m_window);
    box->setObjectName(QStringLiteral("archiveConfirmation"));
    // By name, as the table shows them; the ids in the details, for whoever checks.
    QStringList named, ids;
    for (const QString &team : teams) {
        named.append(teamText(team));
        const QString name = m_names->nameOfTeam(team);
        ids.append(name.isEmpty() ? team : tr("%1 — %2").arg(name, team));
    }
    box->setInformativeText(named.join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (archive) {
        box->setCheckBox(new QCheckBox(tr("Make the SharePoint site read-only for members"), box));
        box->setDetailedText(
            tr("Archived teams are read-only in Teams; owners can unarchive them.") +
            QStringLiteral("\n\n") + ids.join(QLatin1Char('\n')));
    } else {
        box->setDetailedText(ids.join(QLatin1Char('\n')));
    }
    connect(box, &QMessageBox::finished, this, [this, box, teams, archive](int answer) {
        if (answer != QMessageBox::Yes)
            return;
        const bool spoReadOnly = box->checkBox() && box->checkBox()->isChecked();
        QList<TeamRequest> requests;
        for (const QString &team : teams) {
            QString problem;
            requests.append(archive ? archiveRequest(team, spoReadOnly, problem)
                                    : unarchiveRequest(team, problem));
        }
        startRequests(requests);
    });
    box->open();
}

void StartController::confirmChannelArchive(const QString &teamId, const QString &teamName,
                                            const QString &channelId, const QString &channelName,
                                            bool archive)
{
    QString problem;
    const TeamRequest request = channelArchiveRequest(teamId, channelId, archive, problem);
    if (!problem.isEmpty()) {
        m_window.statusBar()->showMessage(problem, 8000);
        return;
    }
    auto *box = new QMessageBox(
        QMessageBox::Question, archive ? tr("Archive channel") : tr("Unarchive channel"),
        archive ? tr("Archive the channel “%1” of %2?").arg(channelName, teamName)
                : tr("Unarchive the channel “%1” of %2?").arg(channelName, teamName),
        QMessageBox::Yes | QMessageBox::Cancel, &m_window);
    box->setObjectName(QStringLiteral("channelArchiveConfirmation"));
    box->setInformativeText(archive ? tr("An archived channel is read-only; owners can "
                                         "unarchive it. The team must not be archived.")
                                    : tr("Members can post in it again."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, request](int answer) {
        if (answer == QMessageBox::Yes)
            startRequests({request});
    });
    box->open();
}

void StartController::startRequests(const QList<TeamRequest> &requests)
{
    for (const TeamRequest &request : requests) {
        if (!request.path.isEmpty())
            m_startQueue.append({request, {}});
    }
    startNext();
}

void StartController::sendAgain(const QList<StartRecord> &notStarted)
{
    for (const StartRecord &start : notStarted) {
        const TeamRequest request = TeamRequest::fromJournal(start);
        if (!request.path.isEmpty())
            m_startQueue.append(
                {request, {start.clientRequestId, start.planId, start.planPosition}});
    }
    startNext();
}

void StartController::startNext()
{
    if (m_starter->isBusy())
        return;
    if (m_startQueue.isEmpty()) {
        // Said until closed, or until a later start goes through: then it no longer applies.
        if (!m_startRefusals.isEmpty()) {
            m_window.banner()->showMessage(
                tr("<b>%n request(s) refused</b>:", nullptr, int(m_startRefusals.size())) +
                    QStringLiteral("<br>") + m_startRefusals.join(QStringLiteral("<br>")),
                Banner::Kind::Warning, Banner::Topic::Refusals);
        } else if (m_startAccepted > 0) {
            m_window.banner()->clear(Banner::Topic::Refusals);
        }
        emit startsFinished(m_startAccepted, m_startRefusals);
        m_startAccepted = 0;
        m_startRefusals.clear();
        return;
    }
    const QueuedStart queued = m_startQueue.takeFirst();
    const TeamRequest request = queued.request;
    QStatusBar *statusBar = m_window.statusBar();
    statusBar->showMessage(tr("Sending: %1…").arg(request.label));
    m_starter->start(
        request,
        [this, request, statusBar](const OperationStarter::Result &result) {
            if (result.accepted && result.ref) {
                ++m_startAccepted;
                if (request.kind == TeamRequest::Kind::Clone)
                    m_readiness->expect(*result.ref, request.clonedParts());
                // Watched at once: the row appears now, as requested, and its status follows.
                markStartedHere(result);
                // Selected once the table has the row (the store tells it on the next turn).
                QTimer::singleShot(
                    0, this, [this, key = result.ref->key()] { m_window.selectOperation(key); });
                statusBar->showMessage(tr("%1: accepted, watching it").arg(request.label), 8000);
            } else if (result.maybeStarted && m_journal) {
                // No answer: it may have started. Looked for, never sent again by itself.
                if (const std::optional<StartRecord> start =
                        m_journal->find(result.clientRequestId))
                    m_unanswered->resolveLater(*start);
            } else {
                KnownOrgWideTeams::learnFrom(request, result); // refused before sending next time
                m_startRefusals.append(QStringLiteral("%1 — %2").arg(
                    request.label.toHtmlEscaped(), result.message.toHtmlEscaped()));
                statusBar->clearMessage();
            }
            startNext();
        },
        queued.planned);
}
