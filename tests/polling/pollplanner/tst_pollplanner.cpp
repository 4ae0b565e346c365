// PollPlanner on its own: no network, no timer, no event loop. A small discrete-event tenant
// stands in for Graph (its limits are the simulator's, counted when requests arrive, after a
// network latency drawn between 50 and 400 ms), so each test covers minutes of polling in
// milliseconds.
#include "model/watchedoperation.h"
#include "polling/pollplanner.h"
#include "simthrottle.h"
#include "store/operationstore.h"

#include <QRandomGenerator>
#include <QtTest>

#include <map>

using namespace std::chrono;

namespace {

const QDateTime kStart(QDate(2026, 11, 25), QTime(9, 0), Qt::UTC);

QUrl resolve(const QString &path)
{
    return QUrl(QStringLiteral("https://graph.example") + path);
}

OperationRef refOf(int copy, int team, int op)
{
    OperationRef ref;
    ref.teamId = QStringLiteral("team-%1").arg(team);
    ref.operationId = QStringLiteral("op-%1-%2").arg(copy).arg(op);
    ref.graphBase = resolve(QString());
    return ref;
}

// Fifteen seconds and more of clean answers before kStart: past the slow start of a new planner
// (AdaptiveRate::startSlowly), at the full budget.
void warmUp(PollPlanner &planner)
{
    PollPlanner::Feedback clean;
    clean.cleanTeams = {QStringLiteral("warm-up")};
    for (int s = 30; s >= 0; s -= 3)
        planner.learn(clean, kStart.addSecs(-s));
    QCOMPARE(planner.pace().rate, double(planner.tenantBudget()));
}

// One copy of TeamsOps: its records and its planner.
struct Copy
{
    OperationStore store;
    PollPlanner planner{resolve};
    QDateTime wakeAt;
    bool replan = true;
    int sent = 0;
    int throttled = 0;
    QList<qint64> sentAtMs; // every sub-request, in order

    Copy(int index, int operations, int teams)
    {
        for (int i = 0; i < operations; ++i) {
            WatchedOperation op;
            op.ref = refOf(index, i % teams, i);
            op.nextPollAt = kStart;
            store.add(op);
        }
    }
};

// Copies of TeamsOps on one tenant: requests reach Graph after a random latency and are
// admitted or refused (429, Retry-After: 1) by Graph's limits at that moment; answers come back
// at once. Time moves from event to event.
class VirtualTenant
{
public:
    explicit VirtualTenant(int latencyMinMs = 50, int latencyMaxMs = 400)
        : m_minMs(latencyMinMs)
        , m_maxMs(latencyMaxMs)
    {}

    SimThrottle limits; // Graph's: 30/s per tenant, 4/s per team
    QDateTime now = kStart;
    int worstTenantSecond = 0; // the most arrivals admitted in any one second

    void run(QList<Copy *> copies, seconds span)
    {
        const QDateTime end = now.addSecs(span.count());
        while (now < end) {
            for (Copy *copy : copies)
                planIfDue(*copy);
            QDateTime next =
                m_arrivals.empty()
                    ? QDateTime()
                    : QDateTime::fromMSecsSinceEpoch(m_arrivals.begin()->first, Qt::UTC);
            for (Copy *copy : copies) {
                if (copy->wakeAt.isValid() && (!next.isValid() || copy->wakeAt < next))
                    next = copy->wakeAt;
            }
            if (!next.isValid() || next > end)
                next = end;
            now = std::max(next, now.addMSecs(1));
            arrive(copies);
        }
    }

private:
    struct InFlight
    {
        Copy *copy;
        PollPlanner::Request request;
        QDateTime sentAt;
    };

    void planIfDue(Copy &copy)
    {
        if (!copy.replan && copy.wakeAt.isValid() && copy.wakeAt > now)
            return;
        if (!copy.replan && !copy.wakeAt.isValid())
            return;
        copy.replan = false;
        const PollPlanner::Plan plan = copy.planner.plan(copy.store, now);
        for (const PollPlanner::Request &request : plan.requests) {
            for (const PollPlanner::Work &work : request) {
                WatchedOperation *op = copy.store.edit(work.key);
                op->inFlight = true;
                op->lastSentAt = now;
                copy.sentAtMs.append(now.toMSecsSinceEpoch());
            }
            copy.sent += int(request.size());
            const qint64 latency = m_random.bounded(m_minMs, m_maxMs + 1);
            m_arrivals.emplace(now.toMSecsSinceEpoch() + latency, InFlight{&copy, request, now});
        }
        const QDateTime next = copy.planner.nextPollAt(copy.store, now);
        copy.wakeAt = plan.wakeAt;
        if (next.isValid() && next > now && (!copy.wakeAt.isValid() || next < copy.wakeAt))
            copy.wakeAt = next;
    }

