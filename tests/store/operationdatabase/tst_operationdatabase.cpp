// The store on disk: every field survives, the first schema still opens, damaged and newer files
// are handled without losing anything, two processes share one file, and a process killed at any
// point leaves every round it reported committed.
//
// Every test runs twice: on a SQLite file, and on a PostgreSQL database of a real server that the
// test starts (the team store). Those about a file as such (moved aside, its pages, its locks)
// say so and run on SQLite only.
#include "model/clock.h"
#include "polling/pollplanner.h"
#include "store/finishedrule.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/pollerlease.h"
#include "store/startjournal.h"
#include "store/storesaver.h"

#include "postgresserver.h"
#include "testcertificate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 25), QTime(9, 0), Qt::UTC);

// A record with every field set to something other than its default.
WatchedOperation everyFieldSet(const QString &teamId, const QString &operationId)
{
    WatchedOperation op;
    op.ref.teamId = teamId;
    op.ref.operationId = operationId;
    op.ref.graphBase = QUrl(QStringLiteral("https://graph.microsoft.com/v1.0"));
    // Not Graph's own shape: kept as given (the bare operation of roundTripsEveryField has it).
    op.setLocation(QStringLiteral("/v1.0/teams/%1/operations/%2").arg(teamId, operationId));
    op.addedAt = kT0;
    op.watch = WatchedOperation::Watch::NotFound;
    Operation s;
    s.id = operationId;
    s.operationTypeRaw = QStringLiteral("cloneTeam");
    s.operationType = OperationType::CloneTeam;
    s.statusRaw = QStringLiteral("failed");
    s.status = OperationStatus::Failed;
    s.createdDateTime = kT0.addSecs(-60);
    s.lastActionDateTime = kT0.addSecs(90);
    s.attemptsCount = 3;
    s.targetResourceId = QStringLiteral("new-team");
    s.targetResourceLocation = QStringLiteral("/teams('new-team')");
    s.error = OperationError{QStringLiteral("InternalServerError"), QStringLiteral("it broke\n")};
    op.latest = s;
    op.lastReply = R"({"id":"x","status":"failed"})";
    op.nextPollAt = kT0.addSecs(300);
    op.lastSentAt = kT0.addSecs(100);
    op.lastPolledAt = kT0.addSecs(101);
    op.lastChangedAt = kT0.addSecs(95);
    op.polls = 7;
    op.consecutiveFailures = 2;
    op.consecutiveNotFound = 4;
    op.firstNotFoundAt = kT0.addSecs(30);
    op.lastFailure = GraphFailure::NotFound;
    op.lastFailureMessage = QStringLiteral("not found (HTTP 404)");
    op.lastAnswer = {QStringLiteral("9d2c5e1a-request"), QStringLiteral("4b7e0f3c-client"),
                     kT0.addSecs(95)};
    op.startedBy = QStringLiteral("megan@contoso.com");
    op.startedOn = QStringLiteral("ws-12");
    op.history = {
        {kT0, QStringLiteral("notStarted"), OperationStatus::NotStarted, 0, std::nullopt, {}, {}},
        {kT0.addSecs(30),
         QStringLiteral("running"),
         OperationStatus::Unrecognized,
         1,
         std::nullopt,
         {},
         {}},
        {kT0.addSecs(95), QStringLiteral("failed"), OperationStatus::Failed, 3, s.error,
         QStringLiteral("/teams('new-team')"), op.lastAnswer},
    };
    return op;
}

void compareRecords(const WatchedOperation &a, const WatchedOperation &b)
{
    QCOMPARE(a.key, b.key);
    QCOMPARE(a.ref.teamId, b.ref.teamId);
    QCOMPARE(a.ref.operationId, b.ref.operationId);
    QCOMPARE(a.ref.url(), b.ref.url());
    QCOMPARE(a.location(), b.location());
    QCOMPARE(a.addedAt, b.addedAt);
    QCOMPARE(a.startedBy, b.startedBy);
    QCOMPARE(a.startedOn, b.startedOn);
    QCOMPARE(a.watch, b.watch);
    QCOMPARE(a.latest.has_value(), b.latest.has_value());
    if (a.latest) {
        const Operation &x = *a.latest;
        const Operation &y = *b.latest;
        QCOMPARE(x.id, y.id);
        QCOMPARE(x.operationTypeRaw, y.operationTypeRaw);
        QCOMPARE(x.operationType, y.operationType);
        QCOMPARE(x.statusRaw, y.statusRaw);
        QCOMPARE(x.status, y.status);
        QCOMPARE(x.createdDateTime, y.createdDateTime);
        QCOMPARE(x.lastActionDateTime, y.lastActionDateTime);
        QCOMPARE(x.attemptsCount, y.attemptsCount);
        QCOMPARE(x.targetResourceId, y.targetResourceId);
        QCOMPARE(x.targetResourceLocation, y.targetResourceLocation);
        QCOMPARE(x.error, y.error);
    }
    QCOMPARE(a.lastReply, b.lastReply);
    QCOMPARE(a.lastAnswer.requestId, b.lastAnswer.requestId);
    QCOMPARE(a.lastAnswer.clientRequestId, b.lastAnswer.clientRequestId);
    QCOMPARE(a.lastAnswer.graphDate, b.lastAnswer.graphDate);
    QCOMPARE(a.nextPollAt, b.nextPollAt);
    QCOMPARE(a.lastSentAt, b.lastSentAt);
    QCOMPARE(a.lastPolledAt, b.lastPolledAt);
    QCOMPARE(a.lastChangedAt, b.lastChangedAt);
    QCOMPARE(a.polls, b.polls);
    QCOMPARE(a.consecutiveFailures, b.consecutiveFailures);
    QCOMPARE(a.consecutiveNotFound, b.consecutiveNotFound);
    QCOMPARE(a.firstNotFoundAt, b.firstNotFoundAt);
    QCOMPARE(a.lastFailure, b.lastFailure);
    QCOMPARE(a.lastFailureMessage, b.lastFailureMessage);
    QCOMPARE(a.history.size(), b.history.size());
    for (qsizetype i = 0; i < a.history.size(); ++i) {
        QCOMPARE(a.history[i].seenAt, b.history[i].seenAt);
        QCOMPARE(a.history[i].statusRaw, b.history[i].statusRaw);
        QCOMPARE(a.history[i].status, b.history[i].status);
        QCOMPARE(a.history[i].attemptsCount, b.history[i].attemptsCount);
        QCOMPARE(a.history[i].error, b.history[i].error);
        QCOMPARE(a.history[i].targetResourceLocation, b.history[i].targetResourceLocation);
        QCOMPARE(a.history[i].answer.requestId, b.history[i].answer.requestId);
        QCOMPARE(a.history[i].answer.clientRequestId, b.history[i].answer.clientRequestId);
        QCOMPARE(a.history[i].answer.graphDate, b.history[i].answer.graphDate);
    }
}

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

bool isServer(const QString &path)
{
    return path.startsWith(QLatin1String("postgresql://"));
}

// A connection of the test's own to a store, outside the code under test (the server's password
// comes from PGPASSWORD, set by initTestCase).
QSqlDatabase rawConnection(const QString &path, const QString &name)
{
    if (!isServer(path)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        return db;
    }
    const QUrl url(path);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(url.host());
    db.setPort(url.port());
    db.setUserName(url.userName());
    db.setDatabaseName(url.path().mid(1));
    return db;
}

