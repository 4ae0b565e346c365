#include "graph/graphclient.h"
#include "model/operation.h"
#include "model/operationref.h"
#include "simfixture.h"
#include "specexamples.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QUuid>
#include <QtTest>

using namespace std::chrono;

static const QString kTemplate = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
static const QString kArchived = QStringLiteral("9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b");
static const QString kClone = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
static const QString kProduced = QStringLiteral("c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8");
static const QString kTeamify = QStringLiteral("a29d1e2f-3a4b-4c5d-6e7f-8091a2b3c4d5");

static QJsonObject scenario()
{
    QJsonObject clone = operation(kClone, kTemplate, 10, 60, "succeeded", 2);
    clone.insert("produces", QJsonObject{{"id", kProduced},
                                         {"displayName", "Project Fabrikam"},
                                         {"description", "Customer project"},
                                         {"visibility", "public"}});
    QJsonObject teamify = operation(kTeamify, kTemplate, 0, 100);
    teamify.insert("operationType", "teamifyGroup");
    return QJsonObject{{"teams", QJsonArray{team(kTemplate, "Template"), team(kArchived, "Old")}},
                       {"operations", QJsonArray{clone, teamify}}};
}

// A raw HTTP call, so tests control every header (GraphClient always sends its own).
struct RawReply
{
    int status = 0;
    QByteArray body;
    QByteArray location;
    QByteArray contentLocation;
    QByteArray requestId;
    QByteArray clientRequestId;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

static RawReply call(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                     const QList<QPair<QByteArray, QByteArray>> &headers = {
                         {"Authorization", "Bearer test-token"}})
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        qFatal("no reply from the simulator");
    RawReply raw{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 reply->readAll(),
                 reply->rawHeader("Location"),
                 reply->rawHeader("Content-Location"),
                 reply->rawHeader("request-id"),
                 reply->rawHeader("client-request-id")};
    delete reply;
    return raw;
}

static QUrl at(const SimFixture &sim, const QString &path, const QString &version = "v1.0")
{
    return QUrl(sim.server.baseUrl(version).toString() + path);
}

class TestSimulator : public QObject
{
    Q_OBJECT

private slots:
    void requiresABearerToken();
    void servesEveryLocationShape_data();
    void servesEveryLocationShape();
    void movesOperationsThroughTheirLifecycle();
    void aCompletedCloneCreatesItsTeam();
    void aNewTeamsOwnersAndFilesFoldersComeLater();
    void hidesEvolvableEnumsWithoutPrefer();
    void createsOperationsThroughTheDocumentedApi();
    void startsClonesArchivesAndCreates();
    void refusesTabsWithoutApps();
    void listsOperationsWithPaging();
    void answersBatchesOutOfOrderAndThrottlesEachRequest();
    void holdsABatchWhoseRequestIsNeverAnswered();
    void enforcesTheTenantAndTeamLimits();
    void injectsFaultsFromTheScenario();
    void servesARequestAndLosesItsAnswer_data();
    void servesARequestAndLosesItsAnswer();
    void namesEveryAnswerAndEchoesTheClientRequestId();
    void countsLimitsByArrivalUnderLatency();
    void leavesRoomForAnotherClient();
};

void TestSimulator::requiresABearerToken()
{
    SimFixture sim(scenario());
    const QString path = QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kClone);
    const RawReply none = call("GET", at(sim, path), {}, {});
    QCOMPARE(none.status, 401);
    QCOMPARE(none.json()["error"].toObject()["code"].toString(),
             QStringLiteral("InvalidAuthenticationToken"));
    QCOMPARE(none.json()["error"].toObject()["message"].toString(),
             QStringLiteral("Access token is empty."));
    const RawReply wrong = call("GET", at(sim, path), {}, {{"Authorization", "Bearer nope"}});
    QCOMPARE(wrong.status, 401);
    QCOMPARE(call("GET", at(sim, path)).status, 200);
}

