// Starting operations against the simulator over real HTTP on a manual clock: the requests as
// Graph's rules want them (checked before sending), 202 with its Location resolved, a throttled
// request sent again after Retry-After and never twice, an unanswered one never sent again, and
// the request's own errors (400, 403, 404, 409) in plain words with Graph's message.
#include "graph/graphclient.h"
#include "polling/operationpoller.h"
#include "simfixture.h"
#include "start/bulkclone.h"
#include "start/clonereadinesstracker.h"
#include "start/operationstarter.h"
#include "start/startresolver.h"
#include "start/teamrequests.h"
#include "store/operationdatabase.h"
#include "store/startjournal.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

#include <optional>

using namespace std::chrono;

namespace {

const QString kTemplate = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
const QString kOrgWide = QStringLiteral("0b7e9c1d-2a3f-4e5b-8c6d-7e8f9a0b1c2d");
const QString kNotOwned = QStringLiteral("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d");
const QString kArchived = QStringLiteral("7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
// Microsoft 365 groups that are not teams yet: one known everywhere, one made a minute ago.
const QString kGroup = QStringLiteral("8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b");
const QString kNewGroup = QStringLiteral("9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c");

QJsonObject scenario(double cloneSettleSeconds = 20)
{
    QJsonObject orgWide = team(kOrgWide, "Everyone at Contoso");
    orgWide.insert("isOrgWide", true);
    QJsonObject notOwned = team(kNotOwned, "Finance");
    notOwned.insert("readOnly", true);
    QJsonObject archived = team(kArchived, "Old project");
    archived.insert("isArchived", true);
    QJsonObject source = team(kTemplate, "Template");
    source.insert("channels", QJsonArray{"General", "Design", "Build", "Ship"});
    source.insert("privateChannels", QJsonArray{"Leads only"});
    source.insert("apps", QJsonArray{"Planner", "Wiki"});
    return QJsonObject{
        {"teams", QJsonArray{source, orgWide, notOwned, archived}},
        {"groups",
         QJsonArray{QJsonObject{{"id", kGroup}, {"displayName", "Project group"}},
                    QJsonObject{
                        {"id", kNewGroup}, {"displayName", "New group"}, {"replicatesAfter", 60}}}},
        {"cloneSettleSeconds", cloneSettleSeconds}};
}

// The simulator's id of a team's General channel, as GET /teams/{id}/channels gives it.
QString generalOf(const QString &teamId)
{
    return QStringLiteral("19:%1-general@thread.tacv2").arg(teamId.left(8));
}

struct Rig
{
    explicit Rig(double cloneSettleSeconds = 20)
        : sim(scenario(cloneSettleSeconds))
    {}
    SimFixture sim;
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    OperationStarter starter{client, sim.clock};

    std::optional<OperationStarter::Result> send(const TeamRequest &request)
    {
        std::optional<OperationStarter::Result> result;
        starter.start(request, [&result](const OperationStarter::Result &r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10000))
            return std::nullopt;
        return result;
    }
    TeamRequest clone(const QString &team, const QString &name, QStringList parts = {})
    {
        QString problem;
        TeamRequest request = cloneRequest({team, name, {}, {}, {}, parts}, problem);
        if (!problem.isEmpty())
            qFatal("clone request: %s", qPrintable(problem));
        return request;
    }
    int posts() const
    {
        int count = 0;
        for (const SimRequestRecord &record : sim.server.requests())
            count += record.method == "POST" ? 1 : 0;
        return count;
    }
};

} // namespace

class TestStartOperations : public QObject
{
    Q_OBJECT

private slots:
    void requestsFollowGraphsRules();
    void aCloneIsAcceptedAndItsLocationNamesTheOperation();
    void archiveUnarchiveAndCreateAreAcceptedToo();
    void channelsAreArchivedAndUnarchivedAsGraphDocumentsIt();
    void aTeamFromANewGroupWaitsForReplicationThenLooksBeforeASecondTry();
    void createTeamsAsyncOperationAnswers201WithTheObject();
    void aThrottledRequestIsSentAgainAfterRetryAfterAndNeverTwice();
    void anUnansweredRequestIsNeverSentAgain();
    void aLostAnswerNeverSendsTheRequestTwice_data();
    void aLostAnswerNeverSendsTheRequestTwice();
    void everyStartRequestCarriesItsOwnClientRequestId();
    void aBulkWithALostAnswerSendsEachCloneOnce();
    void aStartIsJournaledBeforeItLeavesAndItsAnswerReplacesIt();
    void aStartThatCannotBeJournaledIsNotSent();
    void aStartWhoseAnswerWasLostIsFoundByLooking_data();
    void aStartWhoseAnswerWasLostIsFoundByLooking();
    void aStartThatNeverArrivedIsNotStartedAfterTheGracePeriod();
    void anotherTeamsCloneIsNotTakenForThisOne();
    void aRefusalForWorkThatStartedIsLookedForFirst_data();
    void aRefusalForWorkThatStartedIsLookedForFirst();
    void refusalsSayWhatHappenedInPlainWords_data();
    void refusalsSayWhatHappenedInPlainWords();
    void aClonesTeamIsReadyOnceEveryStepIsComplete();
    void readinessGivesUpAfterThirtyMinutes();
    void readinessSaysWhatThisAccountMayNotCheck();
    void bulkNamesFromAPatternOrACsv();
    void aBulkOfFiftyIsPacedWithoutA429AndRefusalsCanBeRetried();
    void aBulkSharesTheTeamBudgetWithPolling();
};

void TestStartOperations::requestsFollowGraphsRules()
{
    QString problem;
    TeamRequest clone = cloneRequest({kTemplate,
                                      "  Project 7 ",
                                      "For the team",
                                      "General",
                                      "public",
                                      {"apps", "Tabs", "channels"}},
                                     problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(clone.path, QStringLiteral("/teams/%1/clone").arg(kTemplate));
    QCOMPARE(clone.body.value("displayName").toString(), QStringLiteral("Project 7"));
    QCOMPARE(clone.body.value("partsToClone").toString(), QStringLiteral("apps,tabs,channels"));
    QCOMPARE(clone.body.value("visibility").toString(), QStringLiteral("public"));
    QCOMPARE(clone.body.value("classification").toString(), QStringLiteral("General"));
    QCOMPARE(clone.expectedStatus(), 202);

    // Tabs need apps and channels; a name is required; parts and visibility are Graph's words.
    cloneRequest({kTemplate, "X", {}, {}, {}, {"tabs", "channels"}}, problem);
    QVERIFY2(problem.contains("without cloning apps"), qPrintable(problem));
    cloneRequest({kTemplate, "X", {}, {}, {}, {"apps", "tabs"}}, problem);
    QVERIFY2(problem.contains("without cloning channels"), qPrintable(problem));
    cloneRequest({kTemplate, "   ", {}, {}, {}, {}}, problem);
    QVERIFY2(problem.contains("display name is required"), qPrintable(problem));
    cloneRequest({kTemplate, "X", {}, {}, {}, {"wiki"}}, problem);
    QVERIFY2(problem.contains("“wiki” is not a part"), qPrintable(problem));
    cloneRequest({kTemplate, "X", {}, {}, "secret", {}}, problem);
    QVERIFY2(problem.contains("public or private"), qPrintable(problem));
    cloneRequest({"../../me", "X", {}, {}, {}, {}}, problem);
    QVERIFY2(problem.contains("not a team id"), qPrintable(problem));
    cloneRequest({kTemplate, QString(257, 'n'), {}, {}, {}, {}}, problem);
    QVERIFY2(problem.contains("256"), qPrintable(problem));

    const TeamRequest archive = archiveRequest(kTemplate, true, problem);
    QCOMPARE(archive.body.value("shouldSetSpoSiteReadOnlyForMembers").toBool(), true);
    QVERIFY(archiveRequest(kTemplate, false, problem).body.isEmpty());
    const TeamRequest create = createTeamRequest({"New", {}, {}}, problem);
    QCOMPARE(create.path, QStringLiteral("/teams"));
    QVERIFY(
        create.body.value("template@odata.bind").toString().endsWith("teamsTemplates('standard')"));
    QCOMPARE(
        createOperationRequest(kTemplate, {{"operationType", "cloneTeam"}}, true, problem).path,
        QStringLiteral("/me/joinedTeams/%1/team/operations").arg(kTemplate));
    QCOMPARE(createOperationRequest(kTemplate, {}, false, problem).path, QString());
    QVERIFY(problem.contains("JSON object"));
}

void TestStartOperations::aCloneIsAcceptedAndItsLocationNamesTheOperation()
{
    Rig rig;
    const auto result = rig.send(rig.clone(kTemplate, "Project 7", {"apps", "tabs", "channels"}));
    QVERIFY(result);
    QVERIFY2(result->accepted, qPrintable(result->message));
    QCOMPARE(result->httpStatus, 202);
    QCOMPARE(result->attempts, 1);
    QVERIFY(result->ref);
    QCOMPARE(result->ref->teamId, kTemplate);
    // It is the operation the simulator made, and it is a clone.
    const SimOperation *op = rig.sim.tenant.operation(kTemplate, result->ref->operationId);
    QVERIFY(op);
    QCOMPARE(op->type, QStringLiteral("cloneTeam"));
    QCOMPARE(op->producesTeam->displayName, QStringLiteral("Project 7"));
    QCOMPARE(result->location, result->ref->location());
}

void TestStartOperations::archiveUnarchiveAndCreateAreAcceptedToo()
{
    Rig rig;
    QString problem;
    auto archived = rig.send(archiveRequest(kTemplate, true, problem));
    QVERIFY(archived && archived->accepted);
    QCOMPARE(rig.sim.tenant.operation(kTemplate, archived->ref->operationId)->type,
             QStringLiteral("archiveTeam"));
    auto unarchived = rig.send(unarchiveRequest(kArchived, problem));
    QVERIFY(unarchived && unarchived->accepted);
    QCOMPARE(unarchived->ref->teamId, kArchived);
    auto created = rig.send(createTeamRequest({"Brand new", "desc", "public"}, problem));
    QVERIFY(created && created->accepted);
    QCOMPARE(rig.sim.tenant.operation(created->ref->teamId, created->ref->operationId)->type,
             QStringLiteral("createTeam"));
}

// POST /teams/{id}/channels/{id}/archive and /unarchive: 202 and a Location naming an
// archiveChannel (unarchiveChannel) operation; a channel id that would change the path is refused
// before sending; Graph's refusals (an archived team, an unknown channel) in plain words.
void TestStartOperations::channelsAreArchivedAndUnarchivedAsGraphDocumentsIt()
{
    Rig rig;
    QString problem;
    for (const bool archive : {true, false}) {
        const auto result =
            rig.send(channelArchiveRequest(kTemplate, generalOf(kTemplate), archive, problem));
        QVERIFY(problem.isEmpty());
        QVERIFY(result && result->accepted);
        QCOMPARE(rig.sim.server.requests().constLast().path,
                 QStringLiteral("/v1.0/teams/%1/channels/%2/%3")
                     .arg(kTemplate, generalOf(kTemplate),
                          archive ? QStringLiteral("archive") : QStringLiteral("unarchive")));
        QCOMPARE(rig.sim.tenant.operation(kTemplate, result->ref->operationId)->type,
                 archive ? QStringLiteral("archiveChannel") : QStringLiteral("unarchiveChannel"));
    }
    QVERIFY(channelArchiveRequest(kTemplate, "../../teams", true, problem).path.isEmpty());
    QVERIFY(problem.contains("is not a channel id"));
    const int posts = rig.posts();
    const auto archivedTeam =
        rig.send(channelArchiveRequest(kArchived, generalOf(kArchived), true, problem));
    QVERIFY(archivedTeam && !archivedTeam->accepted);
    QVERIFY2(archivedTeam->message.contains("The team is archived"),
             qPrintable(archivedTeam->message));
    const auto unknown =
        rig.send(channelArchiveRequest(kTemplate, "19:nosuch@thread.tacv2", true, problem));
    QVERIFY(unknown && !unknown->accepted);
    QCOMPARE(unknown->httpStatus, 404);
    QCOMPARE(rig.posts(), posts + 2);
}

void TestStartOperations::createTeamsAsyncOperationAnswers201WithTheObject()
{
    Rig rig;
    QString problem;
    const QJsonObject body{{"@odata.type", "#microsoft.graph.teamsAsyncOperation"},
                           {"operationType", "archiveTeam"},
                           {"status", "inProgress"},
                           {"attemptsCount", 13}};
    for (const bool viaJoinedTeams : {false, true}) {
        const auto result =
            rig.send(createOperationRequest(kTemplate, body, viaJoinedTeams, problem));
        QVERIFY(result);
        QVERIFY2(result->accepted, qPrintable(result->message));
        QCOMPARE(result->httpStatus, 201);
        QCOMPARE(result->created.value("attemptsCount").toInt(), 13);
        QVERIFY(!result->created.value("id").toString().isEmpty());
        QVERIFY(rig.sim.tenant.operation(kTemplate, result->created.value("id").toString()));
    }
}

void TestStartOperations::aThrottledRequestIsSentAgainAfterRetryAfterAndNeverTwice()
{
    Rig rig;
    rig.sim.server.injectFault(SimFault::answer(QStringLiteral("/clone"), 429, "20", 2));
    QSignalSpy waiting(&rig.starter, &OperationStarter::waiting);
    std::optional<OperationStarter::Result> result;
    rig.starter.start(rig.clone(kTemplate, "Throttled"),
                      [&result](const OperationStarter::Result &r) { result = r; });
    QTRY_COMPARE(waiting.size(), 1);
    QCOMPARE(waiting.first().first().value<seconds>(), seconds(20));
    // Nothing is sent before the wait is over (a moved clock is looked at at once)...
    QCOMPARE(rig.starter.attemptsSent(), 1);
    rig.sim.clock.advance(seconds(19));
    QCOMPARE(rig.starter.attemptsSent(), 1);
    // ...and it is sent again as soon as it is.
    rig.sim.clock.advance(seconds(1));
    QCOMPARE(rig.starter.attemptsSent(), 2);
    QTRY_COMPARE(waiting.size(), 2);
    rig.sim.clock.advance(seconds(20));
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->accepted, qPrintable(result->message));
    QCOMPARE(result->attempts, 3);
    QCOMPARE(rig.posts(), 3);
    // Exactly one clone exists: the two refused sends made none.
    QCOMPARE(rig.sim.tenant.operationsOf(kTemplate).size(), 1);

    // The simulator's own clone limit (6 a second, 4 a second on one team) throttles a burst;
    // every request still ends up accepted once, and nothing twice.
    Rig burst;
    int accepted = 0;
    for (int i = 0; i < 8; ++i) {
        OperationStarter starter(burst.client, burst.sim.clock);
        std::optional<OperationStarter::Result> one;
        QSignalSpy waits(&starter, &OperationStarter::waiting);
        starter.start(burst.clone(kTemplate, QStringLiteral("Burst %1").arg(i)),
                      [&one](const OperationStarter::Result &r) { one = r; });
        // This request's own answer: accepted, or throttled (then it waits its Retry-After).
        QTRY_VERIFY(one.has_value() || !waits.isEmpty());
        while (!one) {
            QVERIFY(!waits.isEmpty());
            burst.sim.clock.advance(waits.takeFirst().first().value<seconds>());
            QTRY_VERIFY(one.has_value() || !waits.isEmpty());
        }
        accepted += one->accepted ? 1 : 0;
    }
    QCOMPARE(accepted, 8);
    QVERIFY(burst.sim.server.throttled() > 0);
    QCOMPARE(burst.sim.tenant.operationsOf(kTemplate).size(), 8);
}

void TestStartOperations::anUnansweredRequestIsNeverSentAgain()
{
    Rig rig;
    rig.client.setTransferTimeout(milliseconds(300));
    rig.client.setReplyDeadline(milliseconds(500));
    SimFault hang;
    hang.pathContains = QStringLiteral("/clone");
    hang.kind = QStringLiteral("hang");
    hang.times = 1;
    rig.sim.server.injectFault(hang);
    const auto result = rig.send(rig.clone(kTemplate, "Lost on the way"));
    QVERIFY(result);
    QVERIFY(!result->accepted);
    QVERIFY(result->maybeStarted);
    QCOMPARE(result->attempts, 1);
    QCOMPARE(rig.posts(), 1);
    QVERIFY2(result->message.contains("may or may not have started"), qPrintable(result->message));
}

void TestStartOperations::aLostAnswerNeverSendsTheRequestTwice_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("fault");
    for (const char *fault : {"close", "abort"}) {
        for (const char *kind : {"clone", "archive", "unarchive", "create", "operations create"})
            QTest::addRow("%s, %s", kind, fault) << QString::fromLatin1(kind) << fault;
    }
}

