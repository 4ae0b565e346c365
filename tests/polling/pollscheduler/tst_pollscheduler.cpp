// The poller with many operations: budgets, batches, slots, team lists, scoped Retry-After and
// failures, against the simulator over real loopback HTTP on a manual clock.
#include "graph/graphclient.h"
#include "polling/operationpoller.h"
#include "simfixture.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include <QSignalSpy>
#include <QtTest>

using namespace std::chrono;

namespace {

QString teamId(int t)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(t, 12, 10, QLatin1Char('0'));
}

QString operationId(int t, int o)
{
    return QStringLiteral("%1-0000-4000-9000-%2")
        .arg(t, 8, 10, QLatin1Char('0'))
        .arg(o, 12, 10, QLatin1Char('0'));
}

// teams × perTeam operations; each notStarted for `startAfter` s, then in progress for a long time.
QJsonObject scenario(int teams, int perTeam, double startAfter = 1e6, QJsonObject limits = {})
{
    QJsonArray teamList;
    QJsonArray operations;
    for (int t = 0; t < teams; ++t) {
        teamList.append(team(teamId(t), QStringLiteral("Team %1").arg(t)));
        for (int o = 0; o < perTeam; ++o)
            operations.append(operation(operationId(t, o), teamId(t), startAfter, 1e6));
    }
    QJsonObject root{{"teams", teamList}, {"operations", operations}};
    if (!limits.isEmpty())
        root.insert("limits", limits);
    return root;
}

struct Rig
{
    SimFixture sim;
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    OperationStore store;
    OperationPoller poller{client, sim.clock, store};

    explicit Rig(const QJsonObject &scenario)
        : sim(scenario)
    {
        poller.setInterval(seconds(30));
    }
    void watchAll(int teams, int perTeam)
    {
        for (int t = 0; t < teams; ++t) {
            for (int o = 0; o < perTeam; ++o)
                poller.watch(ref(t, o));
        }
    }
    OperationRef ref(int t, int o) const
    {
        return *resolveLocation(
                    QStringLiteral("/teams/%1/operations/%2").arg(teamId(t), operationId(t, o)),
                    sim.base())
                    .ref;
    }
    // Lets every request in flight come back, without moving the clock. (Blocks on the event
    // loop rather than QTest::qWaitFor, which sleeps 10 ms a turn.)
    void settle()
    {
        QCoreApplication::processEvents();
        QDeadlineTimer deadline(20000);
        while (poller.inFlightRequests() > 0 && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCOMPARE(poller.inFlightRequests(), 0);
    }
    // Moves the clock in steps, letting each step's requests complete.
    void run(milliseconds span, milliseconds step = milliseconds(100))
    {
        settle();
        for (milliseconds done{0}; done < span; done += step) {
            sim.clock.advance(step);
            settle();
        }
    }
    // Sub-requests (and plain GETs) that reached Graph in [from, to).
    QList<SimRequestRecord> gets(const QDateTime &from = {}, const QDateTime &to = {}) const
    {
        QList<SimRequestRecord> found;
        for (const SimRequestRecord &r : sim.server.requests()) {
            if (r.method == "GET" && (!from.isValid() || r.at >= from) &&
                (!to.isValid() || r.at < to))
                found.append(r);
        }
        return found;
    }
    int roundTrips(const QDateTime &from, const QDateTime &to) const
    {
        int count = 0;
        for (const SimRequestRecord &r : sim.server.requests())
            count += !r.viaBatch && r.at >= from && r.at < to ? 1 : 0;
        return count;
    }
    // The most GETs in any one-second window, overall or for one team path fragment.
    int busiestSecond(const QString &pathContains = QString()) const
    {
        QList<qint64> times;
        for (const SimRequestRecord &r : gets()) {
            if (pathContains.isEmpty() || r.path.contains(pathContains))
                times.append(r.at.toMSecsSinceEpoch());
        }
        int most = 0;
        for (qsizetype i = 0, j = 0; i < times.size(); ++i) {
            while (times[i] - times[j] >= 1000)
                ++j;
            most = std::max(most, int(i - j + 1));
        }
        return most;
    }
};

} // namespace

