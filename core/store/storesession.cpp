#include "store/storesession.h"

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
}

OperationDatabase::OpenResult StoreSession::open(const QString &path, Restore restore)
{
    m_path = path;
    m_restore = std::move(restore);
    m_opener = std::make_unique<StoreOpener>(*m_database, path);
    connect(m_opener.get(), &StoreOpener::opened, this, [this] {
        attach();
        // Watched before the file could be opened: written now, merged with what it held.
        m_saver->saveEverything();
        emit ready();
    });
    connect(m_opener.get(), &StoreOpener::failed, this, &StoreSession::failed);
    const OperationDatabase::OpenResult opened = m_opener->open();
    if (opened.ok)
        attach();
    return opened;
}

void StoreSession::setRetryInterval(std::chrono::milliseconds every)
{
    if (m_opener)
        m_opener->setRetryInterval(every);
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
