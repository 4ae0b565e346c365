// What --store accepts: a file on a local disk, or a PostgreSQL URL without a password and with
// only the options a team store takes; a SQLite file on a network filesystem is refused.
#include "store/storelocation.h"

#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

class TestStoreLocation : public QObject
{
    Q_OBJECT

private slots:
    void aLocalFileIsAStore();
    void aPostgresUrlNamesTheServer();
    void refusesWhatATeamStoreMustNotHold_data();
    void refusesWhatATeamStoreMustNotHold();
    void networkFilesystemsAreToldFromLocalOnes();
    void aTeamStoresLocalCopyIsItsOwnFileBesideTheDefaultStore();
};

void TestStoreLocation::aLocalFileIsAStore()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString problem;
    // Its folder need not exist yet: the nearest one that does is looked at.
    const StoreLocation location =
        StoreLocation::parse(dir.filePath(QStringLiteral("not/yet/operations.sqlite")), problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(!location.isServer());
    QVERIFY(!StoreLocation::isNetworkFilesystem(QStorageInfo(dir.path()).fileSystemType()));
}

void TestStoreLocation::aPostgresUrlNamesTheServer()
{
    QString problem;
    const StoreLocation location = StoreLocation::parse(
        QStringLiteral("postgres://ops@db.example.org:6432/teamsops?sslmode=verify-full&"
                       "sslrootcert=/etc/ssl/certs/corp.pem&connect_timeout=5"),
        problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(location.isServer());
    QCOMPARE(location.host(), QStringLiteral("db.example.org"));
    QCOMPARE(location.port(), 6432);
    QCOMPARE(location.user(), QStringLiteral("ops"));
    QCOMPARE(location.database(), QStringLiteral("teamsops"));
    QCOMPARE(location.connectOptions(), QStringLiteral("sslmode=verify-full;sslrootcert=/etc/ssl/"
                                                       "certs/corp.pem;connect_timeout=5"));
    QVERIFY(location.shown().startsWith(QLatin1String("postgresql://ops@db.example.org:6432/")));
    QCOMPARE(StoreLocation::parse(QStringLiteral("postgresql://ops@db/teamsops"), problem).port(),
             5432);
}

void TestStoreLocation::refusesWhatATeamStoreMustNotHold_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("said");
    QTest::newRow("a password") << "postgresql://ops:hunter2@db/teamsops"
                                << "must not hold a password";
    QTest::newRow("no user") << "postgresql://db/teamsops"
                             << "names no user";
    QTest::newRow("no database") << "postgresql://ops@db"
                                 << "names no database";
    QTest::newRow("no host") << "postgresql:///teamsops"
                             << "not a PostgreSQL URL";
    QTest::newRow("an unknown option") << "postgresql://ops@db/t?password=x"
                                       << "unknown option \"password\"";
    QTest::newRow("a TLS mode libpq lacks") << "postgresql://ops@db/t?sslmode=yes"
                                            << "sslmode takes one of";
    QTest::newRow("a quote in a value") << "postgresql://ops@db/t?sslrootcert=a'b"
                                        << "has a space or a quote";
}

void TestStoreLocation::refusesWhatATeamStoreMustNotHold()
{
    QFETCH(QString, url);
    QFETCH(QString, said);
    QString problem;
    StoreLocation::parse(url, problem);
    QVERIFY2(problem.contains(said), qPrintable(problem));
    QVERIFY2(!problem.contains(QLatin1String("hunter2")), qPrintable(problem));
}

void TestStoreLocation::networkFilesystemsAreToldFromLocalOnes()
{
    // As the kernel names them in /proc/self/mountinfo (QStorageInfo::fileSystemType).
    for (const char *network : {"nfs", "nfs4", "cifs", "smb3", "9p", "fuse.sshfs", "ceph"})
        QVERIFY2(StoreLocation::isNetworkFilesystem(network), network);
    for (const char *local : {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "fuse.gvfsd-fuse"})
        QVERIFY2(!StoreLocation::isNetworkFilesystem(local), local);
}

QTEST_GUILESS_MAIN(TestStoreLocation)
#include "tst_storelocation.moc"

// The copy kept while a team's server is away: one per user, server, database and Graph, a
// plain file name whatever the URL holds, beside the default store; none for a file store.
void TestStoreLocation::aTeamStoresLocalCopyIsItsOwnFileBesideTheDefaultStore()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    qputenv("XDG_DATA_HOME", home.path().toLocal8Bit());
    QString problem;
    const QUrl graph(QStringLiteral("https://graph.microsoft.com"));
    const QString copy =
        StoreLocation::parse(QStringLiteral("postgresql://ops@db.example.org:6432/team%20ops"),
                             problem)
            .standInPath(graph);
    QCOMPARE(copy, home.path() + QStringLiteral("/TeamsOps/while-away/"
                                                "ops@db.example.org_6432_team_ops_for_"
                                                "graph.microsoft.com.sqlite"));
    // Another database, another Graph (a simulator's port included): another copy.
    const StoreLocation other =
        StoreLocation::parse(QStringLiteral("postgresql://ops@db.example.org:6432/other"), problem);
    QVERIFY(other.standInPath(graph) != copy);
    QVERIFY(other.standInPath(QUrl(QStringLiteral("http://127.0.0.1:8123")))
                .endsWith(QLatin1String("_for_127.0.0.1_8123.sqlite")));
    QCOMPARE(StoreLocation::parse(home.filePath(QStringLiteral("mine.sqlite")), problem)
                 .standInPath(graph),
             QString());
}