class TestPollScheduler : public QObject
{
    Q_OBJECT

private slots:
    void staysWithinTheBudgetsAndIsNeverThrottled();
    void batchesSpreadEvenlyOverTheInterval();
    void stretchesTheIntervalWhenTheBudgetIsShort();
    void prefersMovingOperationsWhenStretched();
    void aThrottledSubRequestDelaysOnlyItsOperation();
    void aThrottledBatchHoldsBackTheWholeTenant();
    void readsATeamWithOneListAndPagesThroughIt();
    void fallsBackToSingleGetsWhenTheListFails();
    void aThrottledListHoldsBackOnlyItsTeam();
    void leavesAListThatLinksToItself();
    void fallsBackToSingleGetsWhenBatchesAreRefused();
    void leavesAListThatNeverEnds();
    void aListPageRefusedWithRetryAfterZeroBacksOff();
    void aSecondPageThatKeepsFailingBacksOffMore();
    void stopsOnAccessDeniedAndKeepsTheOthers();
    void givesUpOnALastingNotFoundAndCanRetry();
    void pausesWhileOffline();
    void neverExceedsTheBudgetUnderAnyFault_data();
    void neverExceedsTheBudgetUnderAnyFault();
    void classifiesTransportFaults_data();
    void classifiesTransportFaults();
    void resumesFromTheStoreSpreadOutAfterASavedRetryAfter();
};

void TestPollScheduler::staysWithinTheBudgetsAndIsNeverThrottled()
{
    // 200 operations: 150 on their own teams, 50 on one busy team whose list is refused.
    QJsonObject world = scenario(150, 1);
    QJsonArray teams = world["teams"].toArray();
    QJsonArray ops = world["operations"].toArray();
    teams.append(team(teamId(999), "Busy"));
    for (int o = 0; o < 50; ++o)
        ops.append(operation(operationId(999, o), teamId(999), 1e6, 1e6));
    world["teams"] = teams;
    world["operations"] = ops;
    Rig rig(world);
    rig.poller.setTeamListsEnabled(false); // every operation costs one sub-request
    rig.watchAll(150, 1);
    for (int o = 0; o < 50; ++o)
        rig.poller.watch(rig.ref(999, o));
    rig.run(minutes(3));

    QCOMPARE(rig.sim.server.throttled(), 0);
    QVERIFY(rig.busiestSecond() <= OperationPoller::kDefaultTenantBudget);
    QVERIFY(rig.busiestSecond(teamId(999)) <= OperationPoller::kDefaultTeamBudget);
    QVERIFY(rig.busiestSecond() >= 15); // and the budget is actually used
    // Every operation was read, none more often than every 30 s.
    QHash<QString, QDateTime> last;
    for (const SimRequestRecord &r : rig.gets()) {
        const QString op = r.path.section('/', -1);
        if (last.contains(op))
            QVERIFY2(last[op].secsTo(r.at) >= 30, qPrintable(op));
        last[op] = r.at;
    }
    QCOMPARE(last.size(), 200);
}

void TestPollScheduler::batchesSpreadEvenlyOverTheInterval()
{
    Rig rig(scenario(100, 1));
    rig.watchAll(100, 1);
    rig.run(seconds(120));
    // After the first sightings and the slow start (AdaptiveRate::startSlowly), a 30 s cycle carries 100 polls in batches of 10 (the size that
    // keeps 25/s and Graph's 30 per 1.4 s when batches are evenly spaced)...
    const QDateTime from = rig.sim.clock.now().addSecs(-60);
    const QDateTime to = from.addSecs(30);
    QCOMPARE(rig.gets(from, to).size(), 100);
    QCOMPARE(rig.roundTrips(from, to), 10);
    // ...at ten different moments, about 3 s apart, not in one burst.
    QSet<qint64> moments;
    for (const SimRequestRecord &r : rig.gets(from, to))
        moments.insert(r.at.toMSecsSinceEpoch() / 1000);
    QCOMPARE(moments.size(), 10);
    QList<qint64> sorted(moments.cbegin(), moments.cend());
    std::sort(sorted.begin(), sorted.end());
    for (qsizetype i = 1; i < sorted.size(); ++i)
        QVERIFY2(sorted[i] - sorted[i - 1] >= 2,
                 qPrintable(QString::number(sorted[i] - sorted[i - 1])));
    QCOMPARE(rig.poller.effectiveInterval(), seconds(30));
}