// Runs statements on a store through a connection of the test's own.
QString runSql(const QString &path, const QStringList &statements)
{
    QString error;
    {
        QSqlDatabase db = rawConnection(path, QStringLiteral("raw"));
        if (!db.open())
            return QStringLiteral("cannot open");
        for (const QString &statement : statements) {
            QSqlQuery query(db);
            if (!query.exec(statement))
                error += statement + QStringLiteral(": ") + query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return error;
}

// The first column of the first row a query gives, read outside the code under test.
QVariant valueOf(const QString &path, const QString &statement)
{
    QVariant value;
    {
        QSqlDatabase db = rawConnection(path, QStringLiteral("value"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(statement) && query.next())
                value = query.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("value"));
    return value;
}

// Whether SQLite finds the file sound, page by page and index by index. (A server's pages are
// the server's to check: "ok" there.)
QString integrityOf(const QString &path)
{
    if (isServer(path))
        return QStringLiteral("ok");
    return valueOf(path, QStringLiteral("PRAGMA integrity_check")).toString();
}

// What the store holds, as one hash: a file's bytes, or a database's rows.
QByteArray contentHash(const QString &path)
{
    if (!isServer(path))
        return fileHash(path);
    return valueOf(path,
                   QStringLiteral("SELECT md5((SELECT coalesce(string_agg(t::text, ';' ORDER BY "
                                  "t::text), '') FROM (SELECT o::text FROM operations o UNION ALL "
                                  "SELECT s::text FROM state s UNION ALL SELECT h::text FROM "
                                  "history h) AS t(t)))"))
        .toByteArray();
}

// The first schema as it shipped, with one operation in it (schema-v1.sql), statement by
// statement.
QStringList firstSchemaStatements()
{
    QFile fixture(QStringLiteral(FIXTURE_DIR "/schema-v1.sql"));
    if (!fixture.open(QIODevice::ReadOnly))
        qFatal("cannot read schema-v1.sql");
    QStringList statements;
    for (const QString &statement :
         QString::fromUtf8(fixture.readAll()).split(QStringLiteral(";\n"))) {
        if (!statement.trimmed().isEmpty())
            statements.append(statement);
    }
    return statements;
}

QString storeWriter();

// A storewriter killed with SIGKILL after its first round is on disk: the store is left open
// (its -wal still holds frames), as after a crash.
void killAWriterMidSession(const QString &path)
{
    QProcess writer;
    writer.start(storeWriter(), {path, QStringLiteral("killed"), QStringLiteral("0")});
    QVERIFY(writer.waitForStarted());
    QByteArray said;
    while (!said.contains("committed 1\n")) {
        QVERIFY(writer.waitForReadyRead(10000));
        said += writer.readAllStandardOutput();
    }
    writer.kill();
    QVERIFY(writer.waitForFinished());
    QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
}

QString storeWriter()
{
    return QStringLiteral(STOREWRITER_PATH);
}

} // namespace

class TestOperationDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void roundTripsEveryField();
    void savesOneTransactionPerTurnWithOnlyNewHistory();
    void keepsThePaceAndRestoresIt();
    void opensTheFirstSchema();
    void movesAnUnreadableFileAside_data();
    void movesAnUnreadableFileAside();
    void aStoreClosedCleanlyOpensWithoutReadingEveryPage();
    void refusesAStoreFromANewerVersion();
    void leavesAnotherProgramsDatabaseAlone();
    void aStoreInUseByAnotherProgramIsBusyNotDamaged();
    void aStoreThatCannotBeOpenedIsLeftAlone();
    void eightProcessesCreatingOneStoreAllSaveIntoIt();
    void aForgetIsNotUndoneByAPollerWritingTheSameRows();
    void aPauseInOneProcessIsNotUndoneByThePollerInAnother();
    void oneRuleForFinishedInMemoryAndInSql();
    void oneLocationOnTwoGraphsIsTwoOperations();
    void keepsEverythingInMemoryWhileSavingFails();
    void readOnlyStoreReportsEverySaveAsFailing();
    void forgetsFinishedOperationsPastRetention();
    void twoProcessesShareOneFile();
    void aChangeByAnotherAdminIsPushedAtOnce();
    void remembersWhoStartedStoppedAndForgot();
    void aServerStoreOfTheFirstServerVersionIsBroughtUpToDate();
    void aServerRestartedMidSessionLosesNothing();
    void everyReportedRoundSurvivesAKill();
    void aTeamStoreOverTlsChecksTheServersCertificateAndName();
    void journalsAStartFromIntentToAnswer();
    void aFirstSchemaStoreGainsTheJournal();

private:
    // A new, empty store: a file that does not exist yet, or a database of its own.
    QString freshStore(const QString &name);
    bool onServer() const { return isServer(m_path); }

    QTemporaryDir m_dir;
    QString m_path;
    ManualClock m_clock{kT0};
    PostgresServer m_server;
    int m_databases = 0;
};

// Skips a test about SQLite's file as such (its pages, its locks, moving it aside) on a server.
#define SQLITE_FILE_ONLY()                                                                         \
    do {                                                                                           \
        if (onServer())                                                                            \
            QSKIP("about SQLite's file as such");                                                  \
    } while (false)

void TestOperationDatabase::initTestCase_data()
{
    QTest::addColumn<bool>("server");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

void TestOperationDatabase::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString problem = m_server.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // As an admin gives it to libpq; the store's URL never holds it.
    qputenv("PGPASSWORD", m_server.password().toUtf8());
}

QString TestOperationDatabase::freshStore(const QString &name)
{
    QFETCH_GLOBAL(bool, server);
    if (!server) {
        const QString path = m_dir.filePath(name + QStringLiteral(".sqlite"));
        QFile::remove(path);
        return path;
    }
    const QString database = QStringLiteral("store_%1").arg(++m_databases);
    const QString problem = m_server.createDatabase(database);
    if (!problem.isEmpty())
        qFatal("%s", qPrintable(problem));
    return m_server.url(database);
}

void TestOperationDatabase::init()
{
    m_path = freshStore(QString::fromLatin1(QTest::currentTestFunction()));
}

void TestOperationDatabase::roundTripsEveryField()
{
    const WatchedOperation full = everyFieldSet(QStringLiteral("Team-A"), QStringLiteral("Op-1"));
    WatchedOperation bare; // never answered: no snapshot, no history, invalid times
    bare.ref.teamId = QStringLiteral("team-b");
    bare.ref.operationId = QStringLiteral("op-2");
    bare.ref.graphBase = QUrl(QStringLiteral("https://graph.microsoft.com/v1.0"));
    bare.setLocation(bare.ref.location());
    {
        OperationDatabase database;
        QVERIFY(database.open(m_path).ok);
        OperationStore store;
        StoreSaver saver(database, store, m_clock);
        QVERIFY(store.add(full));
        QVERIFY(store.add(bare));
        QVERIFY2(saver.saveNow(), qPrintable(saver.lastError()));
    }
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    const auto loaded = database.loadAll();
    QVERIFY(loaded);
    QCOMPARE(loaded->size(), 2);
    WatchedOperation expected = full;
    expected.key = full.ref.key();
    compareRecords(loaded->at(0).operation, expected);
    expected = bare;
    expected.key = bare.ref.key();
    compareRecords(loaded->at(1).operation, expected);
}

void TestOperationDatabase::savesOneTransactionPerTurnWithOnlyNewHistory()
{
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    QSignalSpy committed(&saver, &StoreSaver::committed);
    for (int i = 0; i < 50; ++i)
        store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("op-%1").arg(i)));
    QVERIFY(committed.wait());
    QCOMPARE(committed.size(), 1); // fifty records, one transaction
    QCOMPARE(committed.at(0).at(0).toStringList().size(), 50);

    // One record gains a change; the next turn writes it alone, with its one new history entry.
    WatchedOperation *op = store.edit(QStringLiteral("t/op-7"));
    op->history.append({kT0.addSecs(200),
                        QStringLiteral("succeeded"),
                        OperationStatus::Succeeded,
                        4,
                        std::nullopt,
                        QStringLiteral("/teams('x')"),
                        {}});
    QVERIFY(committed.wait());
    QCOMPARE(committed.size(), 2);
    QCOMPARE(committed.at(1).at(0).toStringList(), QStringList{QStringLiteral("t/op-7")});
    const auto stored = database.load(QStringLiteral("t/op-7"));
    QVERIFY(stored);
    QCOMPARE(stored->operation.history.size(), 4);
    QCOMPARE(stored->operation.history.last().statusRaw, QStringLiteral("succeeded"));

    // The same change seen by a second process (its own history, its own "new" entry) is the
    // same change: not stored twice.
    OperationDatabase other;
    QVERIFY(other.open(m_path).ok);
    WatchedOperation seenTwice = store.at(store.indexOf(QStringLiteral("t/op-7")));
    QVERIFY(other.commit({{{&seenTwice, 3}}, {}, std::nullopt}));
    QCOMPARE(database.load(QStringLiteral("t/op-7"))->operation.history.size(), 4);

    // Removal reaches the file in the next turn too.
    QCOMPARE(store.remove({QStringLiteral("t/op-7"), QStringLiteral("t/op-8")}), 2);
    QVERIFY(committed.wait());
    QCOMPARE(database.count().value_or(-1), 48);
    QVERIFY(!database.load(QStringLiteral("t/op-7")));
}