void TestSimulator::servesEveryLocationShape_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("version");
    const QString t = kTemplate, o = kClone;
    QTest::newRow("quoted") << QStringLiteral("/teams('%1')/operations('%2')").arg(t, o) << "v1.0";
    QTest::newRow("unquoted") << QStringLiteral("/teams(%1)/operations(%2)").arg(t, o) << "v1.0";
    QTest::newRow("segments") << QStringLiteral("/teams/%1/operations/%2").arg(t, o) << "v1.0";
    QTest::newRow("groups") << QStringLiteral("/groups(%1)/team/operations(%2)").arg(t, o)
                            << "v1.0";
    QTest::newRow("beta") << QStringLiteral("/teams('%1')/operations('%2')").arg(t, o) << "beta";
}

void TestSimulator::servesEveryLocationShape()
{
    QFETCH(QString, path);
    QFETCH(QString, version);
    SimFixture sim(scenario());
    const RawReply reply = call("GET", at(sim, path, version));
    QCOMPARE(reply.status, 200);
    const QJsonObject json = reply.json();
    QCOMPARE(json["id"].toString(), kClone);
    QVERIFY(json.contains(version == "beta" ? "values" : "Value")); // the undocumented extra
    QVERIFY(json.contains("@odata.context"));
    QVERIFY(json["error"].isNull());
    QVERIFY(parseOperation(reply.body).operation);
}

void TestSimulator::movesOperationsThroughTheirLifecycle()
{
    SimFixture sim(scenario());
    const QUrl url = at(sim, QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kClone));
    auto snapshot = [&] { return *parseOperation(call("GET", url).body).operation; };

    Operation op = snapshot();
    QCOMPARE(op.statusRaw, QStringLiteral("notStarted"));
    QCOMPARE(op.attemptsCount, 0);
    QVERIFY(op.targetResourceLocation.isEmpty());

    sim.clock.advance(seconds(15));
    op = snapshot();
    QCOMPARE(op.statusRaw, QStringLiteral("inProgress"));
    QCOMPARE(op.attemptsCount, 1);
    QCOMPARE(op.lastActionDateTime, op.createdDateTime.addSecs(10));

    sim.clock.advance(seconds(30)); // t=45: second attempt began at t=40
    op = snapshot();
    QCOMPARE(op.attemptsCount, 2);
    QCOMPARE(op.lastActionDateTime, op.createdDateTime.addSecs(40));

    sim.clock.advance(seconds(30)); // t=75: done at t=70
    op = snapshot();
    QCOMPARE(op.statusRaw, QStringLiteral("succeeded"));
    QCOMPARE(op.targetResourceId, kProduced);
    QCOMPARE(op.targetResourceLocation, QStringLiteral("/teams('%1')").arg(kProduced));
    QCOMPARE(op.lastActionDateTime, op.createdDateTime.addSecs(70));
    QVERIFY(!op.error);
}

void TestSimulator::aNewTeamsOwnersAndFilesFoldersComeLater()
{
    SimFixture sim(scenario());
    sim.clock.advance(seconds(76)); // succeeded at 70 s, readable at 75 s
    const QUrl members = at(sim, QStringLiteral("/teams/%1/members").arg(kProduced));
    QCOMPARE(call("GET", members).json()["value"].toArray().size(), 0);
    const QString general =
        QStringLiteral("19:%1-general@thread.tacv2").arg(QString(kProduced).left(8));
    const QUrl folder =
        at(sim, QStringLiteral("/teams/%1/channels/%2/filesFolder").arg(kProduced, general));
    // The first request is what makes SharePoint create the folder; it exists 8 s later.
    const RawReply asked = call("GET", folder);
    QCOMPARE(asked.status, 404);
    QVERIFY(asked.json()["error"].toObject()["message"].toString().contains("provisioned"));
    sim.clock.advance(seconds(7));
    QCOMPARE(call("GET", folder).status, 404);
    sim.clock.advance(seconds(1));
    const RawReply made = call("GET", folder);
    QCOMPARE(made.status, 200);
    QCOMPARE(made.json()["name"].toString(), QStringLiteral("General"));
    QVERIFY(made.json()["folder"].isObject());
    // Owners show 10 s after the team was made.
    const QJsonArray shown = call("GET", members).json()["value"].toArray();
    QVERIFY(!shown.isEmpty());
    QCOMPARE(shown.first().toObject()["roles"].toArray().first().toString(),
             QStringLiteral("owner"));
    // A scenario's own teams are complete: their folders answer at once.
    const QString sourceGeneral =
        QStringLiteral("19:%1-general@thread.tacv2").arg(QString(kTemplate).left(8));
    QCOMPARE(call("GET", at(sim, QStringLiteral("/teams/%1/channels/%2/filesFolder")
                                     .arg(kTemplate, sourceGeneral)))
                 .status,
             200);
}

