#include "graph/graphclient.h"
#include "polling/operationpoller.h"
#include "simfixture.h"
#include "store/operationstore.h"

#include <QLocale>
#include <QSignalSpy>
#include <QtTest>

using namespace std::chrono;

static const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
static const QString kOp = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
static const QString kFailing = QStringLiteral("2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");

// Operation kOp: notStarted for 10 s, inProgress for 60 s, then succeeded.
// Operation kFailing: notStarted for 5 s, inProgress for 90 s over three attempts, then failed.
static QJsonObject scenario()
{
    QJsonObject failing = operation(kFailing, kTeam, 5, 90, "failed", 3);
    failing.insert("error", QJsonObject{{"code", "Conflict"}, {"message", "Name taken."}});
    return QJsonObject{{"teams", QJsonArray{team(kTeam, "Template")}},
                       {"operations", QJsonArray{operation(kOp, kTeam, 10, 60), failing}}};
}

// Everything a poller test needs: the simulator, a client to it, and the poller under test,
// all on one manual clock.
struct PollerRig
{
    SimFixture sim{scenario()};
    QString token = QStringLiteral("test-token");
    GraphClient client{sim.base(), [this] { return token; }};
    OperationStore store;
    OperationPoller poller{client, sim.clock, store};
    QSignalSpy observed{&poller, &OperationPoller::operationObserved};
    QSignalSpy failed{&poller, &OperationPoller::pollFailed};

    // These tests look at single operations; team lists have tests of their own.
    PollerRig() { poller.setTeamListsEnabled(false); }

    OperationRef ref(const QString &op) const
    {
        return *resolveLocation(QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, op),
                                sim.base())
                    .ref;
    }
    int requestsFor(const QString &op) const
    {
        return sim.server.requestCount(QStringLiteral("/operations/") + op);
    }
    const WatchedOperation &watched(const QString &op) const { return *poller.find(ref(op)); }
    // Waits for the next reply to arrive, whatever it was.
    bool waitForReply()
    {
        const qsizetype before = observed.size() + failed.size();
        return QTest::qWaitFor([&] { return observed.size() + failed.size() > before; }, 10000);
    }
};

class TestOperationPoller : public QObject
{
    Q_OBJECT

private slots:
    void floorsTheIntervalAgainstTheRealService();
    void pollsAtOnceThenOncePerInterval();
    void reportsChangesOnlyWhenSomethingChanged();
    void anUnchangedAnswerIsNoChange();
    void stopsPollingTerminalOperations();
    void neverOverlapsPollsOfOneOperation();
    void honoursRetryAfter();
    void readsRetryAfterAgainstItsClockAndCapsIt();
    void backsOffWithoutRetryAfter();
    void stopsEverythingOnUnauthorizedAndResumes();
    void keepsTheLastSnapshotThroughFailures();
    void classifiesMalformedReplies_data();
    void classifiesMalformedReplies();
    void summarisesEachRound();
    void keepsHistoryAndTheLastReply();
    void pausesResumesAndForgets();
    void pollNowRespectsTheFloor();
};

void TestOperationPoller::floorsTheIntervalAgainstTheRealService()
{
    ManualClock clock(QDateTime::currentDateTimeUtc());
    GraphClient graph(GraphClient::defaultBaseUrl(), [] { return QString(); });
    OperationStore store;
    OperationPoller realService(graph, clock, store);
    QCOMPARE(realService.minimumInterval(), seconds(30));
    QCOMPARE(realService.setInterval(seconds(5)), seconds(30));
    QCOMPARE(realService.setInterval(seconds(45)), seconds(45));

    PollerRig rig;
    QCOMPARE(rig.poller.setInterval(milliseconds(500)), milliseconds(500));
    QCOMPARE(rig.poller.setInterval(milliseconds(1)), OperationPoller::kLoopbackFloor);
}

void TestOperationPoller::pollsAtOnceThenOncePerInterval()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    QVERIFY(rig.poller.watch(rig.ref(kOp)));
    QVERIFY(!rig.poller.watch(rig.ref(kOp))); // already watched
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 1);
    QCOMPARE(rig.watched(kOp).latest->status, OperationStatus::NotStarted);
    QCOMPARE(rig.poller.nextPollAt(), rig.sim.clock.now().addSecs(30));

    // 29 s later nothing is due: no request leaves.
    rig.sim.clock.advance(seconds(29));
    QVERIFY(!rig.watched(kOp).inFlight);

    rig.sim.clock.advance(seconds(1));
    QVERIFY(rig.watched(kOp).inFlight);
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 2);
    QCOMPARE(rig.watched(kOp).latest->status, OperationStatus::InProgress);
    QCOMPARE(rig.watched(kOp).latest->attemptsCount, 1);
}