void TestOperationDatabase::keepsThePaceAndRestoresIt()
{
    // Graph asked the tenant to slow down and to wait: a restart must not forget either.
    PollPlanner planner(
        [](const QString &path) { return QUrl(QStringLiteral("https://g") + path); });
    planner.learn({kT0, true, {}, {}}, kT0);
    GraphReply throttled;
    throttled.failure = GraphFailure::Throttled;
    throttled.httpStatus = 429;
    throttled.retryAfterHeader = "120";
    planner.envelopeAnswered(throttled, kT0);
    const PollPlanner::Pace before = planner.pace();
    QVERIFY(before.isSlowed());
    QVERIFY(planner.tenantRetryAt(kT0) > kT0);
    {
        OperationDatabase database;
        QVERIFY(database.open(m_path).ok);
        OperationStore store;
        StoreSaver saver(database, store, m_clock);
        saver.setPaceSource([&planner] { return planner.savedPace(); });
        store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("o")));
        QVERIFY(saver.saveNow());
    }
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    PollPlanner restored(
        [](const QString &path) { return QUrl(QStringLiteral("https://g") + path); });
    restored.restorePace(saver.savedPace(), kT0.addSecs(10));
    QCOMPARE(restored.pace().rate, before.rate);
    QCOMPARE(restored.tenantRetryAt(kT0.addSecs(10)), planner.tenantRetryAt(kT0));
    // Read after the wait ended, the wait is gone.
    PollPlanner late([](const QString &path) { return QUrl(QStringLiteral("https://g") + path); });
    late.restorePace(saver.savedPace(), kT0.addSecs(600));
    QVERIFY(!late.tenantRetryAt(kT0.addSecs(600)).isValid() ||
            late.tenantRetryAt(kT0.addSecs(600)) <= kT0.addSecs(600));
}

void TestOperationDatabase::opensTheFirstSchema()
{
    SQLITE_FILE_ONLY();
    // The first schema as it shipped, with one operation in it (tests/operationdatabase/
    // schema-v1.sql): every later version must still open it and read the operation.
    QCOMPARE(runSql(m_path, firstSchemaStatements()), QString());

    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    const auto loaded = database.loadAll();
    QVERIFY(loaded);
    QCOMPARE(loaded->size(), 1);
    const WatchedOperation &op = loaded->first().operation;
    QCOMPARE(op.key, QStringLiteral("team-a/op-1"));
    QCOMPARE(op.latest->statusRaw, QStringLiteral("failed"));
    QCOMPARE(op.latest->error->code, QStringLiteral("InternalServerError"));
    QCOMPARE(op.history.size(), 2);
    QCOMPARE(op.history.last().status, OperationStatus::Failed);
    // And it takes new writes.
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    QCOMPARE(saver.restore(), 1);
    store.edit(QStringLiteral("team-a/op-1"))->polls = 99;
    QVERIFY(saver.saveNow());
    QCOMPARE(database.load(QStringLiteral("team-a/op-1"))->operation.polls, 99);
}

void TestOperationDatabase::movesAnUnreadableFileAside_data()
{
    QTest::addColumn<QByteArray>("damage");
    QTest::newRow("not a database") << QByteArray("this is not SQLite, it is a text file\n");
    QTest::newRow("damaged pages") << QByteArray("pages");
}

void TestOperationDatabase::movesAnUnreadableFileAside()
{
    SQLITE_FILE_ONLY();
    QFETCH(QByteArray, damage);
    if (damage == "pages") {
        // A real store, then garbage written over its second half.
        {
            OperationDatabase database;
            QVERIFY(database.open(m_path).ok);
            OperationStore store;
            StoreSaver saver(database, store, m_clock);
            for (int i = 0; i < 200; ++i)
                store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("op-%1").arg(i)));
            QVERIFY(saver.saveNow());
            QCOMPARE(runSql(m_path, {QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")}),
                     QString());
        }
        // Damage comes with a crash: every page is read at the next open.
        killAWriterMidSession(m_path);
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        const qint64 size = file.size();
        file.seek(size / 2);
        file.write(QByteArray(int(size / 4), '\x5a'));
    } else {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(damage);
    }
    const QByteArray original = fileHash(m_path);

    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY(!opened.movedTo.isEmpty());
    QVERIFY(opened.error.contains(QStringLiteral("moved to")));
    QVERIFY(opened.error.contains(opened.movedTo));
    // Kept for whoever looks into it: as it was; or, with a crash's -wal beside it (which SQLite
    // writes into the file when it closes it), still damaged.
    if (damage == "pages")
        QVERIFY(integrityOf(opened.movedTo) != QStringLiteral("ok"));
    else
        QCOMPARE(fileHash(opened.movedTo), original);
    QCOMPARE(database.count().value_or(-1), 0); // and a fresh store in its place
}

void TestOperationDatabase::refusesAStoreFromANewerVersion()
{
    {
        OperationDatabase database;
        QVERIFY(database.open(m_path).ok);
    }
    QCOMPARE(runSql(m_path, {onServer() ? QStringLiteral("UPDATE state SET value = '99' WHERE "
                                                         "name = 'schema'")
                                        : QStringLiteral("PRAGMA user_version=99")}),
             QString());
    const QByteArray original = contentHash(m_path);
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY(!opened.ok);
    QCOMPARE(opened.problem, OperationDatabase::Problem::Newer);
    QVERIFY(opened.movedTo.isEmpty());
    QVERIFY2(opened.error.contains(QStringLiteral("newer TeamsOps")), qPrintable(opened.error));
    QVERIFY(!database.isOpen());
    QCOMPARE(contentHash(m_path), original);
}