void TestSimulator::aCompletedCloneCreatesItsTeam()
{
    SimFixture sim(scenario());
    const QUrl teamUrl = at(sim, QStringLiteral("/teams/") + kProduced);
    QCOMPARE(call("GET", teamUrl).status, 404);
    sim.clock.advance(seconds(71));
    // Succeeded at 70 s, and readable 5 s later, as Graph's new teams are (GRAPH.md).
    QCOMPARE(call("GET", teamUrl).status, 404);
    sim.clock.advance(seconds(5));
    const RawReply reply = call("GET", teamUrl);
    QCOMPARE(reply.status, 200);
    const QJsonObject team = reply.json();
    QCOMPARE(team["displayName"].toString(), QStringLiteral("Project Fabrikam"));
    QCOMPARE(team["description"].toString(), QStringLiteral("Customer project"));
    QCOMPARE(team["visibility"].toString(), QStringLiteral("public"));
    QCOMPARE(team["isArchived"].toBool(), false);
    // Teams' own link shape, its escapes kept (arg() once took "%3a" for a placeholder).
    const QUrl link(team["webUrl"].toString());
    QCOMPARE(link.host(), QStringLiteral("teams.microsoft.com"));
    const QString path = link.path(QUrl::FullyEncoded);
    QVERIFY2(path.startsWith("/l/team/19%3a", Qt::CaseInsensitive) &&
                 path.endsWith("%40thread.tacv2/conversations", Qt::CaseInsensitive),
             qPrintable(link.toString()));
    const QUrlQuery query(link);
    QCOMPARE(query.queryItemValue("groupId"), team["id"].toString());
    QCOMPARE(query.queryItemValue("tenantId"), sim.tenant.tenantId());
}

void TestSimulator::hidesEvolvableEnumsWithoutPrefer()
{
    SimFixture sim(scenario());
    const QUrl url = at(sim, QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kTeamify));
    QCOMPARE(call("GET", url).json()["operationType"].toString(),
             QStringLiteral("unknownFutureValue"));
    const RawReply withPrefer =
        call("GET", url, {},
             {{"Authorization", "Bearer test-token"}, {"Prefer", "include-unknown-enum-members"}});
    QCOMPARE(withPrefer.json()["operationType"].toString(), QStringLiteral("teamifyGroup"));
}

void TestSimulator::createsOperationsThroughTheDocumentedApi()
{
    SimFixture sim(scenario());
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    std::optional<GraphReply> created;
    QObject receiver;
    client.post(client.resolve(QStringLiteral("/teams/%1/operations").arg(kTemplate)),
                QJsonDocument::fromJson(kSpecRequestBody).object(), &receiver,
                [&](const GraphReply &reply) { created = reply; });
    QVERIFY(QTest::qWaitFor([&] { return created.has_value(); }));
    QCOMPARE(created->httpStatus, 201);
    const Operation stored = *parseOperation(created->body).operation;
    QVERIFY(!stored.id.isEmpty());
    QCOMPARE(stored.createdDateTime, sim.clock.now());
    QCOMPARE(stored.statusRaw, QStringLiteral("String"));
    QCOMPARE(stored.attemptsCount, 13);

    // It is then readable like any other operation, through its Location.
    const LocationResolution ref =
        resolveLocation(QString::fromUtf8(created->location), sim.base());
    QVERIFY2(ref.ref, qPrintable(ref.error));
    const RawReply read = call("GET", ref.ref->url());
    QCOMPARE(read.status, 200);
    const Operation again = *parseOperation(read.body).operation;
    QCOMPARE(again.id, stored.id);
    QCOMPARE(again.status, OperationStatus::Unrecognized);
    QCOMPARE(again.error->message, QStringLiteral("Message value"));

    // The second documented path: /me/joinedTeams/{groupId}/team/operations.
    const RawReply viaMe =
        call("POST", at(sim, QStringLiteral("/me/joinedTeams/%1/team/operations").arg(kTemplate)),
             R"({"operationType": "archiveTeam", "status": "succeeded", "attemptsCount": 1})");
    QCOMPARE(viaMe.status, 201);
    QCOMPARE(viaMe.json()["status"].toString(), QStringLiteral("succeeded"));
    QCOMPARE(
        call("POST", at(sim, QStringLiteral("/teams/%1/operations").arg(kTemplate)), "[1]").status,
        400);
}