// The service takes the request, then the connection closes (or is reset) before any byte of the
// answer: Qt's HTTP layer would send the request again by itself on a new connection. It must
// not: the simulator sees exactly one POST, and the result says the outcome is unknown.
void TestStartOperations::aLostAnswerNeverSendsTheRequestTwice()
{
    QFETCH(QString, kind);
    QFETCH(QString, fault);
    Rig rig;
    SimFault lost;
    lost.method = "POST";
    lost.kind = fault;
    lost.times = 1;
    rig.sim.server.injectFault(lost);
    QString problem;
    TeamRequest request;
    if (kind == "clone")
        request = rig.clone(kTemplate, "Answer lost");
    else if (kind == "archive")
        request = archiveRequest(kTemplate, false, problem);
    else if (kind == "unarchive")
        request = unarchiveRequest(kArchived, problem);
    else if (kind == "create")
        request = createTeamRequest({"Answer lost", "desc", "private"}, problem);
    else
        request = createOperationRequest(kTemplate, QJsonObject{{"operationType", "archiveTeam"}},
                                         false, problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const auto result = rig.send(request);
    QVERIFY(result);
    // What the other side saw: one POST, which it served.
    QCOMPARE(rig.posts(), 1);
    QCOMPARE(rig.sim.server.requests().constLast().status / 100, 2);
    QVERIFY(!result->accepted);
    QVERIFY(result->maybeStarted);
    QCOMPARE(result->attempts, 1);
    QVERIFY2(result->message.contains("may or may not have started"), qPrintable(result->message));
}

void TestStartOperations::everyStartRequestCarriesItsOwnClientRequestId()
{
    Rig rig;
    const auto first = rig.send(rig.clone(kTemplate, "First"));
    const auto second = rig.send(rig.clone(kTemplate, "Second"));
    QVERIFY(first && first->accepted && second && second->accepted);
    const QList<SimRequestRecord> &seen = rig.sim.server.requests();
    QCOMPARE(seen.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const OperationStarter::Result &result = i == 0 ? *first : *second;
        // A UUID, sent with the request, kept in the result, echoed by Graph with its request-id.
        QVERIFY(!QUuid::fromString(QString::fromLatin1(seen[i].clientRequestId)).isNull());
        QCOMPARE(result.clientRequestId, QString::fromLatin1(seen[i].clientRequestId));
        QCOMPARE(result.requestId, QString::fromLatin1(seen[i].requestId));
    }
    QVERIFY(first->clientRequestId != second->clientRequestId);
}

// "A bulk of three sent four": the first clone's answer is lost (the connection is reset once the
// service took it); the other two go on, and the simulator sees three POSTs and three clones.
void TestStartOperations::aBulkWithALostAnswerSendsEachCloneOnce()
{
    Rig rig;
    SimFault lost;
    lost.method = "POST";
    lost.pathContains = QStringLiteral("/clone");
    lost.kind = QStringLiteral("abort");
    lost.times = 1;
    rig.sim.server.injectFault(lost);
    BulkCloner bulk(rig.client, rig.sim.clock);
    QSignalSpy finished(&bulk, &BulkCloner::finished);
    QString problem;
    QVERIFY(bulk.start({kTemplate, {}, {}, {}, {}, {}}, namesFromPattern("Lost {n}", 3, 1, problem),
                       problem));
    const auto sending = [&bulk] {
        return std::any_of(bulk.items().cbegin(), bulk.items().cend(), [](const auto &item) {
            return item.state == BulkCloner::Item::State::Sending;
        });
    };
    for (int step = 0; step < 200 && bulk.isRunning(); ++step) {
        rig.sim.clock.advance(milliseconds(500));
        QVERIFY(QTest::qWaitFor([&] { return !sending(); }, 5000));
    }
    QCOMPARE(finished.size(), 1);
    QCOMPARE(rig.posts(), 3);
    QCOMPARE(rig.sim.tenant.operationsOf(kTemplate).size(), 3); // the lost one started too
    QCOMPARE(bulk.accepted(), 2);
    QVERIFY(bulk.items().first().result.maybeStarted);
}

// The intent is in the store while Graph holds the request (read by another connection, as
// another process would), and the answer replaces it: accepted with its Location, refused with
// its reason, unknown when the answer is lost; a throttled start stays one intent throughout.
void TestStartOperations::aStartIsJournaledBeforeItLeavesAndItsAnswerReplacesIt()
{
    Rig rig;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    OperationDatabase database;
    QVERIFY(database.open(path).ok);
    StartJournal journal(database);
    rig.starter.setJournal(&journal);
    OperationDatabase elsewhere; // another process's view of the same file
    QVERIFY(elsewhere.open(path).ok);
    StartJournal seenElsewhere(elsewhere);

    SimFault held;
    held.method = "POST";
    held.kind = QStringLiteral("hang");
    held.times = 1;
    rig.sim.server.injectFault(held);
    rig.client.setClock(&rig.sim.clock); // the reply deadline (2 min) on the test's clock
    std::optional<OperationStarter::Result> lost;
    rig.starter.start(rig.clone(kTemplate, "Held"),
                      [&lost](const OperationStarter::Result &r) { lost = r; });
    QTRY_COMPARE(rig.sim.server.requestsHeld(), 1);
    const auto whileHeld = seenElsewhere.unresolved();
    QVERIFY(whileHeld);
    QCOMPARE(whileHeld->size(), 1);
    QCOMPARE(whileHeld->first().state, StartRecord::State::Intent);
    QCOMPARE(whileHeld->first().kind, QStringLiteral("clone"));
    QCOMPARE(whileHeld->first().clientRequestId,
             QString::fromLatin1(rig.sim.server.requests().constLast().clientRequestId));
    QVERIFY(whileHeld->first().body.contains("Held"));
    rig.sim.clock.advance(seconds(121)); // the client gives up: the outcome is unknown
    QTRY_VERIFY(lost.has_value());
    QCOMPARE(seenElsewhere.find(lost->clientRequestId)->state, StartRecord::State::Unknown);

    rig.sim.server.injectFault(SimFault::answer(QStringLiteral("/clone"), 429, "5", 1));
    QSignalSpy waiting(&rig.starter, &OperationStarter::waiting);
    std::optional<OperationStarter::Result> accepted;
    rig.starter.start(rig.clone(kTemplate, "Taken"),
                      [&accepted](const OperationStarter::Result &r) { accepted = r; });
    QTRY_COMPARE(waiting.size(), 1);
    QCOMPARE(seenElsewhere.unresolved()->size(), 2); // still an intent while it waits
    rig.sim.clock.advance(seconds(5));
    QTRY_VERIFY(accepted.has_value());
    QVERIFY2(accepted->accepted, qPrintable(accepted->message));
    QCOMPARE(accepted->attempts, 2);
    const auto taken = seenElsewhere.find(accepted->clientRequestId);
    QVERIFY(taken);
    QCOMPARE(taken->state, StartRecord::State::Accepted);
    QCOMPARE(taken->location, accepted->location);
    QCOMPARE(taken->requestId, accepted->requestId);
    QCOMPARE(seenElsewhere.findByLocation(accepted->location)->clientRequestId,
             accepted->clientRequestId);

    QString problem;
    const auto refused = rig.send(unarchiveRequest(kTemplate, problem)); // not archived: 409
    QVERIFY(refused && !refused->accepted);
    const auto no = seenElsewhere.find(refused->clientRequestId);
    QCOMPARE(no->state, StartRecord::State::Refused);
    QCOMPARE(no->httpStatus, 409);
    QCOMPARE(no->message, refused->message);
    QCOMPARE(seenElsewhere.unresolved()->size(), 1); // the held one alone
}

void TestStartOperations::aStartThatCannotBeJournaledIsNotSent()
{
    Rig rig;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    {
        OperationDatabase create;
        QVERIFY(create.open(path).ok);
    }
    OperationDatabase readOnly;
    QVERIFY(readOnly.open(path, OperationDatabase::Access::ReadOnly).ok);
    StartJournal journal(readOnly);
    rig.starter.setJournal(&journal);
    const auto result = rig.send(rig.clone(kTemplate, "Untraced"));
    QVERIFY(result);
    QVERIFY(!result->accepted);
    QVERIFY(!result->maybeStarted);
    QCOMPARE(result->attempts, 0);
    QVERIFY2(result->message.startsWith("not sent: TeamsOps saves a start request before sending "
                                        "it, and the store cannot be written"),
             qPrintable(result->message));
    QCOMPARE(rig.posts(), 0);
}

namespace {

// A rig whose starts are journaled in a store file, and a resolver that writes there too.
struct JournaledRig : Rig
{
    QTemporaryDir dir;
    OperationDatabase database;
    std::unique_ptr<StartJournal> journal;
    StartResolver resolver{client, sim.clock};

    JournaledRig()
    {
        if (!database.open(dir.filePath(QStringLiteral("store.sqlite"))).ok)
            qFatal("cannot open the test store");
        journal = std::make_unique<StartJournal>(database);
        starter.setJournal(journal.get());
        resolver.setJournal(journal.get());
    }
    // Sends `request` through a fault of `kind` on its POST; its outcome is unknown.
    std::optional<StartRecord> lose(const TeamRequest &request, const QString &kind)
    {
        SimFault fault;
        fault.method = "POST";
        fault.kind = kind;
        fault.times = 1;
        sim.server.injectFault(fault);
        const auto result = send(request);
        if (!result || !result->maybeStarted)
            return std::nullopt;
        return journal->find(result->clientRequestId);
    }
    // Looks, moving the clock by the resolver's spacing until it answers.
    std::optional<StartResolver::Outcome> look(const StartRecord &start,
                                               StartResolver::AtDeadline atDeadline)
    {
        std::optional<StartResolver::Outcome> outcome;
        resolver.resolve(start, duration_cast<seconds>(StartResolver::kGracePeriod), atDeadline,
                         [&outcome](const StartResolver::Outcome &o) { outcome = o; });
        for (int step = 0; step < 100 && !outcome; ++step) {
            if (!QTest::qWaitFor([&] { return outcome.has_value() || resolver.isWaiting(); }, 5000))
                return std::nullopt;
            if (!outcome)
                sim.clock.advance(seconds(10));
        }
        return outcome;
    }
};

} // namespace

void TestStartOperations::aStartWhoseAnswerWasLostIsFoundByLooking_data()
{
    QTest::addColumn<QString>("kind");
    for (const char *kind :
         {"clone", "archive", "unarchive", "create", "archive-channel", "teamify"})
        QTest::newRow(kind) << QString::fromLatin1(kind);
}

// The service took the request and the answer was lost: looking at Graph finds the operation,
// the journal learns it, and nothing is sent again.
void TestStartOperations::aStartWhoseAnswerWasLostIsFoundByLooking()
{
    QFETCH(QString, kind);
    JournaledRig rig;
    QString problem;
    const TeamRequest request =
        kind == "clone"       ? rig.clone(kTemplate, "Found again")
        : kind == "archive"   ? archiveRequest(kTemplate, false, problem)
        : kind == "unarchive" ? unarchiveRequest(kArchived, problem)
        : kind == "create"    ? createTeamRequest({"Found again", "desc", "private"}, problem)
        : kind == "teamify"   ? teamifyRequest(kGroup, problem)
                            : channelArchiveRequest(kTemplate, generalOf(kTemplate), true, problem);
    const auto lost = rig.lose(request, QStringLiteral("close"));
    QVERIFY(lost);
    QCOMPARE(lost->state, StartRecord::State::Unknown);
    const auto outcome = rig.look(*lost, StartResolver::AtDeadline::NotStarted);
    QVERIFY(outcome);
    QVERIFY2(outcome->kind == StartResolver::Outcome::Kind::Found, qPrintable(outcome->message));
    // The operation the simulator made for that one POST.
    const SimOperation *made =
        rig.sim.tenant.operation(outcome->ref->teamId, outcome->ref->operationId);
    QVERIFY(made);
    QCOMPARE(made->type, kind == "clone"       ? QStringLiteral("cloneTeam")
                         : kind == "archive"   ? QStringLiteral("archiveTeam")
                         : kind == "unarchive" ? QStringLiteral("unarchiveTeam")
                         : kind == "create"    ? QStringLiteral("createTeam")
                         : kind == "teamify"   ? QStringLiteral("teamifyGroup")
                                               : QStringLiteral("archiveChannel"));
    QCOMPARE(rig.posts(), 1);
    const auto journaled = rig.journal->find(lost->clientRequestId);
    QCOMPARE(journaled->state, StartRecord::State::Accepted);
    QCOMPARE(journaled->location, outcome->location);
    QVERIFY(journaled->message.startsWith("found at Graph"));
}

// The request never reached the service: nothing shows up through the grace period, and the
// start is "not started" (it may be sent again, by the admin's choice), never sent by itself.
void TestStartOperations::aStartThatNeverArrivedIsNotStartedAfterTheGracePeriod()
{
    JournaledRig rig;
    const auto lost = rig.lose(rig.clone(kTemplate, "Never arrived"), QStringLiteral("lost"));
    QVERIFY(lost);
    const int getsBefore = int(rig.sim.server.requests().size()) - rig.posts();
    // A look of a minute says only that nobody knows yet.
    std::optional<StartResolver::Outcome> brief;
    rig.resolver.resolve(*lost, seconds(60), StartResolver::AtDeadline::Unknown,
                         [&brief](const StartResolver::Outcome &o) { brief = o; });
    for (int step = 0; step < 20 && !brief; ++step) {
        QVERIFY(
            QTest::qWaitFor([&] { return brief.has_value() || rig.resolver.isWaiting(); }, 5000));
        if (!brief)
            rig.sim.clock.advance(seconds(10));
    }
    QVERIFY(brief);
    QCOMPARE(brief->kind, StartResolver::Outcome::Kind::Unknown);
    QCOMPARE(rig.journal->find(lost->clientRequestId)->state, StartRecord::State::Unknown);
    // The whole grace period: not started.
    const auto outcome = rig.look(*lost, StartResolver::AtDeadline::NotStarted);
    QVERIFY(outcome);
    QCOMPARE(outcome->kind, StartResolver::Outcome::Kind::NotStarted);
    QVERIFY2(outcome->message.startsWith("not started"), qPrintable(outcome->message));
    QCOMPARE(rig.journal->find(lost->clientRequestId)->state, StartRecord::State::NotStarted);
    QCOMPARE(rig.posts(), 1); // looked at, never sent again
    QVERIFY(int(rig.sim.server.requests().size()) - rig.posts() > getsBefore + 10);
}

// A clone of the same template by someone else, around the same time, that made a team of
// another name, is not taken for the lost one.
void TestStartOperations::anotherTeamsCloneIsNotTakenForThisOne()
{
    JournaledRig rig;
    const auto lost = rig.lose(rig.clone(kTemplate, "Mine"), QStringLiteral("lost"));
    QVERIFY(lost);
    QString problem;
    const auto theirs = rig.send(rig.clone(kTemplate, "Theirs")); // not journaled as ours
    QVERIFY(theirs && theirs->accepted);
    rig.journal->recordAnswer([&] {
        StartRecord forgotten = *rig.journal->find(theirs->clientRequestId);
        forgotten.state = StartRecord::State::Unknown; // as if another TeamsOps had sent it
        forgotten.location.clear();
        return forgotten;
    }());
    // Theirs succeeds and names its team, "Theirs": not the "Mine" asked for.
    rig.sim.clock.advance(seconds(120));
    const auto outcome = rig.look(*lost, StartResolver::AtDeadline::NotStarted);
    QVERIFY(outcome);
    QVERIFY2(outcome->kind == StartResolver::Outcome::Kind::NotStarted,
             qPrintable(outcome->message));
}

void TestStartOperations::aRefusalForWorkThatStartedIsLookedForFirst_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("status");
    QTest::newRow("create, 429") << "create" << 429;
    QTest::newRow("clone, 429") << "clone" << 429;
    QTest::newRow("archive, 429") << "archive" << 429;
    QTest::newRow("archive, 409 already in progress") << "archive" << 409;
}