void TestPollScheduler::stretchesTheIntervalWhenTheBudgetIsShort()
{
    Rig rig(scenario(1000, 1));
    rig.watchAll(1000, 1);
    rig.run(seconds(150), milliseconds(250));
    QCOMPARE(rig.sim.server.throttled(), 0);
    // 1000 polls at 20 a second (batches of 10 every 0.5 s) take 50 s: that is the interval now.
    QCOMPARE(rig.poller.effectiveInterval(), seconds(50));
    const QDateTime from = rig.sim.clock.now().addSecs(-50);
    const int polls = int(rig.gets(from, rig.sim.clock.now()).size());
    QVERIFY2(polls >= 950 && polls <= 1000, qPrintable(QString::number(polls)));
    QVERIFY(rig.roundTrips(from, rig.sim.clock.now()) <= 101);
}

void TestPollScheduler::prefersMovingOperationsWhenStretched()
{
    // 900 operations, 90 of them in progress from the start: the budget allows 20 a second,
    // so each would be read every 45 s if all were equal.
    QJsonObject world = scenario(900, 1);
    QJsonArray ops = world["operations"].toArray();
    for (int t = 0; t < 90; ++t) {
        QJsonObject op = ops[t].toObject();
        op["startAfter"] = 0;
        ops[t] = op;
    }
    world["operations"] = ops;
    Rig rig(world);
    rig.watchAll(900, 1);
    rig.run(seconds(240), milliseconds(250));
    QCOMPARE(rig.poller.effectiveInterval(), seconds(45));
    // Over the last minute the in-progress ones were read more often than the waiting ones.
    const QDateTime from = rig.sim.clock.now().addSecs(-60);
    int lively = 0, waiting = 0;
    for (const SimRequestRecord &r : rig.gets(from, rig.sim.clock.now())) {
        const int t = r.path.section('/', -3, -3).right(12).toInt();
        (t < 90 ? lively : waiting) += 1;
    }
    // Each in-progress operation about every 30 s (its floor), the rest share what is left.
    QVERIFY2(lively >= 90 * 2 * 9 / 10 && double(lively) / 90 > 1.3 * double(waiting) / 810,
             qPrintable(QStringLiteral("%1 %2").arg(lively).arg(waiting)));
}

void TestPollScheduler::aThrottledSubRequestDelaysOnlyItsOperation()
{
    Rig rig(scenario(10, 1));
    rig.watchAll(10, 1);
    rig.run(seconds(1));
    rig.sim.server.injectFault(SimFault::answer(operationId(3, 0), 429, "100"));
    // Its next poll comes in the next cycle's slots (which the slow start may have spread).
    const WatchedOperation *throttled = rig.poller.find(rig.ref(3, 0));
    for (int s = 0; s < 50 && throttled->lastFailure != GraphFailure::Throttled; ++s)
        rig.run(seconds(1));
    QCOMPARE(throttled->lastFailure, GraphFailure::Throttled);
    QCOMPARE(throttled->nextPollAt, throttled->lastPolledAt.addSecs(100));
    QCOMPARE(rig.poller.find(rig.ref(4, 0))->lastFailure, GraphFailure::None);
    const int before = rig.sim.server.requestCount(operationId(3, 0));
    rig.run(seconds(60));
    QCOMPARE(rig.sim.server.requestCount(operationId(3, 0)), before); // still waiting
    QVERIFY(rig.sim.server.requestCount(operationId(4, 0)) >= 3);     // the others were not
    rig.run(seconds(45));
    QCOMPARE(rig.sim.server.requestCount(operationId(3, 0)), before + 1);
}

void TestPollScheduler::aThrottledBatchHoldsBackTheWholeTenant()
{
    Rig rig(scenario(10, 1));
    rig.watchAll(10, 1);
    rig.run(seconds(1));
    rig.sim.server.injectFault(SimFault::answer(QStringLiteral("$batch"), 429, "50"));
    rig.run(seconds(30));
    QVERIFY(rig.poller.tenantThrottledUntil().isValid());
    const int before = rig.sim.server.requestCount();
    rig.run(seconds(45));
    QCOMPARE(rig.sim.server.requestCount(), before); // nothing at all for 50 s
    rig.run(seconds(10));
    QVERIFY(rig.sim.server.requestCount() > before);
    QVERIFY(!rig.poller.tenantThrottledUntil().isValid());
}