void TestOperationPoller::reportsChangesOnlyWhenSomethingChanged()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kFailing));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.observed.takeFirst().at(1).toBool(), true); // first sighting is a change

    // t=30: inProgress, attempt 1 (changed). t=60: attempt 2 (changed).
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.observed.takeFirst().at(1).toBool(), true);
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.observed.takeFirst().at(1).toBool(), true);
    QCOMPARE(rig.watched(kFailing).latest->attemptsCount, 2);
    // t=62 is not due yet; t=90: still attempt 2? (attempt 3 starts at t=65) -> changed.
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kFailing).latest->attemptsCount, 3);
    rig.observed.clear();
    // t=120: failed with its error.
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    const WatchedOperation &done = rig.watched(kFailing);
    QCOMPARE(done.latest->status, OperationStatus::Failed);
    QVERIFY(done.latest->error);
    QCOMPARE(done.latest->error->code, QStringLiteral("Conflict"));
    QCOMPARE(rig.observed.takeFirst().at(1).toBool(), true);
}

void TestOperationPoller::anUnchangedAnswerIsNoChange()
{
    // kOp stays notStarted for 10 s: answers that repeat it are no change, and add no history.
    PollerRig rig;
    rig.poller.setInterval(seconds(1));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.observed.takeFirst().at(1).toBool(), true);
    for (int i = 0; i < 3; ++i) {
        rig.sim.clock.advance(seconds(1));
        QVERIFY(rig.waitForReply());
        const QList<QVariant> answer = rig.observed.takeFirst();
        QCOMPARE(answer.at(0).value<WatchedOperation>().ref.operationId, kOp);
        QCOMPARE(answer.at(1).toBool(), false);
    }
    QCOMPARE(rig.watched(kOp).history.size(), 1);
    QCOMPARE(rig.watched(kOp).polls, 4);
}

void TestOperationPoller::stopsPollingTerminalOperations()
{
    PollerRig rig;
    QSignalSpy allDone(&rig.poller, &OperationPoller::allOperationsTerminal);
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    for (int round = 0; round < 3; ++round) { // t = 30, 60, 90: succeeded at 70
        rig.sim.clock.advance(seconds(30));
        QVERIFY(rig.waitForReply());
    }
    QCOMPARE(rig.watched(kOp).latest->status, OperationStatus::Succeeded);
    QCOMPARE(rig.watched(kOp).latest->targetResourceLocation.isEmpty(), false);
    QCOMPARE(allDone.size(), 1);
    const int requests = rig.requestsFor(kOp);

    rig.sim.clock.advance(minutes(10));
    QVERIFY(!rig.watched(kOp).inFlight);
    QVERIFY(!rig.poller.nextPollAt().isValid());
    QCOMPARE(rig.requestsFor(kOp), requests);
    QCOMPARE(allDone.size(), 1);
}

void TestOperationPoller::neverOverlapsPollsOfOneOperation()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());

    // Three intervals pass before the reply to the first of them can arrive.
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.watched(kOp).inFlight);
    rig.sim.clock.advance(seconds(30));
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 2);
    // Whatever went out after that, no two polls of the operation were less than 30 s apart.
    QVERIFY(QTest::qWaitFor([&] { return !rig.watched(kOp).inFlight; }));
    QDateTime previous;
    for (const SimRequestRecord &request : rig.sim.server.requests()) {
        if (!request.path.endsWith(kOp))
            continue;
        QVERIFY(!previous.isValid() || previous.secsTo(request.at) >= 30);
        previous = request.at;
    }
}

