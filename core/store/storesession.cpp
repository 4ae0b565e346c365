#include "store/storesession.h"

#include "store/storelocation.h"

#include <QFileInfo>

StoreSession::StoreSession(OperationStore &store, Clock &clock, const QString &program,
                           QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
    , m_database(std::make_unique<OperationDatabase>())
    , m_program(program)
{
    // Who stops, resumes and forgets here, until a signed-in account says better (setActor).
    m_database->setActor(program);
}

StoreSession::~StoreSession()
{
    // Given up first, so that another process takes over at once rather than at its expiry.
    m_lease.reset();
    closeStandIn();
}

OperationDatabase::OpenResult StoreSession::open(const QString &path, Restore restore)
{
    m_path = path;
    m_restore = std::move(restore);
    QString notALocation; // said by whoever opens it (the database refuses it too)
    m_standInPath = StoreLocation::parse(path, notALocation).standInPath(m_graph);
    m_opener = std::make_unique<StoreOpener>(*m_database, path);
    connect(m_opener.get(), &StoreOpener::opened, this, [this] {
        // Everything the local copy holds is in memory too (restored from it, then watched
        // here): it is written below with the rest, the copy closed first.
        closeStandIn();
        attach();
        // Watched before the file could be opened: written now, merged with what it held.
        m_saver->saveEverything();
        if (QFileInfo::exists(m_standInPath))
            handOver();
        emit ready();
    });
    connect(m_opener.get(), &StoreOpener::failed, this, &StoreSession::failed);
    const OperationDatabase::OpenResult opened = m_opener->open();
    if (opened.ok) {
        // A copy left by a process that ended while the server was away: its operations go
        // in first, so that the team's rows merge with them like anything watched meanwhile.
        const bool leftOver = QFileInfo::exists(m_standInPath);
        if (leftOver) {
            m_handedOver = std::max<qsizetype>(openStandIn(), 0);
            closeStandIn();
        }
        attach();
        if (leftOver) {
            m_saver->saveEverything();
            handOver();
        }
    } else if (opened.problem == OperationDatabase::Problem::Unreachable &&
               !m_standInPath.isEmpty()) {
        openStandIn(); // kept open, saving, until the server is there
    }
    return opened;
}

void StoreSession::setRetryInterval(std::chrono::milliseconds every)
{
    if (m_opener)
        m_opener->setRetryInterval(every);
}

void StoreSession::saveNow()
{
    if (m_saver)
        m_saver->saveNow();
    else if (m_standInSaver)
        m_standInSaver->saveNow();
}

void StoreSession::attach()
{
    m_saver = std::make_unique<StoreSaver>(*m_database, m_store, m_clock);
    m_journal = std::make_unique<StartJournal>(*m_database);
    m_lease = std::make_unique<PollerLease>(*m_database, m_clock, m_program);
    const qsizetype restored = m_restore ? m_restore(*m_saver) : m_saver->restore();
    if (restored < 0)
        m_restoreError = m_saver->lastError();
}

qsizetype StoreSession::openStandIn()
{
    m_standInDatabase = std::make_unique<OperationDatabase>();
    m_standInDatabase->setGraph(m_graph);
    m_standInDatabase->setActor(m_program);
    // A damaged copy is moved aside by open() like any store file, and a new one begun.
    if (!m_standInDatabase->open(m_standInPath).ok) {
        m_standInDatabase.reset();
        return -1; // in memory only, as before the copy existed
    }
    m_standInSaver = std::make_unique<StoreSaver>(*m_standInDatabase, m_store, m_clock);
    // What an earlier outage kept here and could not hand over yet is watched again.
    return m_standInSaver->restore();
}

void StoreSession::closeStandIn()
{
    if (!m_standInSaver)
        return;
    m_standInSaver->saveNow();
    m_standInSaver.reset();
    m_standInDatabase.reset();
}

void StoreSession::handOver()
{
    // Removed only once the team's store holds it all; until then it is handed over again.
    if (m_saver->saveNow()) {
        OperationDatabase::removeFile(m_standInPath);
        return;
    }
    connect(
        m_saver.get(), &StoreSaver::savingResumed, this,
        [this] { OperationDatabase::removeFile(m_standInPath); }, Qt::SingleShotConnection);
}