void TestSimulator::startsClonesArchivesAndCreates()
{
    SimFixture sim(scenario());
    const RawReply clone = call(
        "POST", at(sim, QStringLiteral("/teams/%1/clone").arg(kTemplate)),
        R"({"displayName": "Project X", "partsToClone": "apps,tabs,settings,channels,members"})");
    QCOMPARE(clone.status, 202);
    QVERIFY(clone.body.isEmpty());
    const LocationResolution cloneRef =
        resolveLocation(QString::fromUtf8(clone.location), sim.base());
    QVERIFY2(cloneRef.ref, qPrintable(cloneRef.error));
    QCOMPARE(call("GET", cloneRef.ref->url()).json()["status"].toString(),
             QStringLiteral("notStarted"));

    const RawReply archive =
        call("POST", at(sim, QStringLiteral("/teams/%1/archive").arg(kArchived)),
             R"({"shouldSetSpoSiteReadOnlyForMembers": true})");
    QCOMPARE(archive.status, 202);
    QVERIFY(archive.location.startsWith("/teams(" + kArchived.toUtf8() + ")"));
    const LocationResolution archiveRef =
        resolveLocation(QString::fromUtf8(archive.location), sim.base());
    QVERIFY2(archiveRef.ref, qPrintable(archiveRef.error));

    const RawReply create = call("POST", at(sim, QStringLiteral("/teams")),
                                 R"({"displayName": "Brand new", "visibility": "public"})");
    QCOMPARE(create.status, 202);
    QVERIFY(create.contentLocation.startsWith("/teams('"));
    QVERIFY(resolveLocation(QString::fromUtf8(create.location), sim.base()).ref);

    sim.clock.advance(minutes(2));
    const QJsonObject archiveOp = call("GET", archiveRef.ref->url()).json();
    QCOMPARE(archiveOp["status"].toString(), QStringLiteral("succeeded"));
    QCOMPARE(archiveOp["operationType"].toString(), QStringLiteral("archiveTeam"));
    QCOMPARE(call("GET", at(sim, "/teams/" + kArchived)).json()["isArchived"].toBool(), true);
    QCOMPARE(call("GET", cloneRef.ref->url()).json()["status"].toString(),
             QStringLiteral("succeeded"));
    const QString created = QString::fromUtf8(create.contentLocation).section('\'', 1, 1);
    QCOMPARE(call("GET", at(sim, "/teams/" + created)).json()["displayName"].toString(),
             QStringLiteral("Brand new"));
    QCOMPARE(call("POST", at(sim, "/teams/no-such-team/clone"), R"({"displayName": "x"})").status,
             404);
    QCOMPARE(call("POST", at(sim, "/teams/" + kTemplate + "/clone"), "{}").status, 400);
}

void TestSimulator::refusesTabsWithoutApps()
{
    SimFixture sim(scenario());
    const RawReply reply = call("POST", at(sim, QStringLiteral("/teams/%1/clone").arg(kTemplate)),
                                R"({"displayName": "X", "partsToClone": "tabs,channels"})");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json()["error"].toObject()["code"].toString(), QStringLiteral("InvalidRequest"));
    QCOMPARE(reply.json()["error"].toObject()["message"].toString(),
             QStringLiteral("Tabs cannot be cloned without cloning Apps as well."));
}