// Graph answered 429 (or 409 "already in progress") although the work went through: before
// sending again, or before calling it refused, TeamsOps looks, finds the operation, and sends
// nothing more.
void TestStartOperations::aRefusalForWorkThatStartedIsLookedForFirst()
{
    QFETCH(QString, kind);
    QFETCH(int, status);
    JournaledRig rig;
    SimFault refusal;
    refusal.method = "POST";
    refusal.status = status;
    refusal.served = true;
    refusal.times = 1;
    if (status == 429)
        refusal.retryAfter = "5";
    else
        refusal.body = R"({"error":{"code":"Conflict","message":"Team migration provisioning )"
                       R"(already in progress."}})";
    rig.sim.server.injectFault(refusal);
    QString problem;
    // A clone names no team until it succeeds: TeamsOps waits for its name, not sending again.
    const TeamRequest request =
        kind == "create"  ? createTeamRequest({"Went through", "desc", "private"}, problem)
        : kind == "clone" ? cloneRequest({kTemplate, "Went through", {}, {}, {}, {"apps"}}, problem)
                          : archiveRequest(kTemplate, false, problem);
    std::optional<OperationStarter::Result> result;
    rig.starter.start(request, [&result](const OperationStarter::Result &r) { result = r; });
    // Time moves only while TeamsOps waits (a Retry-After, or between two looks).
    for (int step = 0; step < 120 && !result; ++step) {
        QVERIFY(
            QTest::qWaitFor([&] { return result.has_value() || rig.starter.isWaiting(); }, 5000));
        if (!result)
            rig.sim.clock.advance(seconds(5));
    }
    QVERIFY(result);
    QCOMPARE(rig.posts(), 1);
    QVERIFY2(result->accepted, qPrintable(result->message));
    QVERIFY2(result->message.contains("but it had started"), qPrintable(result->message));
    QVERIFY(rig.sim.tenant.operation(result->ref->teamId, result->ref->operationId));
    QCOMPARE(rig.journal->find(result->clientRequestId)->state, StartRecord::State::Accepted);
}