void TestPollScheduler::readsATeamWithOneListAndPagesThroughIt()
{
    // Five operations on one team; the service serves two per page.
    Rig rig(scenario(1, 5, 1e6, QJsonObject{{"maxPageSize", 2}}));
    rig.watchAll(1, 5);
    rig.run(seconds(61));
    // At 0, 30 and 60 s a list of three pages (the team's budget of three a second allows it),
    // and never a single GET: the first sightings came from the first list too.
    const QList<SimRequestRecord> gets = rig.gets();
    QCOMPARE(gets.size(), 9);
    for (const SimRequestRecord &r : gets)
        QVERIFY2(r.path.endsWith(teamId(0) + "/operations"), qPrintable(r.path));
    QCOMPARE(gets.at(3).at, gets.at(0).at.addSecs(30));
    QCOMPARE(gets.at(6).at, gets.at(0).at.addSecs(60));
    for (const WatchedOperation &op : rig.store.records())
        QCOMPARE(op.polls, 3);
    QCOMPARE(rig.sim.server.throttled(), 0);
}

void TestPollScheduler::fallsBackToSingleGetsWhenTheListFails()
{
    Rig rig(scenario(1, 4));
    rig.watchAll(1, 4);
    rig.run(seconds(1));
    SimFault refused = SimFault::answer(teamId(0) + "/operations", 400);
    refused.times = 1000;
    rig.sim.server.injectFault(refused);
    // Single GETs end in /operations/{id} and so do not match the fault.
    rig.run(seconds(95));
    int lists = 0, singles = 0;
    for (const SimRequestRecord &r : rig.gets()) {
        if (r.path.endsWith("/operations"))
            ++lists;
        else
            ++singles;
    }
    QCOMPARE(lists, 2);       // the first list worked; the second was refused, and remembered
    QCOMPARE(singles, 4 * 3); // at 30, 60 and 90 s, one GET each
}

void TestPollScheduler::aThrottledListHoldsBackOnlyItsTeam()
{
    // Team 0 is read with a list; team 1's operation alone.
    QJsonObject world = scenario(2, 3);
    Rig rig(world);
    rig.watchAll(1, 3);
    rig.poller.watch(rig.ref(1, 0));
    rig.run(seconds(1));
    rig.sim.server.injectFault(SimFault::answer(teamId(0) + "/operations", 429, "75"));
    rig.run(seconds(30)); // the list at 30 s is throttled for 75 s
    const auto listsOf = [&](int t) {
        int lists = 0;
        for (const SimRequestRecord &r : rig.gets())
            lists += r.path.endsWith(teamId(t) + "/operations") ? 1 : 0;
        return lists;
    };
    QCOMPARE(listsOf(0), 2);
    const int otherBefore = rig.sim.server.requestCount(operationId(1, 0));
    const int teamBefore = rig.sim.server.requestCount(teamId(0));
    rig.run(seconds(70));
    QCOMPARE(rig.sim.server.requestCount(teamId(0)), teamBefore);          // held back...
    QVERIFY(rig.sim.server.requestCount(operationId(1, 0)) > otherBefore); // ...the other team not
    QVERIFY(rig.poller.find(rig.ref(0, 0))->lastFailureMessage.contains("429"));
    rig.run(seconds(10));
    QCOMPARE(listsOf(0), 3); // after 75 s, the listing resumes
}

// List pages of team 0 only: its operation GETs end with an id, not "/operations".
static SimFault onTeamLists(const QString &kind)
{
    SimFault fault;
    fault.pathContains = teamId(0);
    fault.pathEndsWith = QStringLiteral("/operations");
    fault.kind = kind;
    return fault;
}

static int listRequests(const Rig &rig)
{
    int lists = 0;
    for (const SimRequestRecord &r : rig.gets())
        lists += r.path.endsWith(teamId(0) + "/operations") ? 1 : 0;
    return lists;
}