void TestSimulator::listsOperationsWithPaging()
{
    SimFixture sim(scenario());
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(call("POST", at(sim, QStringLiteral("/teams/%1/clone").arg(kTemplate)),
                      R"({"displayName": "More"})")
                     .status,
                 202);
    }
    // Those POSTs count towards the team's 4 requests a second, as Graph counts them.
    sim.clock.advance(std::chrono::seconds(1));
    QSet<QString> seen;
    QUrl next = at(sim, QStringLiteral("/teams/%1/operations?$top=2").arg(kTemplate));
    int pages = 0;
    while (next.isValid() && pages < 10) {
        const QJsonObject page = call("GET", next).json();
        for (const QJsonValue &op : page["value"].toArray())
            seen.insert(op["id"].toString());
        next = QUrl(page["@odata.nextLink"].toString());
        ++pages;
    }
    QCOMPARE(pages, 3);
    QCOMPARE(seen.size(), 5);
    QVERIFY(seen.contains(kClone));
    QCOMPARE(call("GET", at(sim, "/teams/unknown/operations")).status, 404);
}

void TestSimulator::answersBatchesOutOfOrderAndThrottlesEachRequest()
{
    SimFixture sim(scenario());
    QJsonArray requests;
    for (int i = 0; i < 6; ++i) {
        requests.append(QJsonObject{
            {"id", QString::number(i)},
            {"method", "GET"},
            {"url", i == 5 ? QStringLiteral("/teams/%1/operations/nope").arg(kArchived)
                           : QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kClone)}});
    }
    const RawReply reply = call("POST", at(sim, "/$batch"),
                                QJsonDocument(QJsonObject{{"requests", requests}}).toJson());
    QCOMPARE(reply.status, 200);
    const QJsonArray responses = reply.json()["responses"].toArray();
    QCOMPARE(responses.size(), 6);
    QStringList order;
    QMap<QString, int> statuses;
    for (const QJsonValue &r : responses) {
        order.append(r["id"].toString());
        statuses[r["id"].toString()] = r["status"].toInt();
    }
    QVERIFY(order != QStringList({"0", "1", "2", "3", "4", "5"}));
    // The team allows 4 GETs a second: the fifth is throttled on its own; the sixth, on another
    // team, is answered (404: no such operation).
    QCOMPARE(statuses.values().count(200), 4);
    QCOMPARE(statuses.values().count(429), 1);
    QCOMPARE(statuses.value("5"), 404);
    QCOMPARE(sim.server.roundTrips(), 1);
    QCOMPARE(sim.server.subRequests(), 6);
    QCOMPARE(sim.server.throttled(), 1);

    QJsonArray tooMany;
    for (int i = 0; i < 21; ++i)
        tooMany.append(requests.at(0));
    QCOMPARE(
        call("POST", at(sim, "/$batch"), QJsonDocument(QJsonObject{{"requests", tooMany}}).toJson())
            .status,
        400);
}

void TestSimulator::holdsABatchWhoseRequestIsNeverAnswered()
{
    SimFixture sim(scenario());
    SimFault hang;
    hang.pathEndsWith = kClone;
    hang.kind = QStringLiteral("hang");
    hang.times = 1;
    sim.server.injectFault(hang);
    const QJsonArray requests{
        QJsonObject{{"id", "1"},
                    {"method", "GET"},
                    {"url", QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kClone)}},
        QJsonObject{
            {"id", "2"}, {"method", "GET"}, {"url", QStringLiteral("/teams/%1").arg(kTemplate)}}};
    QNetworkAccessManager network;
    QNetworkRequest request(at(sim, "/$batch"));
    request.setRawHeader("Authorization", "Bearer test-token");
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    std::unique_ptr<QNetworkReply> reply(
        network.post(request, QJsonDocument(QJsonObject{{"requests", requests}}).toJson()));
    // The batch waits for its slowest request, which never comes: the whole batch is held.
    QTRY_COMPARE(sim.server.requestsHeld(), 1);
    QVERIFY(!reply->isFinished());
    QCOMPARE(sim.server.requestsLeftUnanswered(), 1);
    // Until the client gives up and closes the connection.
    reply->abort();
    QTRY_COMPARE(sim.server.requestsHeld(), 0);
    QCOMPARE(sim.server.requestsLeftUnanswered(), 1);
    // The next batch is answered.
    QCOMPARE(call("POST", at(sim, "/$batch"),
                  QJsonDocument(QJsonObject{{"requests", requests}}).toJson())
                 .status,
             200);
}