    void arrive(const QList<Copy *> &)
    {
        while (!m_arrivals.empty() && m_arrivals.begin()->first <= now.toMSecsSinceEpoch()) {
            auto node = m_arrivals.extract(m_arrivals.begin());
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(node.key(), Qt::UTC);
            InFlight &flight = node.mapped();
            PollPlanner::Feedback feedback;
            feedback.sentAt = flight.sentAt;
            for (const PollPlanner::Work &work : std::as_const(flight.request)) {
                const bool refused = limits.admit(work.teamKey, at).has_value();
                if (!refused)
                    noteAdmitted(at);
                WatchedOperation *op = flight.copy->store.edit(work.key);
                op->inFlight = false;
                op->lastPolledAt = at;
                ++op->polls;
                GraphReply reply;
                if (refused) {
                    ++flight.copy->throttled;
                    reply.httpStatus = 429;
                    reply.failure = GraphFailure::Throttled;
                    reply.retryAfterHeader = "1";
                    ++op->consecutiveFailures;
                    op->nextPollAt = flight.copy->planner.nextPollAfterFailure(*op, reply, at);
                    feedback.throttledTeams.insert(work.teamKey);
                } else {
                    op->consecutiveFailures = 0;
                    op->nextPollAt = flight.copy->planner.nextPollAfterSuccess(flight.sentAt);
                    feedback.cleanTeams.insert(work.teamKey);
                }
            }
            flight.copy->planner.learn(feedback, at);
            flight.copy->replan = true;
        }
    }

    void noteAdmitted(const QDateTime &at)
    {
        const qint64 ms = at.toMSecsSinceEpoch();
        m_admittedMs.append(ms);
        while (m_admittedMs.first() <= ms - 1000)
            m_admittedMs.removeFirst();
        worstTenantSecond = std::max(worstTenantSecond, int(m_admittedMs.size()));
    }

    int m_minMs;
    int m_maxMs;
    QRandomGenerator m_random{20261125};
    std::multimap<qint64, InFlight> m_arrivals;
    QList<qint64> m_admittedMs;
};

// The most sends in any window of `span` milliseconds.
int busiest(const QList<qint64> &sentAtMs, qint64 span)
{
    int most = 0;
    for (qsizetype i = 0, j = 0; i < sentAtMs.size(); ++i) {
        while (sentAtMs[i] - sentAtMs[j] >= span)
            ++j;
        most = std::max(most, int(i - j + 1));
    }
    return most;
}

} // namespace

class TestPollPlanner : public QObject
{
    Q_OBJECT

private slots:
    void keepsEveryLimitUnderJitter();
    void keepsATeamsLimitUnderJitter();
    void startsAtHalfTheBudgetAndRisesToIt();
    void slowsDownWhenThrottledAndRecoversSlowly();
    void oneTeamRefusedSlowsOnlyThatTeam();
    void otherRequestsOnATeamShareItsBudget();
    void requestsThatAreNotPollsLeavePollsABatch();
    void twoOrThreeCopiesShareTheTenantFairly_data();
    void twoOrThreeCopiesShareTheTenantFairly();
    void answersTheSameDueTimeItPlansBy();
    void pagesThroughTheListOfTenThousandClones();
};

void TestPollPlanner::keepsEveryLimitUnderJitter()
{
    Copy copy(0, 1000, 1000); // one operation per team: every poll is a sub-request
    VirtualTenant tenant;
    tenant.run({&copy}, minutes(5));
    QCOMPARE(copy.throttled, 0);
    QVERIFY(tenant.worstTenantSecond <= 30);
    QVERIFY(busiest(copy.sentAtMs, 1000) <= PollPlanner::kDefaultTenantBudget);
    QVERIFY(busiest(copy.sentAtMs, 1400) <= PollPlanner::kServiceTenantLimit);
    // And the rate is used: 5 minutes at 20/s, less the first second and the slow start's
    // 15 s from half the budget to all of it.
    QVERIFY2(copy.sent >= 5 * 60 * 20 - 120, qPrintable(QString::number(copy.sent)));
    QCOMPARE(copy.planner.pace().rate, double(PollPlanner::kDefaultTenantBudget));
}