void TestPollScheduler::fallsBackToSingleGetsWhenBatchesAreRefused()
{
    Rig rig(scenario(20, 1)); // twenty teams: their first sightings go as one batch
    rig.sim.server.injectFault(SimFault::answer(QStringLiteral("$batch"), 403, {}, -1));
    QSignalSpy notices(&rig.poller, &OperationPoller::notice);
    rig.watchAll(20, 1);
    rig.run(seconds(65));
    // The first batches refused (two of ten went together), then every operation on its own:
    // none of them condemned for it.
    QCOMPARE(rig.sim.server.requestCount(QStringLiteral("/$batch")), 2);
    for (const WatchedOperation &op : rig.store.records()) {
        QCOMPARE(op.watch, WatchedOperation::Watch::Active);
        QVERIFY(op.latest);
        QVERIFY(op.polls >= 2); // at once, and again within the next interval's slots
    }
    QCOMPARE(notices.size(), 1);
    QVERIFY(notices.first().first().toString().contains("$batch"));
    QCOMPARE(rig.sim.server.throttled(), 0);
}

void TestPollScheduler::leavesAListThatLinksToItself()
{
    Rig rig(scenario(1, 4));
    rig.sim.server.injectFault(onTeamLists(QStringLiteral("selfLink")));
    rig.watchAll(1, 4);
    QSignalSpy rounds(&rig.poller, &OperationPoller::roundFinished);
    rig.run(seconds(95));
    // One page, its link back to itself seen for what it is, then each operation on its own at
    // the interval: not a page every third of a second for ever.
    QCOMPARE(listRequests(rig), 1);
    for (int o = 0; o < 4; ++o) {
        const int reads = rig.sim.server.requestCount(operationId(0, o));
        QVERIFY2(reads >= 3 && reads <= 5, qPrintable(QString::number(reads)));
    }
    bool said = false;
    for (const QList<QVariant> &round : std::as_const(rounds))
        said = said || round.first().value<PollRound>().lastFailure.contains("never ends");
    QVERIFY(said);
}

void TestPollScheduler::leavesAListThatNeverEnds()
{
    Rig rig(scenario(1, 4));
    rig.sim.server.injectFault(onTeamLists(QStringLiteral("endless")));
    rig.watchAll(1, 4);
    rig.run(seconds(60), milliseconds(250));
    QCOMPARE(listRequests(rig), PollPlanner::maxListPages(4));
    rig.run(seconds(60), milliseconds(250));
    QCOMPARE(listRequests(rig), PollPlanner::maxListPages(4)); // and no listing of it again
    for (int o = 0; o < 4; ++o)
        QVERIFY(rig.sim.server.requestCount(operationId(0, o)) >= 2);
}

void TestPollScheduler::aListPageRefusedWithRetryAfterZeroBacksOff()
{
    // Two pages of two; the second is refused "retry after 0 s", for ever, from the second
    // listing on.
    Rig rig(scenario(1, 4, 1e6, QJsonObject{{"maxPageSize", 2}}));
    rig.watchAll(1, 4);
    rig.run(seconds(1));
    SimFault refused = SimFault::answer(teamId(0), 429, "0", -1);
    refused.pathEndsWith = QStringLiteral("/operations");
    refused.queryContains = QStringLiteral("skiptoken");
    rig.sim.server.injectFault(refused);
    rig.run(seconds(119));
    // Its retries still wait 3, 6, 12, 24 s... (plus jitter): at 30, 33, 39, 51, 75 s.
    QList<QDateTime> lists;
    for (const SimRequestRecord &r : rig.gets()) {
        if (r.status == 429)
            lists.append(r.at);
    }
    QVERIFY2(lists.size() >= 4 && lists.size() <= 6, qPrintable(QString::number(lists.size())));
    QVERIFY(lists.first().msecsTo(lists[1]) >= 3000);
    for (qsizetype i = 3; i < lists.size(); ++i)
        QVERIFY(lists[i - 1].msecsTo(lists[i]) > lists[i - 2].msecsTo(lists[i - 1]));
}