void TestOperationPoller::honoursRetryAfter()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    // A Retry-After shorter than the interval does not make polling faster...
    rig.sim.server.injectFault(SimFault::answer(kOp, 503, "2", 1));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kOp).lastFailure, GraphFailure::Throttled);
    QCOMPARE(rig.watched(kOp).nextPollAt, rig.sim.clock.now().addSecs(30));

    // ...and a longer one holds the next poll back for all of it.
    rig.sim.server.injectFault(SimFault::answer(kOp, 429, "120", 1));
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.failed.size(), 2);
    QCOMPARE(rig.watched(kOp).nextPollAt, rig.sim.clock.now().addSecs(120));

    rig.sim.clock.advance(seconds(119));
    QVERIFY(!rig.watched(kOp).inFlight);
    QCOMPARE(rig.requestsFor(kOp), 2);
    rig.sim.clock.advance(seconds(1));
    QVERIFY(rig.watched(kOp).inFlight);
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 3);
    QCOMPARE(rig.watched(kOp).lastFailure, GraphFailure::None);
    QCOMPARE(rig.watched(kOp).latest->status, OperationStatus::Succeeded);
}

void TestOperationPoller::readsRetryAfterAgainstItsClockAndCapsIt()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    // An HTTP date 90 s after the (simulated) now: 90 s, whatever the wall clock says.
    const QByteArray date =
        QLocale(QLocale::English)
            .toString(rig.sim.clock.now().addSecs(90), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
            .toLatin1() +
        " GMT";
    rig.sim.server.injectFault(SimFault::answer(kOp, 429, date, 1));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kOp).nextPollAt, rig.sim.clock.now().addSecs(90));

    // 2^63 - 1 seconds: waits the cap (ten minutes), says so, and then polls again.
    rig.sim.server.injectFault(SimFault::answer(kOp, 503, "9223372036854775807", 1));
    rig.sim.clock.advance(seconds(90));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kOp).nextPollAt, rig.sim.clock.now().addSecs(600));
    QVERIFY(rig.watched(kOp).lastFailureMessage.contains(QLatin1String("waiting 600 s")));
    rig.sim.clock.advance(seconds(599));
    QCOMPARE(rig.requestsFor(kOp), 2);
    rig.sim.clock.advance(seconds(1));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 3);
    QCOMPARE(rig.watched(kOp).lastFailure, GraphFailure::None);

    // A $batch refused for the whole tenant with a year-long wait: held ten minutes, not a year,
    // and not dropped either (the wait is not lost to an overflowed time).
    PollerRig tenant;
    tenant.sim.server.injectFault(SimFault::answer(QStringLiteral("$batch"), 429, "31536000", 1));
    tenant.poller.watch(tenant.ref(kOp)); // two first sightings: one batch
    tenant.poller.watch(tenant.ref(kFailing));
    QTRY_VERIFY(tenant.poller.tenantThrottledUntil().isValid());
    QCOMPARE(tenant.poller.tenantThrottledUntil(), tenant.sim.clock.now().addSecs(600));
    const int before = tenant.sim.server.requestCount();
    tenant.sim.clock.advance(seconds(300));
    QCOMPARE(tenant.sim.server.requestCount(), before);
    tenant.sim.clock.advance(seconds(300));
    QTRY_VERIFY(tenant.sim.server.requestCount() > before);
}

void TestOperationPoller::backsOffWithoutRetryAfter()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(1));
    rig.sim.server.injectFault(SimFault::answer(kOp, 503, QByteArray(), 8));
    rig.poller.watch(rig.ref(kOp));
    milliseconds previousWait{0};
    for (int failure = 1; failure <= 8; ++failure) {
        QVERIFY(rig.waitForReply());
        const WatchedOperation &op = rig.watched(kOp);
        QCOMPARE(op.consecutiveFailures, failure);
        const milliseconds wait(op.lastPolledAt.msecsTo(op.nextPollAt));
        // 3 s doubling, up to 20 % jitter on top, never more than 180 s.
        const milliseconds base =
            std::min<milliseconds>(seconds(3) * (1 << (failure - 1)), OperationPoller::kMaxBackoff);
        QVERIFY2(wait >= base && wait <= std::min(base * 6 / 5, OperationPoller::kMaxBackoff),
                 qPrintable(QString::number(wait.count())));
        QVERIFY(wait > previousWait || wait == OperationPoller::kMaxBackoff);
        previousWait = wait;
        rig.sim.clock.advance(wait);
    }
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kOp).consecutiveFailures, 0); // reset on success
    QCOMPARE(rig.watched(kOp).nextPollAt, rig.sim.clock.now().addSecs(1));
}

