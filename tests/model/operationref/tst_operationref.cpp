#include "model/operationref.h"
#include "model/watchedoperation.h"

#include <QtTest>

class TestOperationRef : public QObject
{
    Q_OBJECT

private slots:
    void resolvesEveryShape_data();
    void resolvesEveryShape();
    void refuses_data();
    void refuses();
    void keysIgnoreCase();
    void keepsTheBasePathAndPort();
    void refsOfOneGraphShareItsBase();
    void aLocationIsKeptAsGivenOnlyWhenItIsNotGraphsShape();
};

static const QUrl kBase(QStringLiteral("https://graph.microsoft.com/v1.0"));
static const QString kTeam = QStringLiteral("a40210cd-0060-4b91-aaa1-a44e0853d979");
static const QString kOp = QStringLiteral("477a99c1-99c1-477a-c199-7a47c1997a47");

void TestOperationRef::resolvesEveryShape_data()
{
    QTest::addColumn<QString>("text");
    const QString t = kTeam, o = kOp;
    QTest::newRow("quoted") << QStringLiteral("/teams('%1')/operations('%2')").arg(t, o);
    QTest::newRow("unquoted") << QStringLiteral("/teams(%1)/operations(%2)").arg(t, o);
    QTest::newRow("segments") << QStringLiteral("/teams/%1/operations/%2").arg(t, o);
    QTest::newRow("old groups shape")
        << QStringLiteral("/groups(%1)/team/operations(%2)").arg(t, o);
    QTest::newRow("old groups quoted")
        << QStringLiteral("/groups('%1')/team/operations('%2')").arg(t, o);
    QTest::newRow("no leading slash") << QStringLiteral("teams('%1')/operations('%2')").arg(t, o);
    QTest::newRow("trailing slash") << QStringLiteral("/teams/%1/operations/%2/").arg(t, o);
    QTest::newRow("version prefix")
        << QStringLiteral("/v1.0/teams('%1')/operations('%2')").arg(t, o);
    QTest::newRow("full v1.0 URL")
        << QStringLiteral("https://graph.microsoft.com/v1.0/teams/%1/operations/%2").arg(t, o);
    QTest::newRow("full beta URL")
        << QStringLiteral("https://graph.microsoft.com/beta/teams('%1')/operations('%2')")
               .arg(t, o);
    QTest::newRow("percent-encoded quotes")
        << QStringLiteral("https://graph.microsoft.com/v1.0/teams(%27%1%27)/operations(%27%2%27)")
               .arg(t, o);
    QTest::newRow("pasted header line")
        << QStringLiteral("Location: /teams('%1')/operations('%2')").arg(t, o);
    QTest::newRow("quoted JSON string")
        << QStringLiteral("  \"/teams('%1')/operations('%2')\"  ").arg(t, o);
    QTest::newRow("upper-case segment")
        << QStringLiteral("/Teams('%1')/Operations('%2')").arg(t, o);
}

void TestOperationRef::resolvesEveryShape()
{
    QFETCH(QString, text);
    const LocationResolution resolved = resolveLocation(text, kBase);
    QVERIFY2(resolved.ref, qPrintable(resolved.error));
    QCOMPARE(resolved.ref->teamId, kTeam);
    QCOMPARE(resolved.ref->operationId, kOp);
    QCOMPARE(resolved.ref->url(),
             QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/teams/%1/operations/%2")
                      .arg(kTeam, kOp)));
    QCOMPARE(resolved.ref->location(),
             QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, kOp));
}

void TestOperationRef::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reasonContains");
    const QString t = kTeam, o = kOp;
    QTest::newRow("empty") << "   "
                           << "empty";
    QTest::newRow("a team, not an operation")
        << QStringLiteral("/teams('%1')").arg(t) << "not a teamsAsyncOperation";
    QTest::newRow("channel archive path")
        << QStringLiteral("/teams/%1/channels/c/operations/%2").arg(t, o)
        << "not a teamsAsyncOperation";
    QTest::newRow("other host")
        << QStringLiteral("https://evil.example.com/v1.0/teams/%1/operations/%2").arg(t, o)
        << "not on the configured Graph host";
    QTest::newRow("plain http to graph")
        << QStringLiteral("http://graph.microsoft.com/v1.0/teams/%1/operations/%2").arg(t, o)
        << "not on the configured Graph host";
    QTest::newRow("groups without team")
        << QStringLiteral("/groups(%1)/operations(%2)").arg(t, o) << "lacks /team";
    QTest::newRow("teams with team")
        << QStringLiteral("/teams(%1)/team/operations(%2)").arg(t, o) << "unexpected /team";
    QTest::newRow("empty key") << QStringLiteral("/teams('')/operations('%1')").arg(o) << "team id";
    QTest::newRow("space in id") << QStringLiteral("/teams/%1/operations/a b").arg(t)
                                 << "operation id";
    QTest::newRow("dot-dot ids") << "/teams/../operations/.."
                                 << "team id";
    QTest::newRow("dot operation id")
        << QStringLiteral("/teams('%1')/operations('.')").arg(t) << "operation id";
    QTest::newRow("encoded dot-dot")
        << QStringLiteral("https://graph.microsoft.com/v1.0/teams/%2e%2e/operations/%2E%2E")
        << "team id";
    QTest::newRow("garbage") << "hello world"
                             << "not a teamsAsyncOperation";
}