void TestSimulator::enforcesTheTenantAndTeamLimits()
{
    SimFixture sim(scenario());
    const QUrl one = at(sim, QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kClone));
    QList<int> statuses;
    for (int i = 0; i < 5; ++i)
        statuses.append(call("GET", one).status);
    QCOMPARE(statuses, QList<int>({200, 200, 200, 200, 429}));
    QNetworkAccessManager network;
    QNetworkRequest throttled(one);
    throttled.setRawHeader("Authorization", "Bearer test-token");
    QNetworkReply *reply = network.get(throttled);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait());
    QCOMPARE(reply->rawHeader("Retry-After"), QByteArray("1"));
    delete reply;
    sim.clock.advance(seconds(1));
    QCOMPARE(call("GET", one).status, 200); // a second later the window has room again

    // 30 a second across the tenant, whatever the teams.
    sim.clock.advance(seconds(1));
    int ok = 0;
    for (int i = 0; i < 40; ++i)
        ok += call("GET", at(sim, QStringLiteral("/teams/team-%1").arg(i))).status != 429 ? 1 : 0;
    QCOMPARE(ok, 30);
}

void TestSimulator::injectsFaultsFromTheScenario()
{
    QJsonObject world = scenario();
    world.insert(
        "faults",
        QJsonArray{
            QJsonObject{{"path", kClone}, {"rate", 1.0}, {"status", 503}, {"retryAfter", "7"}},
            QJsonObject{{"path", kTeamify}, {"rate", 0.0}, {"status", 500}},
            QJsonObject{{"path", kTeamify}, {"latencyMs", 50}},
        });
    world.insert("seed", 7);
    SimFixture sim(world);
    const RawReply failed =
        call("GET", at(sim, QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kClone)));
    QCOMPARE(failed.status, 503);
    const RawReply slow =
        call("GET", at(sim, QStringLiteral("/teams/%1/operations/%2").arg(kTemplate, kTeamify)));
    QCOMPARE(slow.status, 200); // rate 0 never fires; the latency only delays
    QJsonObject bad = scenario();
    bad.insert("faults", QJsonArray{QJsonObject{{"path", "x"}, {"kind", "explode"}}});
    SimTenant tenant;
    QVERIFY(tenant.loadScenario(QJsonDocument(bad).toJson()).contains("explode"));
}

// Sends GETs without waiting for their answers, all at once: Qt opens at most six connections
// to one host per QNetworkAccessManager, so each six get their own. `owner` keeps them.
static void sendAll(QObject &owner, const QList<QUrl> &urls)
{
    QNetworkAccessManager *network = nullptr;
    for (qsizetype i = 0; i < urls.size(); ++i) {
        if (i % 6 == 0)
            network = new QNetworkAccessManager(&owner);
        QNetworkRequest request(urls[i]);
        request.setRawHeader("Authorization", "Bearer test-token");
        network->get(request);
    }
}

void TestSimulator::servesARequestAndLosesItsAnswer_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("closed cleanly") << "close";
    QTest::newRow("reset") << "abort";
}