void TestOperationDatabase::leavesAnotherProgramsDatabaseAlone()
{
    QCOMPARE(runSql(m_path, {QStringLiteral("CREATE TABLE invoices (id INTEGER)"),
                             QStringLiteral("INSERT INTO invoices VALUES (7)")}),
             QString());
    const QByteArray original =
        fileHash(m_path) +
        valueOf(m_path, QStringLiteral("SELECT count(*) FROM invoices")).toByteArray();
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY(!opened.ok);
    QCOMPARE(opened.problem, OperationDatabase::Problem::NotOurs);
    QVERIFY2(opened.error.contains("not TeamsOps's") && opened.error.contains("untouched"),
             qPrintable(opened.error));
    QVERIFY(opened.movedTo.isEmpty());
    QCOMPARE(fileHash(m_path) +
                 valueOf(m_path, QStringLiteral("SELECT count(*) FROM invoices")).toByteArray(),
             original);
    QCOMPARE(valueOf(m_path, onServer() ? QStringLiteral("SELECT count(*) FROM pg_tables WHERE "
                                                         "schemaname = current_schema()")
                                        : QStringLiteral("SELECT count(*) FROM sqlite_master"))
                 .toInt(),
             1);
    QCOMPARE(QDir(m_dir.path()).entryList({QFileInfo(m_path).fileName() + ".unreadable-*"}),
             QStringList());
}

// Another program holds the file (a backup, `sqlite3` in a transaction, a TeamsOps mid-
// migration) for longer than the busy timeout: the store is busy, not damaged — nothing is moved
// or written, and it opens with everything in it once the other lets go.
void TestOperationDatabase::aStoreClosedCleanlyOpensWithoutReadingEveryPage()
{
    SQLITE_FILE_ONLY();
    // Every page is read the first time (a new store), not after a clean close...
    {
        OperationDatabase database;
        const OperationDatabase::OpenResult opened = database.open(m_path);
        QVERIFY(opened.ok && opened.checked);
        OperationStore store;
        StoreSaver saver(database, store, m_clock);
        for (int i = 0; i < 200; ++i)
            store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("op-%1").arg(i)));
        QVERIFY(saver.saveNow());
    }
    QCOMPARE(QFileInfo(m_path + QStringLiteral("-wal")).size(), 0);
    {
        OperationDatabase database;
        const OperationDatabase::OpenResult opened = database.open(m_path);
        QVERIFY(opened.ok && !opened.checked);
        QCOMPARE(database.count().value_or(-1), 200);
    }
    // ...and again after a crash (everyReportedRoundSurvivesAKill checks what it kept).
    killAWriterMidSession(m_path);
    {
        OperationDatabase database;
        const OperationDatabase::OpenResult opened = database.open(m_path);
        QVERIFY(opened.ok && opened.checked);
    }
    // Damage to a store closed cleanly shows when its page is read: said, nothing moved.
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 size = file.size();
    file.seek(size / 2);
    file.write(QByteArray(int(size / 4), '\x5a'));
    file.close();
    const QByteArray damaged = fileHash(m_path);
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY(opened.ok && !opened.checked && opened.movedTo.isEmpty());
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    QVERIFY(saver.restore() < 0);
    QVERIFY2(saver.lastError().contains(QStringLiteral("malformed")),
             qPrintable(saver.lastError()));
    QCOMPARE(fileHash(m_path), damaged);
}

void TestOperationDatabase::aStoreInUseByAnotherProgramIsBusyNotDamaged()
{
    SQLITE_FILE_ONLY();
    {
        OperationDatabase database;
        QVERIFY(database.open(m_path).ok);
        OperationStore store;
        StoreSaver saver(database, store, m_clock);
        store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("kept")));
        QVERIFY(saver.saveNow());
    }
    QProcess holder;
    holder.start(storeWriter(), {m_path, QStringLiteral("--hold")});
    QVERIFY(holder.waitForReadyRead(10000));
    QCOMPARE(holder.readLine().trimmed(), QByteArray("holding"));

    for (const auto access :
         {OperationDatabase::Access::ReadWrite, OperationDatabase::Access::ReadOnly}) {
        OperationDatabase database;
        const OperationDatabase::OpenResult opened = database.open(m_path, access, 50ms);
        QVERIFY(!opened.ok);
        QCOMPARE(opened.problem, OperationDatabase::Problem::Busy);
        QVERIFY2(opened.error.contains("locked"), qPrintable(opened.error));
        QVERIFY(opened.movedTo.isEmpty());
    }
    QCOMPARE(QDir(m_dir.path()).entryList({QFileInfo(m_path).fileName() + ".unreadable-*"}),
             QStringList());
    QVERIFY(QFileInfo::exists(m_path));

    holder.write("\n");
    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(10000));
    QCOMPARE(holder.exitCode(), 0);
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY(database.load(QStringLiteral("t/kept")).has_value());
}

void TestOperationDatabase::aStoreThatCannotBeOpenedIsLeftAlone()
{
    SQLITE_FILE_ONLY();
    // A folder where the file should be: SQLite cannot open it (as for a permission or I/O
    // error); nothing is moved or created.
    QVERIFY(QDir().mkpath(m_path));
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY(!opened.ok);
    QCOMPARE(opened.problem, OperationDatabase::Problem::Unavailable);
    QVERIFY2(opened.error.contains(QDir::toNativeSeparators(m_path)), qPrintable(opened.error));
    QVERIFY(QFileInfo(m_path).isDir());
    QCOMPARE(QDir(m_dir.path()).entryList({QFileInfo(m_path).fileName() + ".unreadable-*"}),
             QStringList());
}

// Eight processes start on one new file at once: each migrates it or finds it migrated, and
// every one saves into the same store.
void TestOperationDatabase::eightProcessesCreatingOneStoreAllSaveIntoIt()
{
    std::vector<std::unique_ptr<QProcess>> writers;
    for (int i = 0; i < 8; ++i) {
        writers.push_back(std::make_unique<QProcess>());
        writers.back()->start(storeWriter(),
                              {m_path, QStringLiteral("writer%1").arg(i), QStringLiteral("2")});
    }
    for (const auto &writer : writers) {
        QVERIFY(writer->waitForFinished(60000));
        QVERIFY2(writer->exitCode() == 0, writer->readAllStandardError().constData());
        QVERIFY(writer->readAllStandardOutput().contains("committed 2"));
    }
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    QCOMPARE(database.count().value_or(-1), 8 * 6);
    QCOMPARE(integrityOf(m_path), QStringLiteral("ok"));
}

namespace {

// A storewriter --poll process and what it said so far.
struct PollerProcess
{
    QProcess process;
    QByteArray output;

    void start(const QString &path, const QString &prefix, int count)
    {
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &process,
                         [this] { output += process.readAllStandardOutput(); });
        process.start(storeWriter(),
                      {path, QStringLiteral("--poll"), prefix, QString::number(count)});
    }
    // "round R: watched W, paused P", the last one printed.
    QByteArray lastLine() const
    {
        const QList<QByteArray> lines = output.trimmed().split('\n');
        return lines.isEmpty() ? QByteArray() : lines.constLast();
    }
    int round() const { return lastLine().mid(6).split(':').value(0).toInt(); }
    ~PollerProcess()
    {
        process.kill();
        process.waitForFinished(5000);
    }
};

} // namespace

// `forget` in one process while another polls the same operations and writes each poll: the
// poller's writes do not bring them back, and it stops watching them.
void TestOperationDatabase::aForgetIsNotUndoneByAPollerWritingTheSameRows()
{
    PollerProcess poller;
    poller.start(m_path, QStringLiteral("t"), 10);
    QTRY_VERIFY_WITH_TIMEOUT(poller.round() >= 3, 20000);
    QVERIFY(poller.lastLine().contains("watched 10,"));

    OperationDatabase cli;
    QVERIFY(cli.open(m_path).ok);
    QStringList keys;
    for (int i = 0; i < 10; ++i)
        keys.append(QStringLiteral("t/op-%1").arg(i));
    QCOMPARE(cli.forget(keys).value_or(-1), 10);

    QTRY_VERIFY_WITH_TIMEOUT(poller.lastLine().contains("watched 0,"), 20000);
    const int noticedAt = poller.round();
    QTRY_VERIFY_WITH_TIMEOUT(poller.round() >= noticedAt + 5, 20000);
    QCOMPARE(cli.count().value_or(-1), 0);
    for (const QString &key : std::as_const(keys))
        QVERIFY(!cli.load(key).has_value());
}