// A team from a group made a minute ago: Graph answers 404 until the group has replicated; the
// request goes again 10 s, 20 s, 40 s later (said on the way) and is then taken. A second team
// from the same group is a 409 that looks at Graph first: its own start is not there, so it is
// refused, in plain words.
void TestStartOperations::aTeamFromANewGroupWaitsForReplicationThenLooksBeforeASecondTry()
{
    JournaledRig rig;
    QSignalSpy waiting(&rig.starter, &OperationStarter::waiting);
    QString problem;
    std::optional<OperationStarter::Result> result;
    rig.starter.start(teamifyRequest(kNewGroup, problem),
                      [&result](const OperationStarter::Result &r) { result = r; });
    for (int step = 0; step < 100 && !result; ++step) {
        QVERIFY(
            QTest::qWaitFor([&] { return result.has_value() || rig.starter.isWaiting(); }, 5000));
        if (!result)
            rig.sim.clock.advance(seconds(5));
    }
    QVERIFY(result);
    QVERIFY2(result->accepted, qPrintable(result->message));
    QCOMPARE(waiting.size(), 3); // 404 at 0, 10 and 30 s; taken at 70 s
    QCOMPARE(waiting.at(0).at(0).value<seconds>(), seconds(10));
    QCOMPARE(waiting.at(2).at(0).value<seconds>(), seconds(40));
    QCOMPARE(rig.posts(), 4);
    QCOMPARE(result->ref->teamId, kNewGroup);
    QCOMPARE(rig.sim.tenant.operation(kNewGroup, result->ref->operationId)->type,
             QStringLiteral("teamifyGroup"));

    const auto again = rig.send(teamifyRequest(kNewGroup, problem));
    QVERIFY(again && !again->accepted);
    QCOMPARE(again->httpStatus, 409);
    QVERIFY2(again->message.contains("already in progress"), qPrintable(again->message));
    QCOMPARE(rig.posts(), 5);
}