void TestPollPlanner::keepsATeamsLimitUnderJitter()
{
    Copy copy(0, 40, 1); // one busy team whose list is not used: every operation costs a GET
    copy.planner.setTeamListsEnabled(false);
    VirtualTenant tenant;
    tenant.run({&copy}, minutes(3));
    QCOMPARE(copy.throttled, 0);
    QVERIFY(busiest(copy.sentAtMs, 1000) <= PollPlanner::kDefaultTeamBudget);
    QVERIFY(busiest(copy.sentAtMs, 1400) <= PollPlanner::kServiceTeamLimit);
}

void TestPollPlanner::startsAtHalfTheBudgetAndRisesToIt()
{
    const double budget = PollPlanner::kDefaultTenantBudget;
    PollPlanner planner(resolve);
    QCOMPARE(planner.pace().rate, budget * AdaptiveRate::kStartShare);
    QVERIFY(planner.pace().startingUp);
    QVERIFY(!planner.pace().isSlowed()); // nobody asked it to slow down: nothing to say
    QCOMPARE(planner.pace().describe(kStart), QString());
    // A budget set meanwhile starts at the same share of itself.
    planner.setBudget(50, 3);
    QCOMPARE(planner.pace().rate, 50 * AdaptiveRate::kStartShare);
    planner.setBudget(int(budget), 3);
    // Clean answers raise it a tenth of the budget every 3 s, to the budget in 15 s.
    PollPlanner::Feedback clean;
    clean.cleanTeams = {QStringLiteral("a")};
    planner.learn(clean, kStart);
    planner.learn(clean, kStart.addSecs(6));
    QCOMPARE(planner.pace().rate,
             budget * (AdaptiveRate::kStartShare + 2 * AdaptiveRate::kStartStep));
    planner.learn(clean, kStart.addSecs(15));
    QCOMPARE(planner.pace().rate, budget);
    QVERIFY(!planner.pace().startingUp);

    // A refusal during the start ends it: cut from where it stood, then the usual slow rise.
    PollPlanner refusedEarly(resolve);
    PollPlanner::Feedback refused;
    refused.sentAt = kStart;
    refused.throttledTeams = {QStringLiteral("a"), QStringLiteral("b")};
    refusedEarly.learn(refused, kStart.addMSecs(300));
    QCOMPARE(refusedEarly.pace().rate, budget * AdaptiveRate::kStartShare * AdaptiveRate::kCut);
    QVERIFY(!refusedEarly.pace().startingUp);
    QVERIFY(refusedEarly.pace().isSlowed());

    // A pace saved by an earlier run is where a restart begins: no start-up.
    PollPlanner restarted(resolve);
    restarted.restorePace(planner.savedPace(), kStart);
    QCOMPARE(restarted.pace().rate, budget);
    QVERIFY(!restarted.pace().startingUp);
}

void TestPollPlanner::slowsDownWhenThrottledAndRecoversSlowly()
{
    PollPlanner planner(resolve);
    warmUp(planner);
    const double budget = PollPlanner::kDefaultTenantBudget;
    PollPlanner::Feedback refused;
    refused.sentAt = kStart;
    refused.throttledTeams = {QStringLiteral("a"), QStringLiteral("b")}; // two teams: the tenant
    planner.learn(refused, kStart.addMSecs(300));
    QCOMPARE(planner.pace().rate, budget * AdaptiveRate::kCut);
    QCOMPARE(planner.pace().slowedAt, kStart.addMSecs(300));
    // More refusals of requests sent before the cut are the same signal, not a new one.
    planner.learn(refused, kStart.addMSecs(350));
    QCOMPARE(planner.pace().rate, budget * AdaptiveRate::kCut);
    // Clean answers raise it back a step at a time, never past the budget.
    PollPlanner::Feedback clean;
    clean.cleanTeams = {QStringLiteral("c")};
    double previous = planner.pace().rate;
    int steps = 0;
    for (int s = 1; s <= 120; ++s) {
        planner.learn(clean, kStart.addMSecs(300).addSecs(s));
        const double rate = planner.pace().rate;
        QVERIFY(rate >= previous && rate <= budget);
        steps += rate > previous ? 1 : 0;
        previous = rate;
    }
    QCOMPARE(previous, budget);
    QVERIFY2(steps >= 5, "recovery is gradual, not one jump");
    QVERIFY(!planner.pace().isSlowed());
    // A later refusal of a request sent after the cut cuts again.
    refused.sentAt = kStart.addSecs(200);
    planner.learn(refused, kStart.addSecs(201));
    QCOMPARE(planner.pace().rate, budget * AdaptiveRate::kCut);
}