// Stop in one process (the dashboard), poll in another: the poller's writes leave the operation
// stopped, and it stops polling it; resumed, it polls it again.
void TestOperationDatabase::aPauseInOneProcessIsNotUndoneByThePollerInAnother()
{
    PollerProcess poller;
    poller.start(m_path, QStringLiteral("t"), 3);
    QTRY_VERIFY_WITH_TIMEOUT(poller.round() >= 2, 20000);

    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    QCOMPARE(saver.restore(), 3);
    const QString key = QStringLiteral("t/op-1");
    store.edit(key)->watch = WatchedOperation::Watch::Paused;
    QVERIFY(saver.saveNow());

    QTRY_VERIFY_WITH_TIMEOUT(poller.lastLine().contains("paused 1"), 20000);
    const int stoppedAt = poller.round();
    const int pollsWhenStopped = database.load(key)->operation.polls;
    QTRY_VERIFY_WITH_TIMEOUT(poller.round() >= stoppedAt + 5, 20000);
    const WatchedOperation stopped = database.load(key)->operation;
    QCOMPARE(stopped.watch, WatchedOperation::Watch::Paused);
    QCOMPARE(stopped.polls, pollsWhenStopped);
    QVERIFY(database.load(QStringLiteral("t/op-0"))->operation.polls > pollsWhenStopped);

    store.edit(key)->watch = WatchedOperation::Watch::Active;
    QVERIFY(saver.saveNow());
    QTRY_VERIFY_WITH_TIMEOUT(poller.lastLine().contains("paused 0"), 20000);
    const int resumedAt = poller.round();
    QTRY_VERIFY_WITH_TIMEOUT(poller.round() >= resumedAt + 3, 20000);
    const WatchedOperation resumed = database.load(key)->operation;
    QCOMPARE(resumed.watch, WatchedOperation::Watch::Active);
    QVERIFY(resumed.polls > pollsWhenStopped);
}

// "Finished, older than N days": the dashboard's retention (in memory) and `forget
// --terminal-older-than` (SQL) pick the same operations, whatever the case of Graph's words.
void TestOperationDatabase::oneRuleForFinishedInMemoryAndInSql()
{
    const QDateTime before = kT0.addDays(-10);
    const auto operation = [&](const QString &id, const QString &status, const QDateTime &at) {
        WatchedOperation op = everyFieldSet(QStringLiteral("t"), id);
        op.key = op.ref.key();
        op.latest->statusRaw = status;
        op.latest->status = operationStatusFromString(status);
        op.lastChangedAt = at;
        return op;
    };
    QList<WatchedOperation> ops{
        operation(QStringLiteral("capitalized"), QStringLiteral("Succeeded"), before.addDays(-1)),
        operation(QStringLiteral("shouting"), QStringLiteral("FAILED"), before.addDays(-2)),
        operation(QStringLiteral("recent"), QStringLiteral("succeeded"), before.addDays(1)),
        operation(QStringLiteral("running"), QStringLiteral("inProgress"), before.addDays(-3)),
    };
    WatchedOperation neverAnswered = everyFieldSet(QStringLiteral("t"), QStringLiteral("bare"));
    neverAnswered.key = neverAnswered.ref.key();
    neverAnswered.latest.reset();
    neverAnswered.lastChangedAt = QDateTime();
    neverAnswered.lastPolledAt = before.addDays(-5);
    ops.append(neverAnswered);
    // One without a last change: its last answer counts.
    WatchedOperation quiet = operation(QStringLiteral("quiet"), QStringLiteral("failed"), {});
    quiet.lastPolledAt = before.addDays(-1);
    ops.append(quiet);

    QSet<QString> inMemory;
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    for (const WatchedOperation &op : std::as_const(ops)) {
        if (FinishedRule::isFinishedBefore(op, before))
            inMemory.insert(op.key);
        store.add(op);
    }
    QVERIFY(saver.saveNow());
    QCOMPARE(inMemory, (QSet<QString>{QStringLiteral("t/capitalized"), QStringLiteral("t/shouting"),
                                      QStringLiteral("t/quiet")}));
    const std::optional<QStringList> forgotten = database.forgetTerminalBefore(before);
    QVERIFY(forgotten);
    QCOMPARE(QSet<QString>(forgotten->cbegin(), forgotten->cend()), inMemory);
    QCOMPARE(database.count().value_or(-1), 3);
}

// A simulator and a tenant (or two clouds) in one store: the same Location on each is an
// operation of its own; a process set to one Graph reads, forgets and leases only that one's.
void TestOperationDatabase::oneLocationOnTwoGraphsIsTwoOperations()
{
    const QUrl tenant(QStringLiteral("https://graph.microsoft.com/v1.0"));
    const QUrl simulator(QStringLiteral("http://127.0.0.1:4242/v1.0"));
    const auto onGraph = [](const QUrl &graph, int polls) {
        WatchedOperation op = everyFieldSet(QStringLiteral("t"), QStringLiteral("same"));
        op.key = op.ref.key();
        op.ref.graphBase = graph;
        op.polls = polls;
        return op;
    };
    OperationDatabase real;
    QVERIFY(real.open(m_path).ok);
    real.setGraph(tenant);
    OperationDatabase demo;
    QVERIFY(demo.open(m_path).ok);
    demo.setGraph(simulator);
    {
        OperationStore realStore;
        StoreSaver realSaver(real, realStore, m_clock);
        realStore.add(onGraph(tenant, 3));
        QVERIFY(realSaver.saveNow());
        OperationStore demoStore;
        StoreSaver demoSaver(demo, demoStore, m_clock);
        demoStore.add(onGraph(simulator, 9));
        QVERIFY(demoSaver.saveNow());
    }
    QCOMPARE(real.loadAll()->size(), 1);
    QCOMPARE(real.load(QStringLiteral("t/same"))->operation.polls, 3);
    QCOMPARE(demo.loadAll()->size(), 1);
    QCOMPARE(demo.load(QStringLiteral("t/same"))->operation.polls, 9);
    // Without a Graph (list, history): both.
    OperationDatabase everything;
    QVERIFY(everything.open(m_path).ok);
    QCOMPARE(everything.count().value_or(-1), 2);

    // Forgotten on one Graph: still there on the other, and each has its own poller.
    QCOMPARE(demo.forget({QStringLiteral("t/same")}).value_or(-1), 1);
    QCOMPARE(real.count().value_or(-1), 1);
    QCOMPARE(demo.count().value_or(-1), 0);
    PollerLease realLease(real, m_clock, QStringLiteral("teamsops"));
    PollerLease demoLease(demo, m_clock, QStringLiteral("teamsops"));
    realLease.start(1s);
    demoLease.start(1s);
    QVERIFY(realLease.isHolder());
    QVERIFY(demoLease.isHolder());
}