void TestStartOperations::refusalsSayWhatHappenedInPlainWords_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("saying");
    const QString clone = QStringLiteral("/teams/%1/clone");
    QTest::newRow("tabs without apps, as the service says")
        << clone.arg(kTemplate) << R"({"displayName":"X","partsToClone":"tabs,channels"})" << 400
        << "Graph refused the request as it was written (InvalidRequest: Tabs cannot be cloned "
           "without cloning Apps as well.)";
    QTest::newRow("org-wide") << clone.arg(kOrgWide) << R"({"displayName":"X"})" << 400
                              << "Org-wide teams cannot be cloned.";
    QTest::newRow("not an owner") << clone.arg(kNotOwned) << R"({"displayName":"X"})" << 403
                                  << "not allowed: the account needs Team.Create";
    QTest::newRow("no such team") << clone.arg("9f9f9f9f-0000-4000-8000-000000000000")
                                  << R"({"displayName":"X"})" << 404 << "no such team";
    QTest::newRow("archived already")
        << QStringLiteral("/teams/%1/archive").arg(kArchived) << "{}" << 409
        << "already archived, or another change to it is running (Conflict: Team is already "
           "archived.)";
    QTest::newRow("not archived") << QStringLiteral("/teams/%1/unarchive").arg(kTemplate) << "{}"
                                  << 409 << "the team is not archived";
}

