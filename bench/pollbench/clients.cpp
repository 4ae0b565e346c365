#include "clients.h"

#include "model/operation.h"
#include "polling/pollplanner.h"

using namespace std::chrono;

namespace {

QList<OperationRef> refsOf(const QStringList &locations, const QUrl &base)
{
    QList<OperationRef> refs;
    for (const QString &location : locations)
        refs.append(*resolveLocation(location, base).ref);
    return refs;
}

} // namespace

TeamsOpsClient::TeamsOpsClient(Harness &harness)
    : BenchClient(harness)
    , m_poller(m_client, harness.clock, m_store)
{
    m_poller.setInterval(kInterval);
    QObject::connect(&m_poller, &OperationPoller::operationObserved,
                     [this](const WatchedOperation &op, bool) {
                         m_seen.observe(op.key, op.latest->statusRaw, m_harness.elapsed());
                     });
}

void TeamsOpsClient::start(const QStringList &locations)
{
    for (const OperationRef &ref : refsOf(locations, m_client.baseUrl()))
        m_poller.watch(ref);
}

void SequentialClient::start(const QStringList &locations)
{
    m_refs = refsOf(locations, m_client.baseUrl());
    sendNext();
}

void SequentialClient::sendNext()
{
    while (m_next < m_refs.size() && m_finished.contains(m_refs[m_next].key()))
        ++m_next;
    if (m_next >= m_refs.size()) { // the pass is over: Start-Sleep
        m_sleepUntil = m_harness.clock.now().addSecs(kInterval.count());
        return;
    }
    const OperationRef ref = m_refs[m_next++];
    m_waiting = true;
    m_client.get(ref.url(), &m_receiver, [this, key = ref.key()](const GraphReply &reply) {
        m_waiting = false;
        bool terminal = false;
        if (reply.ok())
            observe(key, reply.body, &terminal);
        if (terminal)
            m_finished.insert(key);
        sendNext(); // a failed GET is simply skipped until the next pass
    });
}

void SequentialClient::clockMoved()
{
    if (!m_sleepUntil.isValid() || m_harness.clock.now() < m_sleepUntil)
        return;
    m_sleepUntil = QDateTime();
    m_next = 0;
    sendNext();
}

void PacedClient::start(const QStringList &locations)
{
    m_refs = refsOf(locations, m_client.baseUrl());
    m_nextSendAt = m_harness.clock.now();
    clockMoved();
}

bool PacedClient::sendOne(const QDateTime &now)
{
    for (qsizetype scanned = 0; scanned < m_refs.size(); ++scanned) {
        const OperationRef &ref = m_refs[m_cursor];
        m_cursor = (m_cursor + 1) % m_refs.size();
        const QString key = ref.key();
        const QDateTime last = m_lastSentAt.value(key);
        if (m_finished.contains(key) || (last.isValid() && last.secsTo(now) < kInterval.count()))
            continue;
        const QString team = ref.teamId.toLower();
        auto window = m_teamWindows.find(team);
        if (window == m_teamWindows.end())
            window = m_teamWindows.insert(team, RateWindow(PollPlanner::kDefaultTeamBudget));
        if (window->available(now) == 0)
            continue;
        window->record(now);
        m_lastSentAt.insert(key, now);
        ++m_inFlight;
        m_client.get(ref.url(), &m_receiver, [this, key](const GraphReply &reply) {
            --m_inFlight;
            bool terminal = false;
            if (reply.ok())
                observe(key, reply.body, &terminal);
            if (terminal)
                m_finished.insert(key);
        });
        return true;
    }
    return false;
}

void PacedClient::clockMoved()
{
    const QDateTime now = m_harness.clock.now();
    const milliseconds spacing(1000 / PollPlanner::kDefaultTenantBudget);
    while (m_nextSendAt.isValid() && m_nextSendAt <= now) {
        if (m_finished.size() == m_refs.size()) {
            m_nextSendAt = QDateTime();
            return;
        }
        if (!sendOne(now)) { // nothing may go yet: look again a little later
            m_nextSendAt = now.addMSecs(spacing.count() * 5);
            return;
        }
        m_nextSendAt = m_nextSendAt.addMSecs(spacing.count());
    }
}

void BurstClient::start(const QStringList &locations)
{
    m_refs = refsOf(locations, m_client.baseUrl());
    m_nextRoundAt = m_harness.clock.now();
    clockMoved();
}

void BurstClient::clockMoved()
{
    const QDateTime now = m_harness.clock.now();
    if (!m_nextRoundAt.isValid() || now < m_nextRoundAt)
        return;
    m_nextRoundAt = m_nextRoundAt.addSecs(kInterval.count());
    for (const OperationRef &ref : std::as_const(m_refs)) {
        const QString key = ref.key();
        if (m_finished.contains(key))
            continue;
        ++m_inFlight;
        m_client.get(ref.url(), &m_receiver, [this, key](const GraphReply &reply) {
            --m_inFlight;
            bool terminal = false;
            if (reply.ok())
                observe(key, reply.body, &terminal);
            if (terminal)
                m_finished.insert(key); // a script like this simply tries again next round
        });
    }
}