void TestOperationDatabase::keepsEverythingInMemoryWhileSavingFails()
{
    SQLITE_FILE_ONLY();
    OperationDatabase database;
    QVERIFY(database.open(m_path, OperationDatabase::Access::ReadWrite, 50ms).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    saver.setRetryInterval(20ms);
    QSignalSpy failed(&saver, &StoreSaver::savingFailed);
    QSignalSpy resumed(&saver, &StoreSaver::savingResumed);

    // Another process holds the write lock for longer than the busy timeout.
    QSqlDatabase blocker =
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("blocker"));
    blocker.setDatabaseName(m_path);
    QVERIFY(blocker.open());
    QVERIFY(QSqlQuery(blocker).exec(QStringLiteral("BEGIN EXCLUSIVE")));

    store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("a")));
    QVERIFY(failed.wait());
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("locked")));
    QVERIFY(saver.isFailing());
    // Polling goes on in memory: more changes pile up, and the failure is said once.
    store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("b")));
    store.edit(QStringLiteral("t/a"))->polls = 42;
    QTRY_VERIFY(failed.size() == 1 && store.size() == 2);

    QVERIFY(QSqlQuery(blocker).exec(QStringLiteral("COMMIT")));
    blocker.close();
    blocker = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
    QVERIFY(resumed.wait());
    QCOMPARE(failed.size(), 1);
    QCOMPARE(database.count().value_or(-1), 2);
    QCOMPARE(database.load(QStringLiteral("t/a"))->operation.polls, 42);
}

void TestOperationDatabase::readOnlyStoreReportsEverySaveAsFailing()
{
    {
        OperationDatabase database;
        QVERIFY(database.open(m_path).ok);
    }
    OperationDatabase database;
    QVERIFY(database.open(m_path, OperationDatabase::Access::ReadOnly).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    QSignalSpy failed(&saver, &StoreSaver::savingFailed);
    store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("a")));
    QVERIFY(failed.wait());
    const QString why = failed.at(0).at(0).toString();
    QVERIFY2(why.contains(QStringLiteral("readonly")) || why.contains(QStringLiteral("read-only")),
             qPrintable(why));
    QCOMPARE(store.size(), 1);

    // And a store that does not exist is not created by a reader.
    OperationDatabase missing;
    const QString nowhere = freshStore(QStringLiteral("missing"));
    QVERIFY(!missing.open(nowhere, OperationDatabase::Access::ReadOnly).ok);
    if (isServer(nowhere))
        QCOMPARE(valueOf(nowhere, QStringLiteral("SELECT count(*) FROM pg_tables WHERE "
                                                 "schemaname = current_schema()"))
                     .toInt(),
                 0);
    else
        QVERIFY(!QFile::exists(nowhere));
}

void TestOperationDatabase::forgetsFinishedOperationsPastRetention()
{
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    WatchedOperation old = everyFieldSet(QStringLiteral("t"), QStringLiteral("old"));
    old.lastChangedAt = kT0.addDays(-31);
    WatchedOperation recent = everyFieldSet(QStringLiteral("t"), QStringLiteral("recent"));
    recent.lastChangedAt = kT0.addDays(-29);
    WatchedOperation running = everyFieldSet(QStringLiteral("t"), QStringLiteral("running"));
    running.lastChangedAt = kT0.addDays(-90);
    running.latest->statusRaw = QStringLiteral("inProgress");
    running.latest->status = OperationStatus::InProgress;
    for (const WatchedOperation &op : {old, recent, running})
        store.add(op);
    QVERIFY(saver.saveNow());

    QCOMPARE(saver.pruneFinishedOlderThan(std::chrono::hours(24 * 30)), 1);
    QVERIFY(saver.saveNow());
    QCOMPARE(database.keys().value_or(QStringList()),
             (QStringList{QStringLiteral("t/recent"), QStringLiteral("t/running")}));

    // The CLI's way, straight on the file.
    const auto forgotten = database.forgetTerminalBefore(kT0.addDays(-28));
    QCOMPARE(forgotten.value_or(QStringList()), QStringList{QStringLiteral("t/recent")});
    QCOMPARE(database.keys().value_or(QStringList()), QStringList{QStringLiteral("t/running")});
    // Their history went with them: only the running operation's three changes are left.
    QCOMPARE(valueOf(m_path, QStringLiteral("SELECT count(*) FROM history")).toInt(), 3);
    QCOMPARE(database.load(QStringLiteral("t/running"))->operation.history.size(), 3);
}

void TestOperationDatabase::twoProcessesShareOneFile()
{
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    saver.followOthers(20ms);
    QSignalSpy pickedUp(&saver, &StoreSaver::pickedUp);

    // Both write at once: this process its own operations every turn, the other its rounds.
    QProcess other;
    other.start(storeWriter(), {m_path, QStringLiteral("other"), QStringLiteral("20")});
    QVERIFY(other.waitForStarted());
    // The other opens the file first: opening takes the write lock for its checks, and under a
    // sanitizer's load a writer here that never pauses could outlast its busy timeout. Its
    // first round is committed; the other nineteen are written while this process writes.
    QVERIFY(other.waitForReadyRead(60000));
    int mine = 0;
    while (other.state() != QProcess::NotRunning) {
        store.add(everyFieldSet(QStringLiteral("mine"), QStringLiteral("op-%1").arg(mine++)));
        QVERIFY(saver.saveNow() || saver.isFailing());
        QCoreApplication::processEvents();
    }
    QCOMPARE(other.exitStatus(), QProcess::NormalExit);
    QCOMPARE(other.exitCode(), 0);
    QVERIFY(other.readAllStandardOutput().contains("committed 20"));
    QTRY_VERIFY(saver.saveNow());

    // This process picked up the other's 60 operations without being told.
    QTRY_COMPARE(store.size(), mine + 60);
    QVERIFY(!pickedUp.isEmpty());
    // The last round, written once: read as the other process wrote it.
    const WatchedOperation *last = store.find(QStringLiteral("other/20-1"));
    QVERIFY(last);
    QCOMPARE(last->latest->statusRaw, QStringLiteral("inProgress"));
    QCOMPARE(last->history.size(), 1);

    // The file holds everything both wrote, and is sound.
    QCOMPARE(database.count().value_or(-1), mine + 60);
    QCOMPARE(integrityOf(m_path), QStringLiteral("ok"));

    // Forgotten by the other process (the CLI's forget): gone from this one too.
    OperationDatabase cli;
    QVERIFY(cli.open(m_path).ok);
    QCOMPARE(cli.forget({QStringLiteral("other/1-0"), QStringLiteral("mine/op-0")}).value_or(-1),
             2);
    QTRY_VERIFY(!store.find(QStringLiteral("other/1-0")) &&
                !store.find(QStringLiteral("mine/op-0")));
}

// On a team's server, what another admin commits is announced and read at once: this saver's
// timer is set to an hour, so whatever it picks up within the test came by the announcement.
void TestOperationDatabase::aChangeByAnotherAdminIsPushedAtOnce()
{
    if (!onServer())
        QSKIP("a file announces nothing: its followers read SQLite's data_version on a timer");
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    QCOMPARE(saver.restore(), 0);
    saver.followOthers(std::chrono::hours(1));
    QSignalSpy pickedUp(&saver, &StoreSaver::pickedUp);

    // Another admin's process writes one round (three operations).
    QProcess other;
    other.start(storeWriter(), {m_path, QStringLiteral("other"), QStringLiteral("1")});
    QVERIFY(other.waitForFinished(30000));
    QCOMPARE(other.exitCode(), 0);
    QTRY_COMPARE(store.size(), 3);
    QVERIFY(!pickedUp.isEmpty());

    // And forgets one: gone here too, with no timer to read it.
    OperationDatabase cli;
    QVERIFY(cli.open(m_path).ok);
    QCOMPARE(cli.forget({QStringLiteral("other/1-0")}).value_or(-1), 1);
    QTRY_VERIFY(!store.find(QStringLiteral("other/1-0")));
    QCOMPARE(store.size(), 2);

    // This process's own commits are not read back as another's.
    const qsizetype before = pickedUp.size();
    store.add(everyFieldSet(QStringLiteral("mine"), QStringLiteral("a")));
    QVERIFY(saver.saveNow());
    QCoreApplication::processEvents();
    QCOMPARE(pickedUp.size(), before);
}