void TestStartOperations::refusalsSayWhatHappenedInPlainWords()
{
    QFETCH(QString, path);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, saying);
    Rig rig;
    // Sent as written (the builders would refuse some before sending): the service's answer.
    TeamRequest request;
    request.kind = path.endsWith("/archive")     ? TeamRequest::Kind::Archive
                   : path.endsWith("/unarchive") ? TeamRequest::Kind::Unarchive
                                                 : TeamRequest::Kind::Clone;
    request.path = path;
    request.body = QJsonDocument::fromJson(body.toUtf8()).object();
    const auto result = rig.send(request);
    QVERIFY(result);
    QVERIFY(!result->accepted);
    QCOMPARE(result->httpStatus, status);
    QCOMPARE(result->attempts, 1);
    QVERIFY2(result->message.contains(saying), qPrintable(result->message));
}

void TestStartOperations::aClonesTeamIsReadyOnceEveryStepIsComplete()
{
    Rig rig;
    const auto started = rig.send(rig.clone(kTemplate, "Settling", {"apps", "channels"}));
    QVERIFY(started && started->accepted);
    CloneReadinessTracker tracker(rig.client, rig.sim.clock);
    tracker.setSpacing(seconds(2));
    tracker.expect(*started->ref, {"apps", "channels"});
    QStringList seen;
    QSignalSpy settled(&tracker, &CloneReadinessTracker::settled);
    connect(&tracker, &CloneReadinessTracker::changed, this, [&](const QString &key) {
        const QString text = tracker.readiness(key)->detailedText();
        if (seen.isEmpty() || seen.last() != text)
            seen.append(text);
    });
    const QString key = started->ref->key();

    // Graph says succeeded at 65 s; the new team answers 404 for 5 s more.
    rig.sim.clock.advance(seconds(66));
    tracker.checkOperation(key);
    QTRY_COMPARE(tracker.readiness(key)->checks, 1);
    const CloneReadiness first = *tracker.readiness(key);
    QCOMPARE(first.state, CloneReadiness::State::Settling);
    QVERIFY(!first.readable);
    QCOMPARE(first.text(), QStringLiteral("The team is not readable — still settling"));
    QCOMPARE(first.detailedText(), QStringLiteral("Team not readable yet — still settling"));
    // Nothing else is asked of a team that cannot be read yet.
    QCOMPARE(rig.sim.server.requestCount("/channels"), 0);

    // Then, step by step: channels and apps appear, the owner shows, each folder is made.
    for (int i = 0; i < 20 && settled.isEmpty(); ++i) {
        QVERIFY(tracker.isWaiting());
        const int checks = tracker.readiness(key)->checks;
        rig.sim.clock.advance(seconds(2));
        QTRY_VERIFY(tracker.readiness(key)->checks > checks);
    }
    QCOMPARE(settled.size(), 1);
    QCOMPARE(settled.first().at(1).toBool(), true);
    QVERIFY2(std::any_of(seen.cbegin(), seen.cend(),
                         [](const QString &text) {
                             return text.startsWith("Team readable · Channels ") &&
                                    text.contains(" · Files 0 of 4") &&
                                    text.endsWith(" — still settling");
                         }),
             qPrintable(seen.join(" | ")));
    QCOMPARE(seen.last(), QStringLiteral("Ready: Team readable · Channels 4 of 4 · Apps 2 of 2 · "
                                         "Files 4 of 4 · Owners 1"));
    QCOMPARE(tracker.readiness(key)->text(), QStringLiteral("Ready"));

    // What the simulator saw: the source's channels read once, the new team's once a round; each
    // folder asked for until it answered, and never again after.
    const CloneReadiness ready = *tracker.readiness(key);
    QHash<QString, QList<int>> folderAnswers; // by path
    QList<int> teamAnswers;
    int sourceListed = 0;
    int targetListed = 0;
    const QString teamPath =
        QStringLiteral("/v1.0/teams/%1")
            .arg(rig.sim.tenant.operation(kTemplate, started->ref->operationId)->targetTeamId);
    for (const SimRequestRecord &record : rig.sim.server.requests()) {
        if (record.path.endsWith("/filesFolder"))
            folderAnswers[record.path].append(record.status);
        if (record.path == teamPath)
            teamAnswers.append(record.status);
        sourceListed += record.path.endsWith(kTemplate + "/channels");
        targetListed += record.path == teamPath + "/channels";
        // Never more than Graph allows on one team: a round sends at most three to it.
        QVERIFY2(record.status != 429, qPrintable(record.path));
    }
    // The team read until it answered, then no more; the channels until all four were there,
    // not in every round after; the source's once.
    QCOMPARE(teamAnswers.count(200), 1);
    QCOMPARE(teamAnswers.constLast(), 200);
    QCOMPARE(sourceListed, 1);
    QVERIFY(targetListed >= 2);
    QVERIFY2(targetListed < ready.checks - teamAnswers.count(404),
             qPrintable(QString::number(targetListed)));
    QCOMPARE(folderAnswers.size(), 4);
    for (const QList<int> &answers : std::as_const(folderAnswers)) {
        QCOMPARE(answers.constLast(), 200);
        QCOMPARE(answers.count(200), 1);
        QCOMPARE(answers.constFirst(), 404); // the first request is what starts making it
    }
}

