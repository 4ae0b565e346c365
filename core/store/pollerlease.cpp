#include "store/pollerlease.h"

#include "model/clock.h"
#include "store/operationdatabase.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QUuid>

using namespace std::chrono;

QString LeaseHolder::describe() const
{
    const QString who = QStringLiteral("%1 (pid %2)").arg(program).arg(pid);
    return host == QHostInfo::localHostName() ? who : PollerLease::tr("%1 on %2").arg(who, host);
}

PollerLease::PollerLease(OperationDatabase &database, Clock &clock, const QString &program,
                         QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_clock(clock)
{
    m_me.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_me.program = program;
    m_me.pid = QCoreApplication::applicationPid();
    m_me.host = QHostInfo::localHostName();
    connect(&m_timer, &QTimer::timeout, this, &PollerLease::tryToHold);
}

PollerLease::~PollerLease()
{
    release();
}

void PollerLease::start(milliseconds lifetime)
{
    m_lifetime = std::max(lifetime, kShortestLifetime);
    // Renewed three times per lifetime: one late renewal (a busy store, a slow disk) does not
    // lose it.
    m_timer.start(m_lifetime / 3);
    tryToHold();
}

void PollerLease::tryToHold()
{
    LeaseHolder claim = m_me;
    claim.expiresAt = m_clock.now().addMSecs(m_lifetime.count());
    const std::optional<LeaseHolder> holder = m_database.claimLease(claim, m_clock.now());
    if (!holder)
        return; // the store is busy or failing: try again at the next renewal
    const bool holding = holder->id == m_me.id;
    if (holding) {
        m_other.reset();
        if (!m_holding) {
            m_holding = true;
            emit acquired();
        }
        return;
    }
    const bool changed = m_holding || !m_other || m_other->id != holder->id;
    m_holding = false;
    m_other = holder;
    if (changed)
        emit following(*holder);
}

void PollerLease::release()
{
    m_timer.stop();
    if (m_holding)
        m_database.releaseLease(m_me.id);
    m_holding = false;
}