void TestPollPlanner::oneTeamRefusedSlowsOnlyThatTeam()
{
    PollPlanner planner(resolve);
    warmUp(planner);
    PollPlanner::Feedback feedback;
    feedback.sentAt = kStart;
    feedback.throttledTeams = {QStringLiteral("a")};
    feedback.cleanTeams = {QStringLiteral("b"), QStringLiteral("c")};
    planner.learn(feedback, kStart.addMSecs(200));
    QCOMPARE(planner.pace().rate, double(PollPlanner::kDefaultTenantBudget));
    QCOMPARE(planner.pace().slowedTeams, 1);
    // Another team refused alone within the next moment: that is the tenant after all.
    feedback.throttledTeams = {QStringLiteral("b")};
    feedback.cleanTeams = {};
    planner.learn(feedback, kStart.addMSecs(600));
    QVERIFY(planner.pace().isSlowed());
}

void TestPollPlanner::otherRequestsOnATeamShareItsBudget()
{
    // A bulk clone's POSTs on the template: as many at once as the team budget allows, then a
    // time to come back; its name in any case.
    PollPlanner planner(resolve);
    const auto placesAt = [&planner](const QDateTime &at) {
        int taken = 0;
        while (!planner.reserveTeamRequest(QStringLiteral("TEMPLATE"), at).isValid())
            ++taken;
        return taken;
    };
    QCOMPARE(placesAt(kStart), PollPlanner::kDefaultTeamBudget);
    const QDateTime freeAt = planner.reserveTeamRequest(QStringLiteral("template"), kStart);
    QVERIFY(freeAt > kStart);
    QVERIFY(freeAt <= kStart.addMSecs(1400));
    // Polls of that team see the places taken: none left for a poll at this moment.
    QCOMPARE(placesAt(kStart.addMSecs(100)), 0);
    // A throttled one slows the team as a throttled poll does, and only that team.
    const QDateTime later = kStart.addSecs(10);
    planner.teamRequestThrottled(QStringLiteral("Template"), later, later);
    QCOMPARE(planner.pace().slowedTeams, 1);
    QVERIFY(placesAt(later.addSecs(5)) < PollPlanner::kDefaultTeamBudget);
    QCOMPARE(planner.reserveTeamRequest(QStringLiteral("other"), later.addSecs(5)), QDateTime());
}

void TestPollPlanner::requestsThatAreNotPollsLeavePollsABatch()
{
    // Names of teams and a new clone's parts take places while the tenant has more than a
    // batch's worth free; the polls due at the same moment then still go as a full batch.
    Copy copy(0, 40, 40); // 40 operations, one per team: first sightings, due now
    PollPlanner &planner = copy.planner;
    warmUp(planner);
    int taken = 0;
    QDateTime freeAt;
    for (int team = 100;
         !(freeAt = planner.reserveBackgroundRequest(QStringLiteral("team-%1").arg(team), kStart))
              .isValid();
         ++team)
        ++taken;
    QVERIFY2(taken > 0 && taken < PollPlanner::kDefaultTenantBudget,
             qPrintable(QString::number(taken)));
    QVERIFY(freeAt > kStart);
    const PollPlanner::Plan plan = planner.plan(copy.store, kStart);
    QVERIFY(!plan.requests.isEmpty());
    QCOMPARE(taken + int(plan.requests.first().size()), PollPlanner::kDefaultTenantBudget);
    // A team's own limit holds them too; a request on no team needs only the tenant's place.
    const QDateTime later = kStart.addSecs(10);
    for (int i = 0; i < PollPlanner::kDefaultTeamBudget; ++i)
        QVERIFY(!planner.reserveBackgroundRequest(QStringLiteral("busy"), later).isValid());
    QVERIFY(planner.reserveBackgroundRequest(QStringLiteral("busy"), later).isValid());
    QVERIFY(!planner.reserveBackgroundRequest(QString(), later).isValid());
}