void TestOperationRef::refuses()
{
    QFETCH(QString, text);
    QFETCH(QString, reasonContains);
    const LocationResolution resolved = resolveLocation(text, kBase);
    QVERIFY(!resolved.ref);
    QVERIFY2(resolved.error.contains(reasonContains), qPrintable(resolved.error));
}

void TestOperationRef::keysIgnoreCase()
{
    const auto lower =
        resolveLocation(QStringLiteral("/teams/%1/operations/%2").arg(kTeam, kOp), kBase);
    const auto upper = resolveLocation(
        QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam.toUpper(), kOp.toUpper()), kBase);
    QVERIFY(lower.ref && upper.ref);
    QCOMPARE(lower.ref->key(), upper.ref->key());
    QVERIFY(*lower.ref == *upper.ref);
    QCOMPARE(qHash(*lower.ref), qHash(*upper.ref));
}

void TestOperationRef::keepsTheBasePathAndPort()
{
    const QUrl simulator(QStringLiteral("http://127.0.0.1:8123/beta"));
    const auto resolved = resolveLocation(
        QStringLiteral("http://127.0.0.1:8123/v1.0/teams/%1/operations/%2").arg(kTeam, kOp),
        simulator);
    QVERIFY2(resolved.ref, qPrintable(resolved.error));
    QCOMPARE(resolved.ref->url().toString(),
             QStringLiteral("http://127.0.0.1:8123/beta/teams/%1/operations/%2").arg(kTeam, kOp));
    const auto otherPort = resolveLocation(
        QStringLiteral("http://127.0.0.1:9999/v1.0/teams/%1/operations/%2").arg(kTeam, kOp),
        simulator);
    QVERIFY(!otherPort.ref);
}

// 100 000 watched operations hold one copy of their Graph's base, not a URL each.
void TestOperationRef::refsOfOneGraphShareItsBase()
{
    const QUrl base(QStringLiteral("https://graph.microsoft.com/v1.0"));
    const auto first = resolveLocation(QStringLiteral("/teams('a')/operations('1')"), QUrl(base));
    const auto second = resolveLocation(QStringLiteral("/teams/b/operations/2"), QUrl(base));
    QVERIFY(first.ref && second.ref);
    QCOMPARE(first.ref->graphBase, base);
    QVERIFY(!first.ref->graphBase.isDetached()); // shared with the other ref's
    QVERIFY(!second.ref->graphBase.isDetached());
    QCOMPARE(second.ref->url().toString(),
             QStringLiteral("https://graph.microsoft.com/v1.0/teams/b/operations/2"));
    // A stored URL gives its base back (rows keep the whole URL).
    QCOMPARE(graphBaseOfOperationUrl(second.ref->url()), base);
    QCOMPARE(graphBaseOfOperationUrl(
                 QUrl(QStringLiteral("http://127.0.0.1:8123/beta/teams/t/operations/o")))
                 .toString(),
             QStringLiteral("http://127.0.0.1:8123/beta"));
}

void TestOperationRef::aLocationIsKeptAsGivenOnlyWhenItIsNotGraphsShape()
{
    const QUrl base(QStringLiteral("https://graph.microsoft.com/v1.0"));
    const QString graphsShape = QStringLiteral("/teams('a')/operations('1')");
    const QString pasted = QStringLiteral("https://graph.microsoft.com/v1.0/teams/a/operations/1");

    WatchedOperation usual;
    usual.ref = *resolveLocation(graphsShape, base).ref;
    usual.setLocation(graphsShape);
    QCOMPARE(usual.location(), graphsShape);
    QVERIFY(usual.givenLocation.isEmpty());

    WatchedOperation other;
    other.ref = *resolveLocation(pasted, base).ref;
    other.setLocation(pasted);
    QCOMPARE(other.location(), pasted);
    QCOMPARE(other.givenLocation, pasted);
}

QTEST_GUILESS_MAIN(TestOperationRef)
#include "tst_operationref.moc"