// Who first watched an operation stays, whoever writes it after; who stopped, resumed and forgot
// it is kept, by account and machine, after it is forgotten.
void TestOperationDatabase::remembersWhoStartedStoppedAndForgot()
{
    OperationDatabase megan;
    QVERIFY(megan.open(m_path).ok);
    megan.setActor(QStringLiteral("megan@contoso.com"));
    OperationDatabase cli;
    QVERIFY(cli.open(m_path).ok);
    cli.setActor(QStringLiteral("teamsops-cli"));

    WatchedOperation started = everyFieldSet(QStringLiteral("t"), QStringLiteral("a"));
    started.key = started.ref.key();
    started.watch = WatchedOperation::Watch::Active;
    QVERIFY(megan.commit({{{&started, 0, true}}, {}, std::nullopt}));
    WatchedOperation seenByCli = started;
    seenByCli.startedBy = QString::fromLatin1(WatchedOperation::kCli);
    seenByCli.startedOn = QStringLiteral("build-agent");
    seenByCli.polls = 8;
    QVERIFY(cli.commit({{{&seenByCli, 3}}, {}, std::nullopt}));
    const auto stored = cli.load(QStringLiteral("t/a"));
    QVERIFY(stored);
    QCOMPARE(stored->operation.startedBy, QStringLiteral("megan@contoso.com"));
    QCOMPARE(stored->operation.startedOn, QStringLiteral("ws-12"));
    QCOMPARE(stored->operation.polls, 8);

    // The CLI's user stops it and resumes it; Megan forgets it.
    seenByCli.watch = WatchedOperation::Watch::Paused;
    QVERIFY(cli.commit({{{&seenByCli, 3, false, true}}, {}, std::nullopt}));
    seenByCli.watch = WatchedOperation::Watch::Active;
    QVERIFY(cli.commit({{{&seenByCli, 3, false, true}}, {}, std::nullopt}));
    // A poller's write decides nothing: not recorded.
    QVERIFY(megan.commit({{{&started, 3}}, {}, std::nullopt}));
    QCOMPARE(megan.forget({QStringLiteral("t/a")}).value_or(-1), 1);
    QVERIFY(!cli.load(QStringLiteral("t/a")));

    const auto decisions = cli.decisionsOf(QStringLiteral("t/a"));
    QVERIFY(decisions);
    QCOMPARE(decisions->size(), 3);
    QCOMPARE(decisions->at(0).action, QStringLiteral("stopped"));
    QCOMPARE(decisions->at(0).by, QStringLiteral("teamsops-cli"));
    QCOMPARE(decisions->at(1).action, QStringLiteral("resumed"));
    QCOMPARE(decisions->at(2).action, QStringLiteral("forgot"));
    QCOMPARE(decisions->at(2).by, QStringLiteral("megan@contoso.com"));
    QCOMPARE(decisions->at(2).on, QSysInfo::machineHostName());
    QVERIFY(decisions->at(0).at.isValid() && decisions->at(0).at <= decisions->at(2).at);
}

// A team's database made by the first TeamsOps with server stores (version 4) takes the steps
// since, keeping what it holds.
void TestOperationDatabase::aServerStoreOfTheFirstServerVersionIsBroughtUpToDate()
{
    if (!onServer())
        QSKIP("the file's migrations from its first schema: opensTheFirstSchema");
    WatchedOperation op = everyFieldSet(QStringLiteral("t"), QStringLiteral("a"));
    op.key = op.ref.key();
    {
        OperationDatabase database;
        QVERIFY(database.open(m_path).ok);
        QVERIFY(database.commit({{{&op, 0, true}}, {}, std::nullopt}));
    }
    // What version 4 had: no starter, no decisions.
    QCOMPARE(runSql(m_path, {QStringLiteral("ALTER TABLE operations DROP COLUMN started_by"),
                             QStringLiteral("ALTER TABLE operations DROP COLUMN started_on"),
                             QStringLiteral("DROP TABLE decisions"),
                             QStringLiteral("UPDATE state SET value = '4' WHERE name = 'schema'")}),
             QString());
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(m_path);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QCOMPARE(
        valueOf(m_path, QStringLiteral("SELECT value FROM state WHERE name = 'schema'")).toInt(),
        OperationDatabase::kSchemaVersion);
    const auto stored = database.load(op.key);
    QVERIFY(stored);
    QCOMPARE(stored->operation.history.size(), op.history.size());
    QVERIFY(stored->operation.startedBy.isEmpty());
    QCOMPARE(database.forget({op.key}).value_or(-1), 1);
    QCOMPARE(database.decisionsOf(op.key).value_or(QList<OperationDatabase::Decision>()).size(), 1);
}

// The team's server restarts while a poller writes and a follower reads: the poller keeps what it
// saw in memory and writes it once the server is back; both find their way back without a
// restart of their own.
void TestOperationDatabase::aServerRestartedMidSessionLosesNothing()
{
    if (!onServer())
        QSKIP("a file has no server to lose");
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    OperationStore store;
    StoreSaver saver(database, store, m_clock);
    OperationDatabase followerDatabase;
    QVERIFY(followerDatabase.open(m_path).ok);
    OperationStore followed;
    StoreSaver follower(followerDatabase, followed, m_clock);
    QCOMPARE(follower.restore(), 0);
    follower.followOthers(100ms);
    QSignalSpy stale(&follower, &StoreSaver::followingFailed);
    QSignalSpy fresh(&follower, &StoreSaver::followingResumed);

    store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("before")));
    QVERIFY(saver.saveNow());
    QTRY_COMPARE(followed.size(), 1);

    QCOMPARE(m_server.stopServer(), QString());
    store.add(everyFieldSet(QStringLiteral("t"), QStringLiteral("during")));
    QVERIFY(!saver.saveNow());
    QVERIFY(saver.isFailing());
    QCOMPARE(store.size(), 2);
    // The follower says what it shows may be stale, once.
    QTRY_COMPARE(stale.size(), 1);

    QCOMPARE(m_server.startServer(), QString());
    QTRY_VERIFY(saver.saveNow());
    QVERIFY(!saver.isFailing());
    QTRY_COMPARE(followed.size(), 2);
    QCOMPARE(fresh.size(), 1);
    QCOMPARE(stale.size(), 1);
    OperationDatabase reader;
    QVERIFY(reader.open(m_path).ok);
    QCOMPARE(reader.count().value_or(-1), 2);
    QCOMPARE(reader.load(QStringLiteral("t/during"))->operation.history.size(), 3);
}