void TestStartOperations::readinessGivesUpAfterThirtyMinutes()
{
    Rig rig(100000); // a clone whose channels take days to appear
    const auto started = rig.send(rig.clone(kTemplate, "Slow", {"channels"}));
    QVERIFY(started && started->accepted);
    CloneReadinessTracker tracker(rig.client, rig.sim.clock);
    tracker.setSpacing(seconds(60));
    tracker.expect(*started->ref, {"channels"});
    QSignalSpy settled(&tracker, &CloneReadinessTracker::settled);
    const QString key = started->ref->key();
    rig.sim.clock.advance(seconds(66));
    tracker.checkOperation(key);
    QTRY_COMPARE(tracker.readiness(key)->checks, 1);
    // The default time allowed, a round a minute: still settling at 29 minutes, given up at 30.
    for (int minute = 1; minute <= 30; ++minute) {
        QVERIFY(settled.isEmpty());
        QVERIFY(tracker.isWaiting());
        const int checks = tracker.readiness(key)->checks;
        rig.sim.clock.advance(seconds(60));
        QTRY_VERIFY(tracker.readiness(key)->checks > checks);
    }
    QCOMPARE(settled.size(), 1);
    QCOMPARE(settled.first().at(1).toBool(), false);
    QVERIFY(!tracker.isWaiting());
    QCOMPARE(tracker.readiness(key)->text(),
             QStringLiteral("Gave up waiting: channels 1 of 4, files 1 of 4"));
    QCOMPARE(tracker.readiness(key)->checks, 31);
    // Readiness of a clone that has not succeeded: checked once, and said.
    const auto pending = rig.send(rig.clone(kTemplate, "Not yet"));
    tracker.expect(*pending->ref, {});
    QSignalSpy again(&tracker, &CloneReadinessTracker::settled);
    tracker.checkOperation(pending->ref->key());
    QTRY_COMPARE(again.size(), 1);
    QVERIFY(tracker.readiness(pending->ref->key())->text().contains("has not succeeded"));
}

void TestStartOperations::readinessSaysWhatThisAccountMayNotCheck()
{
    Rig rig;
    const auto started = rig.send(rig.clone(kTemplate, "Members hidden", {"channels"}));
    QVERIFY(started && started->accepted);
    // Graph refuses the members and the files folders to an account without those scopes.
    rig.sim.tenant.faults().add(SimFault::answer("/members", 403, {}, -1));
    rig.sim.tenant.faults().add(SimFault::answer("/filesFolder", 403, {}, -1));
    CloneReadinessTracker tracker(rig.client, rig.sim.clock);
    tracker.setSpacing(seconds(2));
    tracker.expect(*started->ref, {"channels"});
    QSignalSpy settled(&tracker, &CloneReadinessTracker::settled);
    const QString key = started->ref->key();
    rig.sim.clock.advance(seconds(66));
    tracker.checkOperation(key);
    for (int i = 0; i < 20 && settled.isEmpty(); ++i) {
        QTRY_VERIFY(!settled.isEmpty() || tracker.isWaiting());
        if (!settled.isEmpty())
            break;
        rig.sim.clock.advance(seconds(2));
    }
    QTRY_COMPARE(settled.size(), 1);
    QCOMPARE(settled.first().at(1).toBool(), true); // not waited for: said
    QCOMPARE(tracker.readiness(key)->detailedText(),
             QStringLiteral("Ready: Team readable · Channels 4 of 4 · Files not checked (not "
                            "allowed for this account) · Owners not checked (not allowed for this "
                            "account)"));
}

void TestStartOperations::bulkNamesFromAPatternOrACsv()
{
    QString problem;
    const QList<BulkCloneName> numbered = namesFromPattern("Project {n}", 3, 1, problem);
    QCOMPARE(numbered.size(), 3);
    QCOMPARE(numbered.at(2).displayName, QStringLiteral("Project 3"));
    namesFromPattern("Project", 3, 1, problem);
    QVERIFY(problem.contains("{n}"));

    problem.clear();
    const QList<BulkCloneName> rows = namesFromCsv(
        "\xEF\xBB\xBFname,description\r\nSales EMEA,\"Sales, Europe and \"\"Africa\"\"\"\r\n\r\n"
        "  Marketing  \n",
        problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).displayName, QStringLiteral("Sales EMEA"));
    QCOMPARE(rows.at(0).description, QStringLiteral("Sales, Europe and \"Africa\""));
    QCOMPARE(rows.at(1).displayName, QStringLiteral("Marketing"));
    namesFromCsv("ok\n\"not closed,x\n", problem);
    QVERIFY2(problem.contains("line 2"), qPrintable(problem));
    namesFromCsv("\n\n", problem);
    QVERIFY(problem.contains("no names"));
}

