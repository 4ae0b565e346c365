#include "cli/startcommands.h"

#include "graph/graphclient.h"
#include "model/printable.h"
#include "model/smallfile.h"
#include "polling/teamoperations.h"
#include "signin/signinsession.h"
#include "start/clonereadinesstracker.h"
#include "start/startresolver.h"
#include "store/operationdatabase.h"
#include "store/startjournal.h"
#include "store/storeopener.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {

// A request body is a few KiB; refuse to read a file much larger than any.
constexpr qint64 kMaxBodyBytes = 1024 * 1024;

QByteArray readBody(const QString &path, QString &problem)
{
    return readSmallFile(path, kMaxBodyBytes, QStringLiteral("a request body"), problem, true);
}

QString teamArgument(const QStringList &positional, const QString &command, QString &problem)
{
    if (positional.size() != 1) {
        problem =
            QStringLiteral("%1 takes one TEAM (an id, /teams('id') or a Graph URL)").arg(command);
        return QString();
    }
    const QString id = teamIdFromText(positional.first());
    if (id.isEmpty())
        problem = QStringLiteral("no team id in \"%1\"").arg(positional.first());
    return id;
}

} // namespace

bool StartCommands::isStartCommand(const QString &command)
{
    return command == QLatin1String("clone") || command == QLatin1String("archive") ||
           command == QLatin1String("unarchive") || command == QLatin1String("create") ||
           command == QLatin1String("operations") || command == QLatin1String("resume") ||
           command == QLatin1String("archive-channel") ||
           command == QLatin1String("unarchive-channel") || command == QLatin1String("teamify");
}

void StartCommands::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("name"), QStringLiteral("clone, create: the new team's display name."),
         QStringLiteral("NAME")},
        {QStringLiteral("description"), QStringLiteral("clone, create: its description."),
         QStringLiteral("TEXT")},
        {QStringLiteral("classification"), QStringLiteral("clone: its classification."),
         QStringLiteral("TEXT")},
        {QStringLiteral("visibility"), QStringLiteral("clone, create: private or public."),
         QStringLiteral("VISIBILITY")},
        {QStringLiteral("parts"),
         QStringLiteral("clone: what to copy, of apps,tabs,settings,channels,members (tabs need "
                        "apps and channels)."),
         QStringLiteral("LIST")},
        {QStringLiteral("names-from"),
         QStringLiteral("clone: many clones, one per line of this CSV file (name, optional "
                        "description), paced under Graph's limits."),
         QStringLiteral("FILE")},
        {QStringLiteral("count"),
         QStringLiteral("clone: this many clones, named by --name with {n} for 1, 2, …"),
         QStringLiteral("N")},
        {QStringLiteral("spo-read-only"),
         QStringLiteral("archive: make the SharePoint site read-only for members too.")},
        {QStringLiteral("body"),
         QStringLiteral("operations create: the teamsAsyncOperation's JSON (a file, or - for "
                        "stdin)."),
         QStringLiteral("FILE")},
        {QStringLiteral("look-for"),
         QStringLiteral("a start whose answer is lost is looked for at Graph this long before "
                        "its outcome is called unknown (default 60); it is never sent again."),
         QStringLiteral("SECONDS")},
        {QStringLiteral("me"),
         QStringLiteral("operations create: under /me/joinedTeams/{id}/team/operations.")},
        {QStringLiteral("watch"),
         QStringLiteral("clone, archive, unarchive, create, operations create: then watch the "
                        "operation until it ends (exit codes as for watch).")},
        {QStringLiteral("wait-ready"),
         QStringLiteral("clone: watch it, then wait until the new team has every channel (and "
                        "app) of the source — Graph says succeeded before — checking every "
                        "--interval; exit 3 if it is still settling after 30 minutes.")},
    });
}