void TestOperationDatabase::everyReportedRoundSurvivesAKill()
{
    // A writer is killed with SIGKILL at random points; whatever it said was committed is there.
    QRandomGenerator random(20261125);
    for (int attempt = 0; attempt < 8; ++attempt) {
        const QString path = freshStore(QStringLiteral("crash-%1").arg(attempt));
        QProcess writer;
        writer.start(storeWriter(), {path, QStringLiteral("w"), QStringLiteral("0")});
        QVERIFY(writer.waitForStarted());
        const int killAfter = random.bounded(1, 40);
        int reported = 0;
        QByteArray pending;
        while (reported < killAfter) {
            QVERIFY(writer.waitForReadyRead(10000));
            pending += writer.readAllStandardOutput();
            while (pending.contains('\n')) {
                const qsizetype end = pending.indexOf('\n');
                const QByteArray line = pending.left(end);
                pending.remove(0, end + 1);
                if (line.startsWith("committed "))
                    reported = line.mid(10).toInt();
            }
        }
        writer.kill(); // SIGKILL, somewhere in the middle of the next round
        QVERIFY(writer.waitForFinished());

        OperationDatabase database;
        const OperationDatabase::OpenResult opened = database.open(path);
        QVERIFY2(opened.ok && opened.movedTo.isEmpty(), qPrintable(opened.error));
        if (!isServer(path))
            QVERIFY(opened.checked); // left open by the kill: every page read
        QCOMPARE(integrityOf(path), QStringLiteral("ok"));
        for (int round = 1; round <= reported; ++round) {
            for (int i = 0; i < 3; ++i) {
                const auto stored = database.load(QStringLiteral("w/%1-%2").arg(round).arg(i));
                QVERIFY2(stored, qPrintable(QStringLiteral("round %1 lost").arg(round)));
                // Later rounds may have made it to disk before the kill too; none of these
                // may be missing or half-written.
                if (round < reported) {
                    QCOMPARE(stored->operation.history.size(), 2);
                    QCOMPARE(stored->operation.latest->statusRaw, QStringLiteral("succeeded"));
                } else {
                    QVERIFY(!stored->operation.history.isEmpty());
                }
            }
        }
    }
}

// The journal of starts: an intent, then its answer in its place; what never got one is
// unresolved, across a reopen (another process, a restart).
void TestOperationDatabase::journalsAStartFromIntentToAnswer()
{
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    StartJournal journal(database);
    StartRecord clone;
    clone.clientRequestId = QStringLiteral("0f8fad5b-d9cb-469f-a165-70867728950e");
    clone.kind = QStringLiteral("clone");
    clone.teamId = QStringLiteral("team-a");
    clone.path = QStringLiteral("/teams/team-a/clone");
    clone.body = R"({"displayName":"Project 7"})";
    clone.label = QStringLiteral("Clone of Template as “Project 7”");
    clone.sentAt = m_clock.now();
    QVERIFY2(journal.recordIntent(clone), qPrintable(journal.lastError()));
    StartRecord archive = clone;
    archive.clientRequestId = QStringLiteral("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    archive.kind = QStringLiteral("archive");
    archive.path = QStringLiteral("/teams/team-a/archive");
    QVERIFY(journal.recordIntent(archive));
    // One id, one start: the same id again is refused.
    QVERIFY(!journal.recordIntent(clone));

    StartRecord accepted = clone;
    accepted.state = StartRecord::State::Accepted;
    accepted.location = QStringLiteral("/teams('team-a')/operations('op-9')");
    accepted.httpStatus = 202;
    accepted.requestId = QStringLiteral("b7c1e6b2-0000-4000-8000-000000000001");
    accepted.answeredAt = m_clock.now().addSecs(1);
    QVERIFY(journal.recordAnswer(accepted));
    StartRecord unknown;
    unknown.clientRequestId = QStringLiteral("no-such-start");
    QVERIFY(!journal.recordAnswer(unknown)); // nothing to answer

    OperationDatabase reopened;
    QVERIFY(reopened.open(m_path).ok);
    StartJournal later(reopened);
    const auto found = later.findByLocation(accepted.location);
    QVERIFY(found);
    QCOMPARE(found->clientRequestId, clone.clientRequestId);
    QCOMPARE(found->state, StartRecord::State::Accepted);
    QCOMPARE(found->body, clone.body);
    QCOMPARE(found->label, clone.label);
    QCOMPARE(found->sentAt, clone.sentAt);
    QCOMPARE(found->requestId, accepted.requestId);
    QCOMPARE(found->answeredAt, accepted.answeredAt);
    const auto open = later.unresolved();
    QVERIFY(open);
    QCOMPARE(open->size(), 1);
    QCOMPARE(open->first().clientRequestId, archive.clientRequestId);
    QCOMPARE(open->first().state, StartRecord::State::Intent);

    // A state written by a newer TeamsOps is looked at, never taken as done.
    QCOMPARE(runSql(m_path, {QStringLiteral("UPDATE starts SET state = 'superseded' WHERE kind = "
                                            "'clone'")}),
             QString());
    const auto afterNewer = later.unresolved();
    QVERIFY(afterNewer);
    QCOMPARE(afterNewer->size(), 1); // not matched by the query: only intent and unknown are
    QCOMPARE(later.find(clone.clientRequestId)->state, StartRecord::State::Unknown);
}

void TestOperationDatabase::aFirstSchemaStoreGainsTheJournal()
{
    SQLITE_FILE_ONLY();
    QCOMPARE(runSql(m_path, firstSchemaStatements()), QString());
    OperationDatabase database;
    QVERIFY(database.open(m_path).ok);
    QCOMPARE(valueOf(m_path, QStringLiteral("PRAGMA user_version")).toInt(),
             OperationDatabase::kSchemaVersion);
    StartJournal journal(database);
    StartRecord intent;
    intent.clientRequestId = QStringLiteral("c1");
    intent.kind = QStringLiteral("unarchive");
    intent.path = QStringLiteral("/teams/team-a/unarchive");
    intent.sentAt = m_clock.now();
    QVERIFY2(journal.recordIntent(intent), qPrintable(journal.lastError()));
    QCOMPARE(journal.unresolved()->size(), 1);
    QCOMPARE(database.loadAll()->size(), 1); // the operation it had is still there
}

// sslmode=verify-full: the server's certificate must chain to sslrootcert and name the host
// connected to; anything else is refused before a password is sent, and said in libpq's words.
// (The server speaks TLS from here on; the other tests do not mind.)
void TestOperationDatabase::aTeamStoreOverTlsChecksTheServersCertificateAndName()
{
    if (!onServer())
        QSKIP("a file has no server to check");
    const TestCertificate server = TestCertificate::make("localhost");
    const TestCertificate stranger = TestCertificate::make("localhost");
    QVERIFY(!server.certificatePem.isEmpty() && !stranger.certificatePem.isEmpty());
    QCOMPARE(m_server.useTls(server.certificatePem, server.keyPem), QString());
    const auto writeRoot = [this](const QString &name, const QByteArray &pem) {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(pem) == pem.size() ? file.fileName()
                                                                                : QString();
    };
    const QString trusted = writeRoot(QStringLiteral("root.crt"), server.certificatePem);
    const QString untrusted = writeRoot(QStringLiteral("other.crt"), stranger.certificatePem);
    QVERIFY(!trusted.isEmpty() && !untrusted.isEmpty());
    const auto urlOf = [this](const QString &host, const QString &root) {
        QUrl url(m_path);
        url.setHost(host);
        url.setQuery(QStringLiteral("sslmode=verify-full&sslrootcert=") + root);
        return url.toString();
    };

    OperationDatabase database;
    const OperationDatabase::OpenResult opened =
        database.open(urlOf(QStringLiteral("localhost"), trusted));
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY(database.commit({}).has_value());

    OperationDatabase forged;
    const OperationDatabase::OpenResult refused =
        forged.open(urlOf(QStringLiteral("localhost"), untrusted));
    QVERIFY(!refused.ok);
    QCOMPARE(refused.problem, OperationDatabase::Problem::Unavailable); // not worth waiting for
    QVERIFY2(refused.error.contains(QStringLiteral("certificate verify failed")),
             qPrintable(refused.error));

    OperationDatabase misnamed;
    const OperationDatabase::OpenResult wrongName =
        misnamed.open(urlOf(QStringLiteral("127.0.0.1"), trusted));
    QVERIFY(!wrongName.ok);
    QVERIFY2(wrongName.error.contains(QStringLiteral("does not match host name")),
             qPrintable(wrongName.error));
}

QTEST_GUILESS_MAIN(TestOperationDatabase)
#include "tst_operationdatabase.moc"