void TestOperationPoller::stopsEverythingOnUnauthorizedAndResumes()
{
    PollerRig rig;
    QSignalSpy signIn(&rig.poller, &OperationPoller::authenticationRequired);
    rig.token = QStringLiteral("expired-token");
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    rig.poller.watch(rig.ref(kFailing));
    QVERIFY(QTest::qWaitFor([&] { return rig.failed.size() == 2; }));
    QCOMPARE(signIn.size(), 1);
    QVERIFY(rig.poller.isPausedForSignIn());
    const int requests = rig.sim.server.requestCount();

    rig.sim.clock.advance(minutes(5));
    QVERIFY(!rig.watched(kOp).inFlight);
    QVERIFY(!rig.watched(kFailing).inFlight);
    QCOMPARE(rig.sim.server.requestCount(), requests);

    rig.token = QStringLiteral("test-token");
    rig.poller.resume();
    QVERIFY(QTest::qWaitFor([&] { return rig.observed.size() == 2; }));
    QVERIFY(!rig.poller.isPausedForSignIn());
    QVERIFY(rig.watched(kOp).latest);
}

void TestOperationPoller::keepsTheLastSnapshotThroughFailures()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kOp).latest->status, OperationStatus::InProgress);

    rig.sim.server.injectFault(SimFault::answer(kOp, 503, "60", 1));
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.watched(kOp).lastFailure, GraphFailure::Throttled);
    QVERIFY(rig.watched(kOp).lastFailureMessage.contains(QStringLiteral("503")));
    QCOMPARE(rig.watched(kOp).latest->status, OperationStatus::InProgress);
}

void TestOperationPoller::classifiesMalformedReplies_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<GraphFailure>("expected");
    QTest::newRow("truncated JSON")
        << 200 << QByteArray(R"({"id": "x", "status": "inProg)") << QByteArray("application/json")
        << GraphFailure::MalformedReply;
    QTest::newRow("wrong field type")
        << 200 << QByteArray(R"({"attemptsCount": "three"})") << QByteArray("application/json")
        << GraphFailure::MalformedReply;
    QTest::newRow("empty object") << 200 << QByteArray("{}") << QByteArray("application/json")
                                  << GraphFailure::MalformedReply;
    QTest::newRow("a team instead")
        << 200 << QByteArray(R"({"id": "t", "displayName": "Template"})")
        << QByteArray("application/json") << GraphFailure::MalformedReply;
    QTest::newRow("HTML error page") << 502 << QByteArray("<html><h1>502 Bad Gateway</h1></html>")
                                     << QByteArray("text/html") << GraphFailure::HttpError;
}

void TestOperationPoller::classifiesMalformedReplies()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(GraphFailure, expected);
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    const Operation before = *rig.watched(kOp).latest;

    SimFault fault = SimFault::answer(kOp, status);
    fault.body = body;
    fault.contentType = contentType;
    rig.sim.server.injectFault(fault);
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rig.waitForReply());
    const WatchedOperation &op = rig.watched(kOp);
    QCOMPARE(op.lastFailure, expected);
    QVERIFY(!op.lastFailureMessage.isEmpty());
    QCOMPARE(op.latest->statusRaw, before.statusRaw); // nothing known is lost
    QCOMPARE(op.consecutiveFailures, 1);
    QVERIFY(op.nextPollAt > rig.sim.clock.now()); // retried later, not in a tight loop
}

void TestOperationPoller::summarisesEachRound()
{
    PollerRig rig;
    QSignalSpy rounds(&rig.poller, &OperationPoller::roundFinished);
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    rig.poller.watch(rig.ref(kFailing));
    QVERIFY(rounds.wait());
    auto round = rounds.takeFirst().at(0).value<PollRound>();
    QCOMPARE(round.polled, 2);
    QCOMPARE(round.changed, 2); // first sightings
    QCOMPARE(round.failed, 0);

    rig.sim.server.injectFault(SimFault::answer(kOp, 503, "45", 1));
    rig.sim.clock.advance(seconds(30));
    QVERIFY(rounds.wait());
    round = rounds.takeFirst().at(0).value<PollRound>();
    QCOMPARE(round.polled, 2);
    QCOMPARE(round.failed, 1);
    QCOMPARE(round.changed, 1); // kFailing went inProgress
    QVERIFY(round.lastFailure.contains(QStringLiteral("503")));
    QCOMPARE(round.finishedAt, rig.sim.clock.now());
}