void TestStartOperations::aBulkSharesTheTeamBudgetWithPolling()
{
    // 60 earlier clones of the template are polled one by one (about 2 GETs a second on the
    // team) while 30 more are requested: at 3 POSTs a second of its own, the bulk alone would
    // take the team past Graph's 4 a second. Sharing the poller's team budget, it does not.
    Rig rig;
    rig.sim.tenant.setLatency(20, 120);
    OperationStore store;
    OperationPoller poller(rig.client, rig.sim.clock, store);
    poller.setInterval(seconds(30));
    poller.setTeamListsEnabled(false);
    for (int i = 0; i < 60; ++i) {
        SimOperation op;
        op.teamId = kTemplate;
        op.type = QStringLiteral("cloneTeam");
        op.duration = 3600;
        const QString id = rig.sim.tenant.addOperation(op).id;
        const QString location = QStringLiteral("/teams('%1')/operations('%2')").arg(kTemplate, id);
        QVERIFY(poller.watch(*resolveLocation(location, rig.sim.base()).ref, location));
    }
    BulkCloner bulk(rig.client, rig.sim.clock);
    bulk.setPerSecond(OperationPoller::kDefaultTeamBudget);
    bulk.sharePollingBudget(&poller);
    QString problem;
    QVERIFY(bulk.start({kTemplate, {}, {}, {}, {}, {"apps", "channels"}},
                       namesFromPattern("Wave {n}", 30, 1, problem), problem));
    int polls = 0;
    connect(&poller, &OperationPoller::operationObserved, this, [&polls] { ++polls; });
    const auto sending = [&bulk] {
        return int(std::count_if(bulk.items().cbegin(), bulk.items().cend(), [](const auto &item) {
            return item.state == BulkCloner::Item::State::Sending;
        }));
    };
    // Every request sent has reached the simulator before the clock moves on.
    for (int step = 0; step < 2000 && (bulk.isRunning() || polls < 120); ++step) {
        rig.sim.clock.advance(milliseconds(50));
        rig.sim.server.serveArrived();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return rig.sim.server.requestsInTransit() ==
                       std::min(poller.inFlightRequests(), 6) + sending();
            },
            5000));
    }
    QVERIFY(!bulk.isRunning());
    QCOMPARE(bulk.accepted(), 30);
    QVERIFY2(polls >= 120, qPrintable(QString::number(polls))); // polling went on meanwhile
    QCOMPARE(rig.sim.server.throttled(), 0); // polls and POSTs together under 4 a second
    QCOMPARE(rig.sim.server.requestCount(QStringLiteral("/clone")), 30); // each sent once
}

void TestStartOperations::aBulkOfFiftyIsPacedWithoutA429AndRefusalsCanBeRetried()
{
    Rig rig;
    // Jitter, and fast enough that only the pacing keeps the team under 4 requests a second.
    rig.sim.tenant.setLatency(20, 120);
    BulkCloner bulk(rig.client, rig.sim.clock);
    bulk.setPerSecond(OperationPoller::kDefaultTeamBudget);
    QString problem;
    QVERIFY(!bulk.start({kTemplate, {}, {}, {}, {}, {"tabs"}},
                        namesFromPattern("Project {n}", 50, 1, problem), problem));
    QVERIFY(problem.contains("without cloning apps")); // nothing sent: every request checked first
    QCOMPARE(rig.posts(), 0);

    QSignalSpy finished(&bulk, &BulkCloner::finished);
    QVERIFY(bulk.start({kTemplate, {}, {}, {}, {}, {"apps", "channels"}},
                       namesFromPattern("Project {n}", 50, 1, problem), problem));
    const auto drive = [&rig, &bulk] {
        // Moves the clock in small steps; each step, whatever has arrived is answered.
        for (int step = 0; step < 5000 && bulk.isRunning(); ++step) {
            rig.sim.clock.advance(milliseconds(50));
            rig.sim.server.serveArrived(); // what arrived by now is answered now
            const bool settled = QTest::qWaitFor(
                [&] {
                    const bool sending = std::any_of(
                        bulk.items().cbegin(), bulk.items().cend(), [](const auto &item) {
                            return item.state == BulkCloner::Item::State::Sending;
                        });
                    const QDateTime next = rig.sim.server.nextArrivalAt();
                    return !sending || (next.isValid() && next > rig.sim.clock.now());
                },
                5000);
            if (!settled)
                return false;
        }
        return !bulk.isRunning();
    };
    QVERIFY(drive());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(bulk.accepted(), 50);
    QCOMPARE(rig.sim.server.throttled(), 0); // paced under the team's 4 a second, jitter or not
    QCOMPARE(rig.sim.tenant.operationsOf(kTemplate).size(), 50);
    QCOMPARE(rig.posts(), 50); // each sent once

    // A refusal (Graph refuses a few for a moment) is listed, and retried on request.
    BulkCloner again(rig.client, rig.sim.clock);
    rig.sim.server.injectFault(SimFault::answer(QStringLiteral("/clone"), 400, {}, 2));
    QSignalSpy done(&again, &BulkCloner::finished);
    QVERIFY(again.start({kTemplate, {}, {}, {}, {}, {}},
                        namesFromPattern("Retry {n}", 4, 1, problem), problem));
    QVERIFY([&] {
        for (int step = 0; step < 1000 && again.isRunning(); ++step) {
            rig.sim.clock.advance(milliseconds(100));
            rig.sim.server.serveArrived();
            if (!QTest::qWaitFor(
                    [&] {
                        return std::none_of(again.items().cbegin(), again.items().cend(),
                                            [](const auto &item) {
                                                return item.state ==
                                                       BulkCloner::Item::State::Sending;
                                            }) ||
                               rig.sim.server.nextArrivalAt() > rig.sim.clock.now();
                    },
                    5000))
                return false;
        }
        return true;
    }());
    QCOMPARE(again.refused(), 2);
    QCOMPARE(again.accepted(), 2);
    QCOMPARE(again.items().at(0).result.httpStatus, 400);
    again.retryRefused();
    for (int step = 0; step < 1000 && again.isRunning(); ++step) {
        rig.sim.clock.advance(milliseconds(100));
        rig.sim.server.serveArrived();
        QTRY_VERIFY(std::none_of(again.items().cbegin(), again.items().cend(),
                                 [](const auto &i) {
                                     return i.state == BulkCloner::Item::State::Sending;
                                 }) ||
                    rig.sim.server.nextArrivalAt() > rig.sim.clock.now());
    }
    QCOMPARE(again.accepted(), 4);
    QCOMPARE(again.refused(), 0);
    QCOMPARE(done.size(), 2);
}

QTEST_GUILESS_MAIN(TestStartOperations)
#include "tst_startoperations.moc"
