#include "cli/watchsession.h"

#include "signin/signinsession.h"

#include "graph/graphclient.h"
#include "model/clock.h"
#include "model/operationcategory.h"
#include "model/printable.h"
#include "polling/networkmonitor.h"
#include "polling/sharedpolling.h"
#include "polling/teamoperations.h"
#include "store/storeopener.h"
#include "store/storesession.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace std::chrono;

namespace {

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

QByteArray observationJsonLine(const WatchedOperation &operation, const QDateTime &observedAt)
{
    const Operation op = operation.latest.value_or(Operation());
    QJsonObject line{
        {QStringLiteral("location"), operation.location()},
        {QStringLiteral("id"), op.id.isEmpty() ? operation.ref.operationId : op.id},
        {QStringLiteral("operationType"), op.operationTypeRaw},
        {QStringLiteral("status"), op.statusRaw},
        {QStringLiteral("attemptsCount"), op.attemptsCount},
        {QStringLiteral("targetResourceLocation"), op.targetResourceLocation.isEmpty()
                                                       ? QJsonValue()
                                                       : QJsonValue(op.targetResourceLocation)},
        {QStringLiteral("observedAt"), isoUtc(observedAt)},
    };
    line.insert(QStringLiteral("error"),
                op.error ? QJsonValue(QJsonObject{{QStringLiteral("code"), op.error->code},
                                                  {QStringLiteral("message"), op.error->message}})
                         : QJsonValue());
    return jsonPrintable(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

QString observationTextLine(const WatchedOperation &operation, const QDateTime &observedAt)
{
    const Operation op = operation.latest.value_or(Operation());
    QString line =
        QStringLiteral("%1  %2  %3  attempts=%4  %5")
            .arg(isoUtc(observedAt),
                 op.statusRaw.isEmpty() ? QStringLiteral("(no status)") : op.statusRaw,
                 op.operationTypeRaw.isEmpty() ? QStringLiteral("(no type)") : op.operationTypeRaw)
            .arg(op.attemptsCount)
            .arg(operation.location());
    if (op.error)
        line += QStringLiteral("  error=%1: %2").arg(op.error->code, op.error->message);
    if (!op.targetResourceLocation.isEmpty())
        line += QStringLiteral("  target=") + op.targetResourceLocation;
    return line;
}

WatchSession::WatchSession(Options options, Clock &clock, QTextStream &out, QTextStream &err,
                           QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_out(out)
    , m_err(err)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_err << "timed out: not every operation finished within the --timeout" << Qt::endl;
        finish(TimedOut);
    });
}

WatchSession::~WatchSession() = default;

bool WatchSession::start()
{
    const QString urlProblem = GraphClient::checkBaseUrl(m_options.graphUrl);
    if (!urlProblem.isEmpty()) {
        m_err << "error: " << urlProblem << Qt::endl;
        return false;
    }
    const bool resume = m_options.locations.isEmpty() && m_options.teams.isEmpty();
    if (resume && m_options.storePath.isEmpty()) {
        m_err << "error: give at least one LOCATION (or --team) to watch" << Qt::endl;
        return false;
    }
    if (m_options.token.isEmpty() && !m_options.signIn) {
        m_err << "error: TEAMSOPS_TOKEN is not set; put a Microsoft Graph access token in it "
                 "(for example from Graph Explorer's \"Access token\" tab)"
              << Qt::endl;
        return false;
    }

    QList<std::pair<OperationRef, QString>> refs;
    bool allResolved = true;
    for (const QString &location : std::as_const(m_options.locations)) {
        const LocationResolution resolved = resolveLocation(location, m_options.graphUrl);
        if (resolved.ref) {
            refs.append({*resolved.ref, location});
        } else {
            m_err << "error: bad Location \"" << printable(location)
                  << "\": " << printable(resolved.error) << Qt::endl;
            allResolved = false;
        }
    }
    QStringList teamIds;
    for (const QString &team : std::as_const(m_options.teams)) {
        const QString id = teamIdFromText(team);
        if (id.isEmpty()) {
            m_err << "error: --team \"" << printable(team)
                  << "\" is not a team id, /teams('id') or team URL" << Qt::endl;
            allResolved = false;
        }
        teamIds.append(id);
    }
    if (!allResolved)
        return false;
    QList<OperationRef> explicitRefs;
    for (const auto &[ref, text] : std::as_const(refs))
        explicitRefs.append(ref);
    if (!m_options.storePath.isEmpty() && !openStore(explicitRefs))
        return false;

    const QString token = m_options.token;
    GraphClient::TokenProvider tokens = [token] { return token; };
    if (m_options.signIn)
        tokens = m_options.signIn->tokenProvider();
    m_client = new GraphClient(m_options.graphUrl, tokens, this);
    m_poller = new OperationPoller(*m_client, m_clock, m_store, this);
    m_poller->setBudget(m_options.tenantBudget, m_options.teamBudget);
    m_poller->setStarter(QString::fromLatin1(WatchedOperation::kCli));
    if (!m_client->talksToLoopback())
        new NetworkMonitor(*m_poller, this);
    const milliseconds interval = m_poller->setInterval(m_options.interval);
    if (interval > m_options.interval) {
        m_err << "note: polling every " << duration<double>(interval).count()
              << " s, the shortest interval allowed for this host" << Qt::endl;
    }

    connect(m_poller, &OperationPoller::operationObserved, this, &WatchSession::report);
    connect(m_poller, &OperationPoller::scheduleChanged, this, [this] {
        // Say so when the budget, not --interval, sets the pace.
        const milliseconds effective = m_poller->effectiveInterval();
        if (effective == m_announcedInterval || effective <= m_poller->interval())
            return;
        m_announcedInterval = effective;
        m_err << "note: " << m_store.size() << (m_store.size() == 1 ? " operation" : " operations")
              << " at " << m_poller->tenantBudget() << " requests/s: each is polled every "
              << duration<double>(effective).count() << " s" << Qt::endl;
    });
    connect(m_poller, &OperationPoller::roundFinished, this, &WatchSession::notePace);
    connect(m_poller, &OperationPoller::notice, this,
            [this](const QString &text) { m_err << "note: " << printable(text) << Qt::endl; });
    connect(m_poller, &OperationPoller::onlineChanged, this, [this](bool online) {
        m_err << (online ? "note: back online, polling again" : "note: offline, polling paused")
              << Qt::endl;
    });
    connect(m_poller, &OperationPoller::pollFailed, this, &WatchSession::warn);
    connect(m_poller, &OperationPoller::authenticationRequired, this, [this](const QString &why) {
        if (m_options.signIn && m_options.signIn->canRenew()) {
            // Polling is paused; a renewed token resumes it, a lost sign-in ends the run.
            if (m_options.signIn->renewAfterRefusal()) {
                m_err << "note: Graph refused the token (" << printable(why) << "); renewing it"
                      << Qt::endl;
                return;
            }
            // Refused again right after a renewal: not the token's age. Everything is kept.
            m_err << "error: Graph refuses the new token: " << printable(why)
                  << ". The account may lack consent, be disabled, or belong to another "
                     "tenant; sign in again with teamsops-cli login"
                  << Qt::endl;
            finish(UsageError);
            return;
        }
        m_err << "error: authentication failed (" << printable(why)
              << (m_options.signIn ? "); sign in again with teamsops-cli login"
                                   : "); set a fresh token in TEAMSOPS_TOKEN")
              << Qt::endl;
        finish(UsageError);
    });
    if (m_options.signIn) {
        connect(m_options.signIn, &SignInSession::renewed, m_poller, [this] {
            if (m_poller->isPausedForSignIn())
                m_poller->resume();
        });
        connect(m_options.signIn, &SignInSession::lost, this, [this](const QString &why) {
            m_err << "error: the sign-in was lost (" << printable(why)
                  << "); sign in again with teamsops-cli login. Everything watched is kept."
                  << Qt::endl;
            finish(UsageError);
        });
    }
    connect(m_poller, &OperationPoller::allOperationsTerminal, this, [this] {
        if (m_teamsToList == 0)
            finishWithOutcome();
    });
    // Named operations may end before the others of a shared store: the run ends with them.
    connect(m_poller, &OperationPoller::operationObserved, this, [this] {
        if (!m_named.isEmpty() && m_teamsToList == 0 && allWatchedTerminal())
            QMetaObject::invokeMethod(this, &WatchSession::finishWithOutcome, Qt::QueuedConnection);
    });

    if (m_saver) {
        m_poller->restorePace(m_saver->savedPace());
        m_saver->setPaceSource([this] { return m_poller->savedPace(); });
    }
    for (const auto &[ref, text] : std::as_const(refs)) {
        // Asked for by name: watched again even if it was stopped (paused, denied, not found).
        if (!m_poller->watch(ref, text))
            m_poller->retry(ref);
    }
    if (resume && m_saver) {
        m_err << QCoreApplication::translate("WatchSession",
                                             "note: resuming %n unfinished operation(s) from %1",
                                             nullptr, int(m_store.size()))
                     .arg(m_options.storePath)
              << Qt::endl;
    }
    // What another TeamsOps adds to the store is watched here too, within one interval; and
    // only one of them polls.
    shareThePolling();
    m_teamsToList = int(teamIds.size());
    for (const QString &teamId : std::as_const(teamIds)) {
        watchTeamOperations(*m_client, *m_poller, teamId, this, [this](const TeamWatchResult &r) {
            if (!r.error.isEmpty()) {
                m_err << "error: could not list the operations of team " << r.teamId << ": "
                      << printable(r.error) << Qt::endl;
                finish(UsageError);
                return;
            }
            m_err << QCoreApplication::translate(
                         "WatchSession", "note: team %1: %n operation(s), %2 not watched before",
                         nullptr, int(r.listed))
                         .arg(r.teamId)
                         .arg(r.added)
                  << Qt::endl;
            // Operations may all have finished while other teams were still being listed.
            if (--m_teamsToList == 0 && allWatchedTerminal())
                finishWithOutcome();
        });
    }
    if (m_options.timeout)
        m_timeout.start(*m_options.timeout);
    // Nothing left to poll (everything named had finished before): say so and stop.
    if (m_teamsToList == 0 && allWatchedTerminal())
        QMetaObject::invokeMethod(this, &WatchSession::finishWithOutcome, Qt::QueuedConnection);
    return true;
}

bool WatchSession::openStore(const QList<OperationRef> &refs)
{
    const bool resuming = m_options.locations.isEmpty() && m_options.teams.isEmpty();
    QStringList keys;
    for (const OperationRef &ref : refs)
        keys.append(ref.key());
    m_storeSession = new StoreSession(m_store, m_clock, QStringLiteral("teamsops-cli"), this);
    m_storeSession->setGraph(m_options.graphUrl);
    if (m_options.teams.isEmpty())
        m_named = QSet<QString>(keys.cbegin(), keys.cend());
    const OperationDatabase::OpenResult opened =
        m_storeSession->open(m_options.storePath, [keys, this](StoreSaver &saver) {
            const auto active = [](const WatchedOperation &op) {
                return op.watch == WatchedOperation::Watch::Active && !op.isTerminal();
            };
            if (!m_options.teams.isEmpty())
                return saver.restore(keys);
            // One poller per store: whoever polls, polls every unfinished operation in it.
            const qsizetype named = keys.isEmpty() ? 0 : saver.restore(keys);
            const qsizetype others = saver.restore(active);
            return named < 0 || others < 0 ? -1 : named + others;
        });
    if (StoreOpener::isWorthWaitingFor(opened.problem)) {
        // Busy is not damaged, nor is a server away: watching goes on in memory, and saving
        // starts once the store is there.
        m_err << "note: "
              << printable(StoreOpener::waitingMessage(m_options.storePath, opened,
                                                       m_storeSession->standInPath()))
              << Qt::endl;
        m_waitingForStore = true;
        connect(m_storeSession, &StoreSession::ready, this, [this, problem = opened.problem] {
            m_waitingForStore = false;
            m_err << "note: " << printable(StoreOpener::backMessage(problem)) << Qt::endl;
            useSaver();
            if (m_poller && m_teamsToList == 0 && allWatchedTerminal())
                finishWithOutcome();
        });
        connect(m_storeSession, &StoreSession::failed, this, [this](const QString &why) {
            m_waitingForStore = false;
            m_err << "warning: not saving: " << printable(why) << Qt::endl;
            printPending();
            if (m_poller && m_teamsToList == 0 && allWatchedTerminal())
                finishWithOutcome();
        });
        return true;
    }
    if (!opened.ok) {
        // Watching matters more than remembering: go on in memory, and say so.
        m_err << "warning: not saving: " << printable(opened.error) << Qt::endl;
        delete m_storeSession;
        m_storeSession = nullptr;
        return !resuming; // with nothing named, there is nothing to resume from
    }
    if (!opened.movedTo.isEmpty())
        m_err << "warning: " << printable(opened.error) << Qt::endl;
    if (const qsizetype handedOver = m_storeSession->handedOver(); handedOver > 0) {
        m_err << "note: handed over to the team's store " << handedOver
              << (handedOver == 1 ? " operation" : " operations")
              << " kept locally while it could not be reached" << Qt::endl;
    }
    if (!m_storeSession->restoreError().isEmpty()) {
        m_err << "warning: could not read " << m_options.storePath << ": "
              << printable(m_storeSession->restoreError()) << Qt::endl;
    }
    m_saver = m_storeSession->saver();
    connectSaver();
    return true;
}

void WatchSession::useSaver()
{
    m_saver = m_storeSession->saver();
    connectSaver();
    if (m_poller) {
        m_saver->setPaceSource([this] { return m_poller->savedPace(); });
        shareThePolling();
    }
}

void WatchSession::shareThePolling()
{
    // --team lists its teams' operations itself: it polls on its own, as before.
    if (!m_saver || !m_options.teams.isEmpty() || !m_storeSession->lease())
        return;
    m_saver->followOthers(std::min<milliseconds>(StoreSaver::kFollowEvery, m_poller->interval()));
    auto *shared = new SharedPolling(*m_poller, *m_saver, *m_storeSession->lease(), this);
    connect(shared, &SharedPolling::roleChanged, this, [this, shared](bool polling) {
        if (polling && m_following) {
            m_err << "note: the other TeamsOps stopped polling; polling from here" << Qt::endl;
        } else if (!polling) {
            m_err << "note: " << printable(shared->pollerDescription())
                  << " polls Graph for this store; showing what it sees" << Qt::endl;
        }
        m_following = !polling;
    });
    // Changes the polling process saw, printed as if seen here.
    connect(m_saver, &StoreSaver::mirrored, this, [this](const QStringList &keys) {
        for (const QString &key : keys) {
            if (const WatchedOperation *op = m_store.find(key))
                report(*op, true);
        }
        printPending();
        if (m_teamsToList == 0 && allWatchedTerminal())
            finishWithOutcome();
    });
    shared->start();
}

void WatchSession::connectSaver()
{
    connect(m_saver, &StoreSaver::committed, this, &WatchSession::printPending);
    connect(m_saver, &StoreSaver::savingFailed, this, [this](const QString &why) {
        m_err << "warning: saving to " << m_options.storePath << " fails (" << printable(why)
              << "); watching goes on, and saving is tried again" << Qt::endl;
        printPending(); // not held back for a save that may not come
    });
    connect(m_saver, &StoreSaver::savingResumed, this, [this] {
        m_err << "note: saving to " << m_options.storePath << " works again" << Qt::endl;
    });
    connect(m_saver, &StoreSaver::followingFailed, this, [this](const QString &why) {
        m_err << "warning: cannot read " << m_options.storePath << " (" << printable(why)
              << "): what other processes see may be missing here until it can be read again"
              << Qt::endl;
    });
    connect(m_saver, &StoreSaver::followingResumed, this,
            [this] { m_err << "note: reading " << m_options.storePath << " again" << Qt::endl; });
}

void WatchSession::printPending()
{
    for (const QByteArray &line : std::as_const(m_pending))
        m_out << line << '\n';
    m_pending.clear();
    m_out.flush();
}

void WatchSession::report(const WatchedOperation &operation, bool changed)
{
    // A shared store's other operations are polled here too (one poller per store), not shown.
    if (!m_named.isEmpty() && !m_named.contains(operation.key))
        return;
    m_lastWarning.remove(operation.ref.key());
    if (!changed)
        return;
    const QDateTime observedAt = operation.lastPolledAt;
    m_pending.append(m_options.json
                         ? observationJsonLine(operation, observedAt)
                         : printable(observationTextLine(operation, observedAt)).toUtf8());
    // With a store, a change is printed once it is on disk (what a script reads is kept).
    if (!m_saver || m_saver->isFailing())
        printPending();
}

void WatchSession::warn(const WatchedOperation &operation, const GraphReply &reply)
{
    // Say each distinct problem once, not once per retry.
    const QString message = reply.describe();
    QString &last = m_lastWarning[operation.ref.key()];
    if (last == message)
        return;
    last = message;
    m_err << "warning: " << printable(operation.location()) << ": " << printable(message)
          << Qt::endl;
}

QList<const WatchedOperation *> WatchSession::watched() const
{
    QList<const WatchedOperation *> ops;
    for (const WatchedOperation &op : m_store.records()) {
        if (m_named.isEmpty() || m_named.contains(op.key))
            ops.append(&op);
    }
    return ops;
}

bool WatchSession::allWatchedTerminal() const
{
    if (m_named.isEmpty())
        return m_poller->allTerminal();
    const QList<const WatchedOperation *> ops = watched();
    return std::none_of(ops.cbegin(), ops.cend(),
                        [](const WatchedOperation *op) { return op->isPolled(); });
}

void WatchSession::finishWithOutcome()
{
    // Resuming from a store another program holds: what is to be watched is not known yet.
    if (m_waitingForStore && m_options.locations.isEmpty() && m_options.teams.isEmpty())
        return;
    const QList<const WatchedOperation *> ops = watched();
    if (ops.isEmpty())
        m_err << "note: nothing to watch" << Qt::endl;
    // Failed, access denied and not found all mean "not done as asked".
    const bool allSucceeded = std::all_of(ops.cbegin(), ops.cend(), [](const auto *op) {
        return outcomeOf(*op) == OperationOutcome::Succeeded;
    });
    finish(allSucceeded ? AllSucceeded : SomeFailed);
}

void WatchSession::finish(int exitCode)
{
    if (m_finished)
        return;
    if (m_waitingForStore && !m_givenUpOnStore) {
        // What was watched is saved before the end: wait (a while) for the store to be free.
        if (!m_finishAfterStore) {
            m_finishAfterStore = exitCode;
            m_err << "note: waiting up to " << StoreOpener::kPatience.count()
                  << " s for the store, to save what was watched" << Qt::endl;
            const auto finishNow = [this] { finish(*m_finishAfterStore); };
            connect(m_storeSession, &StoreSession::ready, this, finishNow, Qt::QueuedConnection);
            connect(m_storeSession, &StoreSession::failed, this, finishNow, Qt::QueuedConnection);
            QTimer::singleShot(StoreOpener::kPatience, this, [this] {
                if (const QString copy = m_storeSession->standInPath(); !copy.isEmpty()) {
                    m_err << "note: the team's store stayed away; what was watched is kept in "
                          << QDir::toNativeSeparators(copy)
                          << " and handed over by the next watch or dashboard that reaches it"
                          << Qt::endl;
                } else {
                    m_err << "warning: the store stayed in use; what was watched is not saved"
                          << Qt::endl;
                }
                m_givenUpOnStore = true;
                finish(*m_finishAfterStore);
            });
        }
        return;
    }
    m_finished = true;
    m_timeout.stop();
    if (m_storeSession)
        m_storeSession->saveNow();
    printPending();
    m_out.flush();
    m_err.flush();
    emit finished(exitCode);
}

void WatchSession::notePace()
{
    // Once per slowdown, and once when back at full pace: not at every step of the recovery.
    const PollPlanner::Pace pace = m_poller->pace();
    const bool slowed = pace.isSlowed() || pace.slowedTeams > 0;
    if (slowed && pace.slowedAt.isValid() && pace.slowedAt != m_announcedSlowdown) {
        m_announcedSlowdown = pace.slowedAt;
        m_err << "note: " << pace.describe(m_clock.now())
              << "; speeding up again while answers come back clean" << Qt::endl;
    } else if (!slowed && m_announcedSlowdown.isValid()) {
        m_announcedSlowdown = QDateTime();
        m_err << "note: back at full pace, " << pace.budget << " requests/s" << Qt::endl;
    }
}