void TestOperationPoller::keepsHistoryAndTheLastReply()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kFailing));
    QVERIFY(rig.waitForReply());
    for (int i = 0; i < 4; ++i) { // t = 30, 60, 90, 120
        rig.sim.clock.advance(seconds(30));
        QVERIFY(rig.waitForReply());
    }
    const WatchedOperation &op = rig.watched(kFailing);
    QStringList seen;
    for (const StatusChange &change : op.history)
        seen.append(QStringLiteral("%1/%2").arg(change.statusRaw).arg(change.attemptsCount));
    QCOMPARE(seen, QStringList({"notStarted/0", "inProgress/1", "inProgress/2", "inProgress/3",
                                "failed/3"}));
    QCOMPARE(op.history.last().error->code, QStringLiteral("Conflict"));
    QCOMPARE(op.history.at(1).seenAt, op.history.at(0).seenAt.addSecs(30));
    QVERIFY(op.lastReply.contains(kFailing.toUtf8()));
    QVERIFY(op.lastReply.contains("\"failed\""));
}

void TestOperationPoller::pausesResumesAndForgets()
{
    PollerRig rig;
    QSignalSpy removed(&rig.store, &OperationStore::removed);
    rig.poller.setInterval(seconds(30));
    rig.poller.watch(rig.ref(kOp));
    rig.poller.watch(rig.ref(kFailing));
    QVERIFY(QTest::qWaitFor([&] { return rig.observed.size() == 2; }));

    rig.poller.setWatching(rig.ref(kOp), false);
    QCOMPARE(rig.watched(kOp).watch, WatchedOperation::Watch::Paused);
    rig.sim.clock.advance(seconds(30));
    QVERIFY(!rig.watched(kOp).inFlight);
    QVERIFY(rig.watched(kFailing).inFlight);
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 1);
    QVERIFY(rig.watched(kOp).latest); // what was known stays

    rig.poller.setWatching(rig.ref(kOp), true);
    // Overdue: goes at once, without the clock moving. (Waiting to see it in flight missed it
    // on a loaded machine, where the answer came back within the same wait.)
    QTRY_COMPARE(rig.requestsFor(kOp), 2);
    QTRY_COMPARE(rig.poller.inFlightRequests(), 0);

    QVERIFY(rig.poller.unwatch(rig.ref(kFailing)));
    QVERIFY(!rig.poller.unwatch(rig.ref(kFailing)));
    QCOMPARE(removed.size(), 1);
    QVERIFY(!rig.poller.find(rig.ref(kFailing)));
    QCOMPARE(rig.store.records().size(), 1);
    const int asked = rig.requestsFor(kFailing);
    rig.sim.clock.advance(seconds(60));
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kFailing), asked);
    QCOMPARE(rig.watched(kOp).ref.operationId, kOp); // the index still finds the others
}

void TestOperationPoller::pollNowRespectsTheFloor()
{
    PollerRig rig;
    rig.poller.setInterval(seconds(60));
    rig.poller.watch(rig.ref(kOp));
    QVERIFY(rig.waitForReply());
    const QDateTime polledAt = rig.sim.clock.now();

    // Right after a poll, not before the floor (100 ms against the loopback simulator).
    const QDateTime when = rig.poller.pollNow(rig.ref(kOp));
    QCOMPARE(when, polledAt.addMSecs(OperationPoller::kLoopbackFloor.count()));
    QVERIFY(!rig.watched(kOp).inFlight);
    rig.sim.clock.advance(milliseconds(100));
    QVERIFY(rig.watched(kOp).inFlight);
    QVERIFY(rig.waitForReply());
    QCOMPARE(rig.requestsFor(kOp), 2);
    QVERIFY(!rig.watched(kOp).pollRequested);

    // Later than the floor: at once.
    rig.sim.clock.advance(seconds(10));
    QCOMPARE(rig.poller.pollNow(rig.ref(kOp)), rig.sim.clock.now());
    QVERIFY(rig.waitForReply()); // without moving the clock
    QCOMPARE(rig.requestsFor(kOp), 3);

    // Against the real service the floor is 30 s whatever the interval.
    ManualClock clock(QDateTime::currentDateTimeUtc());
    GraphClient graph(GraphClient::defaultBaseUrl(), [] { return QString(); });
    OperationStore store;
    OperationPoller real(graph, clock, store);
    QCOMPARE(real.minimumInterval(), seconds(30));
}

QTEST_GUILESS_MAIN(TestOperationPoller)
#include "tst_operationpoller.moc"