void TestPollScheduler::aSecondPageThatKeepsFailingBacksOffMore()
{
    Rig rig(scenario(1, 4, 1e6, QJsonObject{{"maxPageSize", 2}}));
    rig.watchAll(1, 4);
    rig.run(seconds(1));
    SimFault broken = SimFault::answer(teamId(0), 500, {}, -1);
    broken.pathEndsWith = QStringLiteral("/operations");
    broken.queryContains = QStringLiteral("skiptoken");
    rig.sim.server.injectFault(broken);
    rig.run(seconds(300), milliseconds(250));
    // Page 1 works every time, page 2 never: the listings still come less and less often
    // (30 s while the backoff is shorter than the interval, then 48 s, 96 s...).
    QList<QDateTime> failures;
    for (const SimRequestRecord &r : rig.gets()) {
        if (r.status == 500)
            failures.append(r.at);
    }
    QVERIFY2(failures.size() >= 5 && failures.size() <= 8,
             qPrintable(QString::number(failures.size())));
    QVERIFY2(failures.at(failures.size() - 2).secsTo(failures.last()) > 40,
             qPrintable(QString::number(failures.at(failures.size() - 2).secsTo(failures.last()))));
}

void TestPollScheduler::stopsOnAccessDeniedAndKeepsTheOthers()
{
    Rig rig(scenario(3, 1));
    rig.sim.server.injectFault(SimFault::answer(operationId(1, 0), 403));
    rig.watchAll(3, 1);
    rig.run(seconds(100));
    const WatchedOperation *denied = rig.poller.find(rig.ref(1, 0));
    QCOMPARE(denied->watch, WatchedOperation::Watch::AccessDenied);
    QVERIFY(denied->lastFailureMessage.contains("403"));
    QCOMPARE(rig.sim.server.requestCount(operationId(1, 0)), 1);
    QCOMPARE(rig.sim.server.requestCount(operationId(2, 0)), 4);

    rig.poller.retry(rig.ref(1, 0));
    rig.run(seconds(1));
    QCOMPARE(rig.poller.find(rig.ref(1, 0))->watch, WatchedOperation::Watch::Active);
    QVERIFY(rig.poller.find(rig.ref(1, 0))->latest);
}

void TestPollScheduler::givesUpOnALastingNotFoundAndCanRetry()
{
    Rig rig(scenario(2, 1));
    // Not yet known to the service: 404 for the first polls, then found (a brand-new operation).
    SimFault young = SimFault::answer(operationId(0, 0), 404);
    young.times = 2;
    rig.sim.server.injectFault(young);
    rig.watchAll(2, 1);
    rig.run(seconds(60));
    QCOMPARE(rig.poller.find(rig.ref(0, 0))->watch, WatchedOperation::Watch::Active);
    QVERIFY(rig.poller.find(rig.ref(0, 0))->latest);

    // A Location that never existed: given up after five 404s spread over two minutes or more.
    const OperationRef ghost =
        *resolveLocation(QStringLiteral("/teams/%1/operations/never-existed").arg(teamId(1)),
                         rig.sim.base())
             .ref;
    rig.poller.watch(ghost);
    rig.run(minutes(1));
    QCOMPARE(rig.poller.find(ghost)->watch, WatchedOperation::Watch::Active);
    rig.run(minutes(5));
    QCOMPARE(rig.poller.find(ghost)->watch, WatchedOperation::Watch::NotFound);
    const int asked = rig.sim.server.requestCount("never-existed");
    QVERIFY(asked >= OperationPoller::kNotFoundLimit);
    rig.run(minutes(5));
    QCOMPARE(rig.sim.server.requestCount("never-existed"), asked);
    rig.poller.retry(ghost);
    rig.run(seconds(1));
    QCOMPARE(rig.sim.server.requestCount("never-existed"), asked + 1);
}

void TestPollScheduler::pausesWhileOffline()
{
    Rig rig(scenario(3, 1));
    QSignalSpy online(&rig.poller, &OperationPoller::onlineChanged);
    rig.watchAll(3, 1);
    rig.run(seconds(1));
    const int before = rig.sim.server.requestCount();
    rig.poller.setOnline(false);
    QCOMPARE(online.size(), 1);
    QVERIFY(!rig.poller.nextPollAt().isValid());
    rig.run(minutes(2));
    QCOMPARE(rig.sim.server.requestCount(), before);
    rig.poller.setOnline(true);
    rig.settle();
    QVERIFY(rig.sim.server.requestCount() > before);
    for (const WatchedOperation &op : rig.store.records())
        QVERIFY(op.latest);
}