StartPlan StartCommands::build(const QString &command, const QStringList &positional,
                               const QCommandLineParser &parser, QString &problem)
{
    StartPlan plan;
    if (parser.isSet(QStringLiteral("look-for"))) {
        bool ok = false;
        const int seconds = parser.value(QStringLiteral("look-for")).toInt(&ok);
        if (!ok || seconds < 0 || seconds > 3600) {
            problem = QStringLiteral("--look-for takes a number of seconds, 0 to 3600");
            return StartPlan();
        }
        plan.lookFor = std::chrono::seconds(seconds);
    }
    if (command == QLatin1String("resume")) {
        if (positional.size() > 1) {
            problem = QStringLiteral("resume takes at most one PLAN (see `teamsops-cli plans`)");
            return StartPlan();
        }
        plan.resume = true;
        plan.resumePlan = positional.value(0);
        return plan;
    }
    plan.request = buildOne(command, positional, parser, problem);
    if (command == QLatin1String("clone") && problem == QLatin1String("bulk")) {
        problem.clear();
        plan.request = TeamRequest();
        plan.bulkCommon.sourceTeamId = teamArgument(positional, command, problem);
        plan.bulkCommon.description = parser.value(QStringLiteral("description"));
        plan.bulkCommon.classification = parser.value(QStringLiteral("classification"));
        plan.bulkCommon.visibility = parser.value(QStringLiteral("visibility"));
        plan.bulkCommon.parts =
            parser.value(QStringLiteral("parts")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (!problem.isEmpty())
            return StartPlan();
        if (parser.isSet(QStringLiteral("names-from"))) {
            const QByteArray csv = readBody(parser.value(QStringLiteral("names-from")), problem);
            if (problem.isEmpty())
                plan.bulkNames = namesFromCsv(csv, problem);
        } else {
            bool ok = false;
            const int count = parser.value(QStringLiteral("count")).toInt(&ok);
            plan.bulkNames =
                namesFromPattern(parser.value(QStringLiteral("name")), ok ? count : 0, 1, problem);
        }
        if (!problem.isEmpty())
            return StartPlan();
        // Every request is checked before the first goes out.
        for (const BulkCloneName &name : std::as_const(plan.bulkNames)) {
            CloneOptions options = plan.bulkCommon;
            options.displayName = name.displayName;
            cloneRequest(options, problem);
            if (!problem.isEmpty()) {
                problem = QStringLiteral("\"%1\": %2").arg(name.displayName, problem);
                return StartPlan();
            }
        }
    }
    if (!problem.isEmpty())
        return StartPlan();
    return plan;
}

TeamRequest StartCommands::buildOne(const QString &command, const QStringList &positional,
                                    const QCommandLineParser &parser, QString &problem)
{
    const auto value = [&parser](const char *name) { return parser.value(QLatin1String(name)); };
    if (command == QLatin1String("clone")) {
        CloneOptions options;
        options.sourceTeamId = teamArgument(positional, command, problem);
        if (!problem.isEmpty())
            return TeamRequest();
        options.displayName = value("name");
        options.description = value("description");
        options.classification = value("classification");
        options.visibility = value("visibility");
        options.parts = value("parts").split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (parser.isSet(QStringLiteral("names-from")) || parser.isSet(QStringLiteral("count"))) {
            problem = QStringLiteral("bulk"); // build() takes it from here
            return TeamRequest();
        }
        if (!parser.isSet(QStringLiteral("name"))) {
            problem = QStringLiteral("clone needs --name NAME");
            return TeamRequest();
        }
        return cloneRequest(options, problem);
    }
    if (command == QLatin1String("teamify")) {
        if (positional.size() != 1) {
            problem = QStringLiteral("teamify takes one GROUP id");
            return TeamRequest();
        }
        return teamifyRequest(positional.first().trimmed(), problem);
    }
    if (command == QLatin1String("archive-channel") ||
        command == QLatin1String("unarchive-channel")) {
        if (positional.size() != 2) {
            problem = QStringLiteral("%1 takes a TEAM and a CHANNEL id").arg(command);
            return TeamRequest();
        }
        const QString team = teamArgument(positional.mid(0, 1), command, problem);
        if (!problem.isEmpty())
            return TeamRequest();
        return channelArchiveRequest(team, positional.at(1),
                                     command == QLatin1String("archive-channel"), problem);
    }
    if (command == QLatin1String("archive") || command == QLatin1String("unarchive")) {
        const QString team = teamArgument(positional, command, problem);
        if (!problem.isEmpty())
            return TeamRequest();
        return command == QLatin1String("archive")
                   ? archiveRequest(team, parser.isSet(QStringLiteral("spo-read-only")), problem)
                   : unarchiveRequest(team, problem);
    }
    if (command == QLatin1String("create")) {
        if (!positional.isEmpty() || !parser.isSet(QStringLiteral("name"))) {
            problem = QStringLiteral("create takes --name NAME (and no other argument)");
            return TeamRequest();
        }
        return createTeamRequest({value("name"), value("description"), value("visibility")},
                                 problem);
    }
    // operations create TEAM --body FILE|-
    if (positional.value(0) != QLatin1String("create")) {
        problem = QStringLiteral("operations takes: operations create TEAM --body FILE|-");
        return TeamRequest();
    }
    const QString team =
        teamArgument(positional.mid(1), QStringLiteral("operations create"), problem);
    if (!problem.isEmpty())
        return TeamRequest();
    if (!parser.isSet(QStringLiteral("body"))) {
        problem = QStringLiteral("operations create needs --body FILE (or - for stdin)");
        return TeamRequest();
    }
    const QByteArray text = readBody(value("body"), problem);
    if (!problem.isEmpty())
        return TeamRequest();
    QJsonParseError error;
    const QJsonDocument body = QJsonDocument::fromJson(text, &error);
    if (!body.isObject()) {
        problem = error.error != QJsonParseError::NoError
                      ? QStringLiteral("the body is not JSON (%1 at byte %2)")
                            .arg(error.errorString())
                            .arg(error.offset)
                      : QStringLiteral("the body is not a JSON object");
        return TeamRequest();
    }
    return createOperationRequest(team, body.object(), parser.isSet(QStringLiteral("me")), problem);
}

StartCommands::StartCommands(WatchSession::Options watch, Clock &clock, QTextStream &out,
                             QTextStream &err, QObject *parent)
    : QObject(parent)
    , m_watch(std::move(watch))
    , m_clock(clock)
    , m_out(out)
    , m_err(err)
{
    const QString token = m_watch.token;
    m_client = std::make_unique<GraphClient>(
        m_watch.graphUrl, m_watch.signIn ? m_watch.signIn->tokenProvider()
                                         : GraphClient::TokenProvider([token] { return token; }));
    m_starter = std::make_unique<OperationStarter>(*m_client, clock);
    connect(m_starter.get(), &OperationStarter::waiting, this,
            [this](std::chrono::seconds wait, int attempt) {
                m_err << "note: Graph is throttling; sending again in " << wait.count()
                      << " s (attempt " << attempt << " of " << OperationStarter::kMaxAttempts
                      << ")" << Qt::endl;
            });
}

StartCommands::~StartCommands() = default;

void StartCommands::run(const TeamRequest &request, Then then)
{
    m_request = request;
    m_starter->start(request, [this, then](const OperationStarter::Result &result) {
        if (!result.accepted && result.maybeStarted && m_journal) {
            lookForLostStart(result, then);
            return;
        }
        report(m_request, result);
        if (!result.accepted) {
            emit finished(1);
            return;
        }
        goOn(result, then);
    });
}

void StartCommands::lookForLostStart(OperationStarter::Result result, Then then)
{
    const std::optional<StartRecord> start = m_journal->find(result.clientRequestId);
    if (!start) {
        report(m_request, result);
        emit finished(1);
        return;
    }
    m_err << "note: no answer from Graph; looking at Graph for what became of the request, for "
             "up to "
          << m_lookFor.count() << " s (it is not sent again)" << Qt::endl;
    m_resolver = std::make_unique<StartResolver>(*m_client, m_clock);
    m_resolver->setJournal(m_journal.get());
    // A few looks in the time given: Graph shows new work within seconds to minutes.
    m_resolver->setSpacing(
        std::clamp(m_lookFor / 6, std::chrono::seconds(1), std::chrono::seconds(10)));
    m_resolver->resolve(*start, m_lookFor, StartResolver::AtDeadline::Unknown,
                        [this, result, then](const StartResolver::Outcome &outcome) mutable {
                            if (outcome.kind == StartResolver::Outcome::Kind::Found) {
                                m_err << "note: " << printable(outcome.message) << Qt::endl;
                                result.takeFound(*outcome.ref, outcome.location, QString());
                                if (m_request.kind == TeamRequest::Kind::CreateOperation) {
                                    // Only its id is known: it was found, not answered.
                                    result.created = QJsonObject{
                                        {QStringLiteral("id"), outcome.ref->operationId},
                                        {QStringLiteral("foundByLooking"), true}};
                                }
                                report(m_request, result);
                                goOn(result, then);
                                return;
                            }
                            result.message += QStringLiteral("; ") + outcome.message;
                            report(m_request, result);
                            emit finished(1);
                        });
}

void StartCommands::goOn(const OperationStarter::Result &result, Then then)
{
    QString location = result.location;
    if (m_request.kind == TeamRequest::Kind::CreateOperation) {
        // The created object has an id: it is watched under its team.
        location = QStringLiteral("/teams('%1')/operations('%2')")
                       .arg(m_request.teamId, result.created.value(QLatin1String("id")).toString());
    }
    const bool waitReady = then == Then::WaitReady && m_request.kind == TeamRequest::Kind::Clone;
    if (then == Then::Exit || location.isEmpty()) {
        emit finished(0);
        return;
    }
    watch({location}, waitReady);
}

bool StartCommands::openJournal()
{
    m_database = std::make_unique<OperationDatabase>();
    const OperationDatabase::OpenResult opened = StoreOpener::openPatiently(
        *m_database, m_watch.storePath, OperationDatabase::Access::ReadWrite,
        [this](const QString &waiting) { m_err << "note: " << printable(waiting) << Qt::endl; });
    if (!opened.ok) {
        m_err << "error: not sent: TeamsOps saves a start request in its store before sending "
                 "it, and the store cannot be opened: "
              << printable(opened.error) << Qt::endl;
        m_database.reset();
        return false;
    }
    if (!opened.movedTo.isEmpty())
        m_err << "warning: " << printable(opened.error) << Qt::endl;
    m_journal = std::make_unique<StartJournal>(*m_database);
    m_starter->setJournal(m_journal.get());
    return true;
}

void StartCommands::run(const StartPlan &plan, Then then)
{
    m_lookFor = plan.lookFor;
    if (!openJournal()) {
        emit finished(1);
        return;
    }
    if (plan.resume)
        runResume(plan.resumePlan);
    else if (plan.isBulk())
        runBulk(plan, then);
    else
        run(plan.request, then);
}

void StartCommands::announcePlan(const QString &planId, qsizetype clones)
{
    if (m_watch.json) {
        m_out << jsonPrintable(QJsonDocument(QJsonObject{{QStringLiteral("plan"), planId},
                                                         {QStringLiteral("clones"), clones}})
                                   .toJson(QJsonDocument::Compact))
              << Qt::endl;
    } else {
        m_out << "plan " << planId << ": " << clones << " clones" << Qt::endl;
    }
}

void StartCommands::runResume(const QString &onlyPlan)
{
    const std::optional<QStringList> plans =
        onlyPlan.isEmpty() ? m_journal->planIds()
                           : std::optional<QStringList>(QStringList{onlyPlan});
    if (!plans) {
        m_err << "error: the plans cannot be read: " << printable(m_journal->lastError())
              << Qt::endl;
        emit finished(1);
        return;
    }
    for (const QString &planId : *plans) {
        const auto starts = m_journal->planStarts(planId);
        if (!onlyPlan.isEmpty() && (!starts || starts->isEmpty())) {
            m_err << "error: no plan " << printable(planId) << " in the store" << Qt::endl;
            emit finished(1);
            return;
        }
        const bool unfinished =
            starts && std::any_of(starts->cbegin(), starts->cend(), [](const StartRecord &s) {
                return s.isLeft() || s.isUnresolved();
            });
        if (unfinished)
            m_plansToResume.append(planId);
    }
    if (onlyPlan.isEmpty())
        m_singlesToFinish = m_journal->singlesToFinish().value_or(QList<StartRecord>());
    if (m_plansToResume.isEmpty() && m_singlesToFinish.isEmpty())
        m_err << "note: nothing is left to finish" << Qt::endl;
    finishNextSingle();
}

void StartCommands::lookAtGraph(const StartRecord &start, const StartResolver::Handler &then)
{
    // Looked for until Graph must show it (its grace period), never sent blindly.
    m_err << "note: looking at Graph for what became of “" << printable(start.label) << "”"
          << Qt::endl;
    m_resolver = std::make_unique<StartResolver>(*m_client, m_clock);
    m_resolver->setJournal(m_journal.get());
    m_resolver->setSpacing(std::chrono::seconds(5));
    m_resolver->resolve(start, StartResolver::graceLeft(start, m_clock.now()),
                        StartResolver::AtDeadline::NotStarted,
                        [this, then](const StartResolver::Outcome &outcome) {
                            m_err << "note: " << printable(outcome.message) << Qt::endl;
                            then(outcome);
                        });
}

void StartCommands::finishNextSingle()
{
    if (m_singlesToFinish.isEmpty()) {
        resumeNextPlan();
        return;
    }
    const StartRecord start = m_singlesToFinish.takeFirst();
    const TeamRequest request = TeamRequest::fromJournal(start);
    if (request.path.isEmpty()) {
        m_err << "error: “" << printable(start.label) << "” (" << printable(start.kind)
              << ") is not a request this version can send" << Qt::endl;
        m_resumeLeftSomething = true;
        QTimer::singleShot(0, this, &StartCommands::finishNextSingle);
        return;
    }
    if (!start.isUnresolved()) {
        sendSingleAgain(start, request);
        return;
    }
    lookAtGraph(start, [this, start, request](const StartResolver::Outcome &outcome) {
        if (outcome.kind == StartResolver::Outcome::Kind::NotStarted) {
            QTimer::singleShot(0, this,
                               [this, start, request] { sendSingleAgain(start, request); });
            return;
        }
        if (outcome.kind == StartResolver::Outcome::Kind::Found) {
            OperationStarter::Result found;
            found.clientRequestId = start.clientRequestId;
            found.requestId = start.requestId;
            found.takeFound(*outcome.ref, outcome.location, outcome.message);
            report(request, found);
        } else {
            m_resumeLeftSomething = true; // nobody can tell yet: left for later
        }
        QTimer::singleShot(0, this, &StartCommands::finishNextSingle);
    });
}

void StartCommands::sendSingleAgain(const StartRecord &start, const TeamRequest &request)
{
    m_err << "note: “" << printable(start.label)
          << "” did not start; sending it again (client-request-id " << start.clientRequestId << ")"
          << Qt::endl;
    m_starter->start(request,
                     [this, request](const OperationStarter::Result &result) {
                         report(request, result);
                         m_resumeLeftSomething = m_resumeLeftSomething || !result.accepted;
                         QTimer::singleShot(0, this, &StartCommands::finishNextSingle);
                     },
                     {start.clientRequestId, QString(), 0});
}

void StartCommands::resumeNextPlan()
{
    if (m_plansToResume.isEmpty()) {
        emit finished(m_resumeLeftSomething ? 1 : 0);
        return;
    }
    const QString planId = m_plansToResume.first();
    const auto starts = m_journal->planStarts(planId);
    const auto unresolved =
        starts ? std::find_if(starts->cbegin(), starts->cend(),
                              [](const StartRecord &s) { return s.isUnresolved(); })
               : QList<StartRecord>::const_iterator();
    if (starts && unresolved != starts->cend()) {
        // What became of it first: looked for until Graph must show it, never sent blindly.
        const StartRecord start = *unresolved;
        lookAtGraph(start, [this, planId](const StartResolver::Outcome &outcome) {
            if (outcome.kind == StartResolver::Outcome::Kind::Unknown) {
                // Nobody can tell: the rest of this plan waits for later.
                m_resumeLeftSomething = true;
                m_plansToResume.removeAll(planId);
            }
            QTimer::singleShot(0, this, &StartCommands::resumeNextPlan);
        });
        return;
    }
    makeBulk();
    connect(m_bulk.get(), &BulkCloner::finished, this, [this, planId](int, int refused) {
        m_resumeLeftSomething = m_resumeLeftSomething || refused > 0;
        m_plansToResume.removeAll(planId);
        QTimer::singleShot(0, this, &StartCommands::resumeNextPlan);
    });
    QString problem;
    announcePlan(planId, starts ? starts->size() : 0);
    if (!starts || !m_bulk->resume(planId, *starts, problem)) {
        m_err << "error: " << printable(problem) << Qt::endl;
        m_resumeLeftSomething = true;
        m_plansToResume.removeAll(planId);
        QTimer::singleShot(0, this, &StartCommands::resumeNextPlan);
    }
}

void StartCommands::makeBulk()
{
    m_bulk = std::make_unique<BulkCloner>(*m_client, m_clock);
    m_bulk->setJournal(m_journal.get());
    m_bulk->setPerSecond(std::min(m_watch.teamBudget, 4));
    connect(m_bulk.get(), &BulkCloner::itemFinished, this, [this](int index) {
        const BulkCloner::Item &item = m_bulk->items().at(index);
        report(item.request, item.result);
    });
}

void StartCommands::runBulk(const StartPlan &plan, Then then)
{
    makeBulk();
    connect(m_bulk.get(), &BulkCloner::finished, this, [this, then](int accepted, int refused) {
        m_err << "note: " << accepted << " of " << m_bulk->items().size() << " clones accepted"
              << (refused ? QStringLiteral(", %1 refused").arg(refused) : QString()) << Qt::endl;
        QStringList locations;
        for (const BulkCloner::Item &item : m_bulk->items()) {
            if (item.state == BulkCloner::Item::State::Accepted)
                locations.append(item.result.location);
        }
        if (then == Then::Exit || locations.isEmpty()) {
            emit finished(refused ? 1 : 0);
            return;
        }
        m_refusedInBulk = refused;
        watch(locations, false);
    });
    QString problem;
    // The plan is saved (and named) before the first clone leaves; its line comes first.
    connect(m_bulk.get(), &BulkCloner::progress, this,
            [this, announced = false](int, int total) mutable {
                if (!announced)
                    announcePlan(m_bulk->planId(), total);
                announced = true;
            });
    if (!m_bulk->start(plan.bulkCommon, plan.bulkNames, problem)) {
        m_err << "error: " << printable(problem) << Qt::endl;
        emit finished(WatchSession::UsageError);
    }
}

void StartCommands::watch(const QStringList &locations, bool waitReady)
{
    WatchSession::Options options = m_watch;
    options.locations = locations;
    options.teams.clear();
    m_session = std::make_unique<WatchSession>(options, m_clock, m_out, m_err);
    const QString location = locations.value(0);
    connect(m_session.get(), &WatchSession::finished, this,
            [this, location, waitReady](int exitCode) {
                if (exitCode == 0 && waitReady)
                    waitUntilReady(location);
                else
                    emit finished(exitCode == 0 && m_refusedInBulk ? 1 : exitCode);
            });
    if (!m_session->start())
        emit finished(WatchSession::UsageError);
}

void StartCommands::waitUntilReady(const QString &location)
{
    const LocationResolution resolved = resolveLocation(location, m_watch.graphUrl);
    if (!resolved.ref) {
        emit finished(WatchSession::UsageError);
        return;
    }
    m_readiness = std::make_unique<CloneReadinessTracker>(*m_client, m_clock);
    m_readiness->setSpacing(std::chrono::duration_cast<std::chrono::seconds>(m_watch.interval));
    m_readiness->expect(*resolved.ref, m_request.clonedParts());
    connect(m_readiness.get(), &CloneReadinessTracker::changed, this,
            [this, location](const QString &key) {
                const CloneReadiness readiness = *m_readiness->readiness(key);
                const QString text = readiness.detailedText();
                if (m_watch.json) {
                    // Each step for scripts too: -1 not known yet, -2 not allowed to check.
                    m_out << jsonPrintable(
                                 QJsonDocument(
                                     QJsonObject{
                                         {QStringLiteral("location"), location},
                                         {QStringLiteral("readiness"), text},
                                         {QStringLiteral("ready"),
                                          readiness.state == CloneReadiness::State::Ready},
                                         {QStringLiteral("readable"), readiness.readable},
                                         {QStringLiteral("channels"), readiness.channels},
                                         {QStringLiteral("channelsExpected"),
                                          readiness.channelsExpected},
                                         {QStringLiteral("files"), readiness.files},
                                         {QStringLiteral("filesExpected"), readiness.filesExpected},
                                         {QStringLiteral("owners"), readiness.owners}})
                                     .toJson(QJsonDocument::Compact))
                          << Qt::endl;
                } else {
                    m_out << printable(location) << " readiness: " << printable(text) << Qt::endl;
                }
            });
    // Given up: as for --timeout.
    connect(
        m_readiness.get(), &CloneReadinessTracker::settled, this,
        [this](const QString &, bool ready) { emit finished(ready ? 0 : WatchSession::TimedOut); });
    m_readiness->checkOperation(resolved.ref->key());
}

void StartCommands::report(const TeamRequest &request, const OperationStarter::Result &result)
{
    if (!result.accepted) {
        m_err << "error: " << TeamRequest::kindName(request.kind)
              << " refused: " << printable(result.message) << Qt::endl;
        // What support asks for, above all when nobody knows whether it started.
        m_err << "note: client-request-id " << result.clientRequestId;
        if (!result.requestId.isEmpty())
            m_err << ", request-id " << printable(result.requestId);
        m_err << Qt::endl;
        if (result.maybeStarted && m_database) {
            m_err << "note: kept in " << printable(m_database->path())
                  << " as a start whose outcome is unknown; `teamsops-cli plans` lists it, "
                     "`teamsops-cli resume` looks again and sends it only if it did not start"
                  << Qt::endl;
        }
        if (m_watch.json) {
            m_out << jsonPrintable(
                         QJsonDocument(
                             QJsonObject{
                                 {QStringLiteral("request"), request.label},
                                 {QStringLiteral("accepted"), false},
                                 {QStringLiteral("maybeStarted"), result.maybeStarted},
                                 {QStringLiteral("httpStatus"), result.httpStatus},
                                 {QStringLiteral("error"), result.errorCode},
                                 {QStringLiteral("message"), result.message},
                                 {QStringLiteral("attempts"), result.attempts},
                                 {QStringLiteral("clientRequestId"), result.clientRequestId},
                                 {QStringLiteral("requestId"), result.requestId}})
                             .toJson(QJsonDocument::Compact))
                  << Qt::endl;
        }
        return;
    }
    if (request.kind == TeamRequest::Kind::CreateOperation) {
        m_out << jsonPrintable(
            QJsonDocument(result.created)
                .toJson(m_watch.json ? QJsonDocument::Compact : QJsonDocument::Indented));
        if (m_watch.json)
            m_out << Qt::endl;
        m_out.flush();
        return;
    }
    if (m_watch.json) {
        m_out << jsonPrintable(
                     QJsonDocument(
                         QJsonObject{{QStringLiteral("request"), request.label},
                                     {QStringLiteral("accepted"), true},
                                     {QStringLiteral("location"), result.location},
                                     {QStringLiteral("operationId"),
                                      result.ref ? result.ref->operationId : QString()},
                                     {QStringLiteral("teamId"),
                                      result.ref ? result.ref->teamId : QString()},
                                     {QStringLiteral("attempts"), result.attempts},
                                     {QStringLiteral("clientRequestId"), result.clientRequestId},
                                     {QStringLiteral("requestId"), result.requestId}})
                         .toJson(QJsonDocument::Compact))
              << Qt::endl;
    } else {
        m_out << printable(result.location) << Qt::endl;
    }
}