void TestPollPlanner::twoOrThreeCopiesShareTheTenantFairly_data()
{
    QTest::addColumn<int>("copies");
    QTest::addColumn<int>("minutesRun");
    QTest::addColumn<double>("most429Share");
    QTest::newRow("two") << 2 << 6 << 0.02;
    QTest::newRow("three") << 3 << 6 << 0.03;
    // Both start at once with every operation due: the start-up alone stays within the target.
    QTest::newRow("two, the first minute") << 2 << 1 << 0.02;
}

void TestPollPlanner::twoOrThreeCopiesShareTheTenantFairly()
{
    QFETCH(int, copies);
    QFETCH(int, minutesRun);
    QFETCH(double, most429Share);
    QList<Copy *> running;
    std::vector<std::unique_ptr<Copy>> owned;
    for (int c = 0; c < copies; ++c) {
        owned.push_back(std::make_unique<Copy>(c, 600, 600)); // 20/s each: more than a share
        running.append(owned.back().get());
    }
    VirtualTenant tenant;
    tenant.run(running, minutes(minutesRun));
    int sent = 0, throttled = 0, fewest = std::numeric_limits<int>::max();
    for (const Copy *copy : std::as_const(running)) {
        sent += copy->sent;
        throttled += copy->throttled;
        fewest = std::min(fewest, copy->sent);
    }
    const double share429 = double(throttled) / sent;
    const double fairShare = 1.0 / copies;
    qInfo("%d copies: %d sent, %d throttled (%.2f %%), smallest share %.2f", copies, sent,
          throttled, 100 * share429, double(fewest) / sent);
    QVERIFY2(share429 <= most429Share, qPrintable(QString::number(share429)));
    // Over minutes, fair shares (the first minute is about the start-up's refusals alone).
    if (minutesRun >= 6)
        QVERIFY(double(fewest) / sent >= 0.8 * fairShare); // two: 40 %; three: 26.7 %
    // Together they use most of what Graph allows (30/s), not a timid fraction of it.
    QVERIFY2(sent - throttled >= 0.6 * 30 * 60 * minutesRun,
             qPrintable(QString::number(sent - throttled)));
}

void TestPollPlanner::answersTheSameDueTimeItPlansBy()
{
    // A team seen for the first time: the due time reported is when its work goes out.
    OperationStore store;
    PollPlanner planner(resolve);
    for (int i = 0; i < 3; ++i) {
        WatchedOperation op;
        op.ref = refOf(0, 0, i);
        op.nextPollAt = kStart.addSecs(10);
        store.add(op);
    }
    QCOMPARE(planner.nextPollAt(store, kStart), kStart.addSecs(10));
    QVERIFY(planner.plan(store, kStart).requests.isEmpty());
    const PollPlanner::Plan plan = planner.plan(store, kStart.addSecs(10));
    QCOMPARE(plan.requests.size(), 1);
    // One list of the team's operations, not three GETs.
    QCOMPARE(plan.requests.first().size(), 1);
    QCOMPARE(plan.requests.first().first().kind, PollPlanner::Work::Kind::TeamList);
}

void TestPollPlanner::pagesThroughTheListOfTenThousandClones()
{
    // 10 000 clones of one template fill 100 pages of the team's list: a long listing, not an
    // endless one. (A cap of 50 pages once sent them all to single GETs at 3/s.)
    auto pagesReadBeforeGivingUp = [](int watched) {
        OperationStore store;
        PollPlanner planner(resolve);
        for (int i = 0; i < watched; ++i) {
            WatchedOperation op;
            op.ref = refOf(0, 0, i);
            op.nextPollAt = kStart;
            store.add(op);
        }
        const PollPlanner::Plan plan = planner.plan(store, kStart);
        if (plan.requests.isEmpty() ||
            plan.requests.first().first().kind != PollPlanner::Work::Kind::TeamList)
            return -1;
        for (int page = 1; page <= 1000; ++page) {
            const QUrl next =
                resolve(QStringLiteral("/teams/team-0/operations?$skiptoken=%1").arg(page));
            if (planner.listPageRead(QStringLiteral("team-0"), {}, next, kStart) !=
                PollPlanner::ListStep::NextPage)
                return page;
        }
        return 1000;
    };
    QCOMPARE(pagesReadBeforeGivingUp(10000), PollPlanner::maxListPages(10000));
    QVERIFY(PollPlanner::maxListPages(10000) >= 2 * 10000 / PollPlanner::kListPageSize);
    QCOMPARE(pagesReadBeforeGivingUp(4), PollPlanner::kMaxListPages + 2);
}

QTEST_GUILESS_MAIN(TestPollPlanner)
#include "tst_pollplanner.moc"