void TestPollScheduler::neverExceedsTheBudgetUnderAnyFault_data()
{
    QTest::addColumn<QJsonObject>("fault");
    const auto graphError = [](int status, const char *retryAfter) {
        return QJsonObject{
            {"path", "/teams/"}, {"rate", 0.3}, {"status", status}, {"retryAfter", retryAfter}};
    };
    const auto kind = [](const char *name) {
        return QJsonObject{{"path", "/teams/"}, {"rate", 0.3}, {"kind", name}};
    };
    QTest::newRow("429, retry after 0") << graphError(429, "0");
    QTest::newRow("429, retry after 2^63") << graphError(429, "9223372036854775807");
    QTest::newRow("503, retry after a date") << graphError(503, "Fri, 31 Dec 9999 23:59:59 GMT");
    QTest::newRow("500") << graphError(500, "");
    QTest::newRow("batch refused") << QJsonObject{{"path", "$batch"}, {"status", 403}};
    QTest::newRow("batch throttled, retry after 0")
        << QJsonObject{{"path", "$batch"}, {"rate", 0.5}, {"status", 429}, {"retryAfter", "0"}};
    QTest::newRow("self-linking lists") << kind("selfLink");
    QTest::newRow("endless lists") << kind("endless");
    QTest::newRow("truncated") << kind("truncated");
    QTest::newRow("html") << kind("html");
    QTest::newRow("drip") << kind("drip");
    QTest::newRow("stall") << kind("stall");
    QTest::newRow("reset") << kind("reset");
}

void TestPollScheduler::neverExceedsTheBudgetUnderAnyFault()
{
    // 30 teams of three (read with lists) and 20 teams of one, for two minutes, while a fault
    // hits a share of the requests: whatever the server does, no hammering.
    QFETCH(QJsonObject, fault);
    QJsonObject world = scenario(50, 3);
    world.insert("faults", QJsonArray{fault});
    Rig rig(world);
    rig.client.setTransferTimeout(milliseconds(300));
    rig.client.setReplyDeadline(milliseconds(900));
    rig.watchAll(30, 3);
    for (int t = 30; t < 50; ++t)
        rig.poller.watch(rig.ref(t, 0));
    rig.run(minutes(2), milliseconds(250));
    QVERIFY2(rig.busiestSecond() <= OperationPoller::kDefaultTenantBudget,
             qPrintable(QString::number(rig.busiestSecond())));
    for (int t = 0; t < 50; ++t)
        QVERIFY(rig.busiestSecond(teamId(t)) <= OperationPoller::kDefaultTeamBudget);
    // 110 operations (or 50 listings and 20 GETs) every 30 s is the most that is ever due.
    const int gets = int(rig.gets().size());
    QVERIFY2(gets <= 110 * 5, qPrintable(QString::number(gets)));
    QVERIFY(gets >= 50); // and polling carried on
}

void TestPollScheduler::classifiesTransportFaults_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<GraphFailure>("expected");
    QTest::newRow("hang") << "hang" << GraphFailure::Timeout;
    QTest::newRow("oversize") << "oversize" << GraphFailure::TooLarge;
    QTest::newRow("truncated") << "truncated" << GraphFailure::MalformedReply;
    QTest::newRow("html") << "html" << GraphFailure::HttpError;
    QTest::newRow("drip") << "drip" << GraphFailure::Timeout;
    QTest::newRow("stall after headers") << "stall" << GraphFailure::Timeout;
    QTest::newRow("reset mid-body") << "reset" << GraphFailure::Network;
}