// "close" and "abort": the request is served (the clone starts), then the connection ends before
// the first byte of the answer. Only POSTs here: a GET on the same path is answered.
void TestSimulator::servesARequestAndLosesItsAnswer()
{
    QFETCH(QString, kind);
    QJsonObject withFault = scenario();
    withFault.insert(
        "faults", QJsonArray{QJsonObject{{"path", "/clone"}, {"method", "POST"}, {"kind", kind}}});
    SimFixture sim(withFault);
    // A GET there is answered (Graph's 400 for a route it does not have), not dropped.
    QCOMPARE(call("GET", at(sim, QStringLiteral("/teams/%1/clone").arg(kTemplate))).status, 400);

    const qsizetype before = sim.tenant.operationsOf(kTemplate).size();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, sim.server.baseUrl().port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = R"({"displayName": "Lost answer"})";
    socket.write("POST /v1.0/teams/" + kTemplate.toLatin1() +
                 "/clone HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-token\r\n"
                 "Content-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    QVERIFY(closed.wait(5000));
    QCOMPARE(socket.readAll(), QByteArray()); // not one byte of the answer
    QCOMPARE(sim.server.requestCount(QStringLiteral("/clone")), 2);
    QCOMPARE(sim.tenant.operationsOf(kTemplate).size(), before + 1); // the clone started
}

void TestSimulator::namesEveryAnswerAndEchoesTheClientRequestId()
{
    SimFixture sim(scenario());
    const QByteArray mine = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const RawReply echoed =
        call("GET", at(sim, QStringLiteral("/teams/%1").arg(kTemplate)), {},
             {{"Authorization", "Bearer test-token"}, {"client-request-id", mine}});
    QCOMPARE(echoed.status, 200);
    QCOMPARE(echoed.clientRequestId, mine);
    QVERIFY(!QUuid::fromString(QString::fromLatin1(echoed.requestId)).isNull());
    QCOMPARE(sim.server.requests().constLast().clientRequestId, mine);
    QCOMPARE(sim.server.requests().constLast().requestId, echoed.requestId);
    // Without one, Graph makes one: the request-id.
    const RawReply named = call("GET", at(sim, QStringLiteral("/teams/%1").arg(kTemplate)));
    QVERIFY(!named.requestId.isEmpty());
    QVERIFY(named.requestId != echoed.requestId);
    QCOMPARE(named.clientRequestId, named.requestId);
}

void TestSimulator::countsLimitsByArrivalUnderLatency()
{
    QJsonObject world = scenario();
    world.insert("latencyMs", QJsonObject{{"min", 100}, {"max", 400}});
    SimFixture sim(world);
    const QDateTime start = sim.clock.now();
    QList<QUrl> first, second;
    for (int i = 0; i < 30; ++i) {
        first.append(at(sim, QStringLiteral("/teams/a-%1").arg(i)));
        second.append(at(sim, QStringLiteral("/teams/b-%1").arg(i)));
    }
    QObject network;
    // 30 sent now and 30 a second later: within the limit as sent.
    sendAll(network, first);
    QTRY_COMPARE(sim.server.requestsInTransit(), 30);
    sim.clock.advance(milliseconds(99));
    sim.server.serveArrived();
    QCOMPARE(sim.server.requestCount(), 0); // none arrives before the shortest latency
    sim.clock.advance(milliseconds(901));
    sim.server.serveArrived();
    QCOMPARE(sim.server.requestCount(), 30);
    sendAll(network, second);
    QTRY_COMPARE(sim.server.requestsInTransit(), 30);
    sim.clock.advance(milliseconds(400));
    sim.server.serveArrived();
    QCOMPARE(sim.server.requestsInTransit(), 0);

    // Served in order of arrival, each between 100 and 400 ms after it was sent...
    const QList<SimRequestRecord> &records = sim.server.requests();
    for (qsizetype i = 0; i < records.size(); ++i) {
        const qint64 sentAt = i < 30 ? 0 : 1000;
        const qint64 arrived = start.msecsTo(records[i].at);
        QVERIFY2(arrived >= sentAt + 100 && arrived <= sentAt + 400, qPrintable(records[i].path));
        if (i > 0)
            QVERIFY(records[i - 1].at <= records[i].at);
    }
    // ...so the late ones of the first group and the early ones of the second share a second.
    QVERIFY(sim.server.throttled() > 0);
    QCOMPARE(
        sim.server.throttled(),
        static_cast<int>(std::count_if(records.cbegin() + 30, records.cend(),
                                       [](const SimRequestRecord &r) { return r.status == 429; })));
}

void TestSimulator::leavesRoomForAnotherClient()
{
    QJsonObject world = scenario();
    world.insert("limits", QJsonObject{{"otherClientPerSecond", 12}});
    SimFixture sim(world);
    int ok = 0;
    for (int i = 0; i < 40; ++i)
        ok += call("GET", at(sim, QStringLiteral("/teams/team-%1").arg(i))).status != 429 ? 1 : 0;
    QCOMPARE(ok, 30 - 12);
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