void TestPollScheduler::classifiesTransportFaults()
{
    QFETCH(QString, kind);
    QFETCH(GraphFailure, expected);
    QJsonObject world = scenario(1, 1);
    world.insert("faults", QJsonArray{QJsonObject{{"path", operationId(0, 0)}, {"kind", kind}}});
    QTest::failOnWarning(QRegularExpression(QStringLiteral("device not open")));
    Rig rig(world);
    // Each kind meets the limit it is about, and only that one, however slow the machine (a
    // sanitizer build under load): a silence of 300 ms for a hang or a stall; the whole-reply
    // deadline of 0.9 s for a drip (a byte every 200 ms, well inside a 5 s silence limit).
    const bool silent = kind == QLatin1String("hang") || kind == QLatin1String("stall");
    const bool drip = kind == QLatin1String("drip");
    rig.client.setTransferTimeout(silent ? milliseconds(300) : seconds(5));
    rig.client.setReplyDeadline(drip ? milliseconds(900) : seconds(30));
    rig.watchAll(1, 1);
    rig.settle();
    const WatchedOperation *op = rig.poller.find(rig.ref(0, 0));
    QCOMPARE(op->lastFailure, expected);
    QVERIFY(!op->lastFailureMessage.isEmpty());
    if (kind == QLatin1String("drip"))
        QVERIFY2(op->lastFailureMessage.contains("no complete reply within 0.9 s"),
                 qPrintable(op->lastFailureMessage));
    // The transport's failure wins over a status line that had arrived.
    if (expected == GraphFailure::Timeout || expected == GraphFailure::Network)
        QVERIFY2(!op->lastFailureMessage.contains("malformed", Qt::CaseInsensitive),
                 qPrintable(op->lastFailureMessage));
    QCOMPARE(op->consecutiveFailures, 1);
    QVERIFY(op->nextPollAt >= rig.sim.clock.now().addSecs(3)); // backing off, not spinning
}

void TestPollScheduler::resumesFromTheStoreSpreadOutAfterASavedRetryAfter()
{
    // 150 operations watched and saved; Graph had said "wait 90 s" just before the app closed.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    Rig rig(scenario(150, 1));
    QDateTime retryAt;
    {
        OperationStore store;
        OperationPoller poller(rig.client, rig.sim.clock, store);
        poller.setInterval(seconds(30));
        OperationDatabase database;
        QVERIFY(database.open(path).ok);
        StoreSaver saver(database, store, rig.sim.clock);
        for (int t = 0; t < 150; ++t)
            poller.watch(rig.ref(t, 0));
        const auto allSeen = [&store] {
            return std::all_of(store.records().cbegin(), store.records().cend(),
                               [](const WatchedOperation &op) { return op.latest.has_value(); });
        };
        for (int step = 0; step < 300 && !allSeen(); ++step) {
            rig.sim.clock.advance(milliseconds(100));
            QTRY_COMPARE(poller.inFlightRequests(), 0);
        }
        QVERIFY(allSeen());
        PollPlanner throttled([](const QString &p) { return QUrl(p); });
        GraphReply refusal;
        refusal.failure = GraphFailure::Throttled;
        refusal.httpStatus = 429;
        refusal.retryAfterHeader = "90";
        throttled.envelopeAnswered(refusal, rig.sim.clock.now());
        retryAt = throttled.tenantRetryAt(rig.sim.clock.now());
        QVERIFY(retryAt.isValid());
        saver.setPaceSource([&throttled] { return throttled.savedPace(); });
        QVERIFY(saver.saveNow());
    }
    // Restarted 20 s later: every operation is overdue.
    rig.sim.clock.advance(seconds(20));
    const QDateTime restartedAt = rig.sim.clock.now();
    OperationDatabase database;
    QVERIFY(database.open(path).ok);
    StoreSaver saver(database, rig.store, rig.sim.clock);
    QCOMPARE(saver.restore(), 150);
    rig.poller.restorePace(saver.savedPace());
    rig.run(minutes(2));

    const QList<SimRequestRecord> after = rig.gets(restartedAt);
    QVERIFY(!after.isEmpty());
    for (const SimRequestRecord &r : after)
        QVERIFY2(r.at >= retryAt, qPrintable(r.at.toString(Qt::ISODateWithMs)));
    // Spread out within the budget, not 150 at once; and every one read again.
    QVERIFY(rig.busiestSecond() <= OperationPoller::kDefaultTenantBudget);
    QSet<QString> read;
    for (const SimRequestRecord &r : after)
        read.insert(r.path.section('/', -1));
    QCOMPARE(read.size(), 150);
    QCOMPARE(rig.sim.server.throttled(), 0);
}

QTEST_GUILESS_MAIN(TestPollScheduler)
#include "tst_pollscheduler.moc"
