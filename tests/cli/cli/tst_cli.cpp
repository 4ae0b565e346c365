// teamsops-cli watch, run as a real process against the simulator in this test's process.
#include "simserver.h"
#include "simtenant.h"

#include "model/clock.h"
#include "start/teamrequests.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/startjournal.h"
#include "store/storesaver.h"

#include "postgresserver.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

static const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
static const QString kQuick = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
static const QString kFails = QStringLiteral("2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
static const QString kSlow = QStringLiteral("3b2c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e");
// A Microsoft 365 group that is not a team yet.
static const QString kGroup = QStringLiteral("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8c");
// A team with no operations of its own: a start on it is the only candidate when looked for.
static const QString kQuiet = QStringLiteral("4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a");

struct CliRun
{
    int exitCode = -1;
    QList<QByteArray> stdoutLines;
    QString stderrText;
};

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void exitsZeroWhenAllSucceed();
    void printsJsonLinesForEachChange();
    void exitsTwoWhenAnyFails();
    void watchesTheLocationsOfAFile();
    void exitsThreeOnTimeout();
    void saysWhenTheBudgetSetsThePace();
    void watchesAWholeTeam();
    void saysWhenGraphAsksToSlowDown();
    void escapesControlCharactersFromTheServer();
    void exitsOneOnBadLocation();
    void exitsOneWithoutToken();
    void exitsOneWhenTheTokenIsRefused();
    void exitsOneOnUsageErrors();
    void keepsWhatItWatchesAndResumesIt();
    void historyRepeatsExactlyWhatWatchPrinted();
    void saysWhoStartedAndWhoForgot();
    void leavesAStoreFromANewerVersionAlone();
    void movesAnUnreadableStoreAsideAndCarriesOn();
    void waitsForAStoreInUseAndSavesOnceItIsFree();
    void oneStoreIsPolledByOneProcessAndTakenOverWhenItDies_data();
    void oneStoreIsPolledByOneProcessAndTakenOverWhenItDies();
    void picksUpWhatAnotherProcessAdds();
    void aTeamStoreTakesNoPasswordAndSaysWhyItCannotConnect();
    void aTeamStoreAwayAtStartGetsWhatWasWatchedOnceBack();
    void aTeamStoreAwayKeepsWhatWasWatchedInALocalCopyThroughACrash();
    void aLocationGivenAgainIsPolledWhereGraphIsNow();
    void clonesAndWatchesTheClone();
    void waitsUntilTheClonesTeamIsReady();
    void clonesInBulkFromACsvWithOneJsonLineEach();
    void checksACloneBeforeSendingIt();
    void archivesWithJson();
    void createsATeamsAsyncOperationFromStdinAndSaysWhyARequestIsRefused();
    void aStartWhoseAnswerIsLostIsSentOnceAndNamed_data();
    void aStartWhoseAnswerIsLostIsSentOnceAndNamed();
    void aStartKilledWhileGraphHoldsItsAnswerStaysInTheStore();
    void aBulkKilledMidwayIsResumedWithEveryCloneMadeOnce();
    void resumeFinishesSingleStartsToo();
    void historySupportNamesTheRequestsAndHoldsNoToken();
    void archivesAndUnarchivesAChannel();
    void makesATeamFromAGroup();

private:
    CliRun run(const QStringList &arguments, const QString &token = QStringLiteral("cli-token"),
               const QByteArray &input = QByteArray(),
               const QProcessEnvironment &extra = QProcessEnvironment());
    // The CLI's environment: this test's data home (so its default store), and the token.
    QProcessEnvironment environmentWith(const QString &token) const;
    QString location(const QString &op) const
    {
        return QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, op);
    }

    QString defaultStore() const
    {
        return m_dataHome->path() + QStringLiteral("/TeamsOps/operations.sqlite");
    }
    // The local copies of team stores kept while their server is away.
    QStringList standInCopies() const
    {
        const QDir folder(m_dataHome->path() + QStringLiteral("/TeamsOps/while-away"));
        QStringList copies;
        for (const QString &name : folder.entryList({QStringLiteral("*.sqlite")}, QDir::Files))
            copies.append(folder.filePath(name));
        return copies;
    }

    std::unique_ptr<SimTenant> m_tenant;
    std::unique_ptr<SimServer> m_server;
    // Each test's own XDG_DATA_HOME: the default store never touches the real one.
    std::unique_ptr<QTemporaryDir> m_dataHome;
    // The team store's server, started by the first test that needs it; a database per test.
    // Empty when it is up, else why not.
    QString startPostgres();
    QString newTeamStore();
    std::unique_ptr<PostgresServer> m_postgres;
    int m_teamStores = 0;
};

QString TestCli::startPostgres()
{
    if (m_postgres)
        return QString();
    m_postgres = std::make_unique<PostgresServer>();
    return m_postgres->start();
}

// A new database on the team server, as a --store URL.
QString TestCli::newTeamStore()
{
    const QString name = QStringLiteral("team_%1").arg(++m_teamStores);
    const QString problem = m_postgres->createDatabase(name);
    if (!problem.isEmpty())
        qFatal("%s", qPrintable(problem));
    return m_postgres->url(name);
}

void TestCli::init()
{
    // 200 simulated seconds per real second: the quick clone is done in about a tenth of a second.
    m_tenant = std::make_unique<SimTenant>(SimTenant::TimeSource(), 200.0);
    const QJsonObject scenario{
        {"teams", QJsonArray{QJsonObject{{"id", kTeam},
                                         {"displayName", "Template"},
                                         {"channels", QJsonArray{"General", "Design", "Build"}}},
                             QJsonObject{{"id", kQuiet}, {"displayName", "Quiet"}}}},
        {"groups", QJsonArray{QJsonObject{{"id", kGroup}, {"displayName", "A group"}}}},
        {"operations",
         QJsonArray{
             QJsonObject{{"id", kQuick}, {"teamId", kTeam}, {"startAfter", 4}, {"duration", 16}},
             QJsonObject{{"id", kFails},
                         {"teamId", kTeam},
                         {"startAfter", 4},
                         {"duration", 20},
                         {"attempts", 2},
                         {"outcome", "failed"},
                         {"error", QJsonObject{{"code", "Conflict"}, {"message", "Name taken."}}}},
             QJsonObject{{"id", kSlow}, {"teamId", kTeam}, {"startAfter", 1}, {"duration", 1e9}},
         }},
    };
    QCOMPARE(m_tenant->loadScenario(QJsonDocument(scenario).toJson()), QString());
    m_server = std::make_unique<SimServer>(*m_tenant, QStringLiteral("cli-token"));
    m_dataHome = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dataHome->isValid());
    QVERIFY(m_server->listen() != 0);
}

void TestCli::cleanup()
{
    m_server.reset();
    m_tenant.reset();
    m_dataHome.reset();
}

QProcessEnvironment TestCli::environmentWith(const QString &token) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("TEAMSOPS_TOKEN"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dataHome->path());
    // A team store's password only where a test gives it (never this machine's ~/.pgpass).
    environment.remove(QStringLiteral("PGPASSWORD"));
    environment.insert(QStringLiteral("PGPASSFILE"), m_dataHome->filePath(QStringLiteral("none")));
    if (!token.isEmpty())
        environment.insert(QStringLiteral("TEAMSOPS_TOKEN"), token);
    return environment;
}

CliRun TestCli::run(const QStringList &arguments, const QString &token, const QByteArray &input,
                    const QProcessEnvironment &extra)
{
    QProcess process;
    QProcessEnvironment environment = environmentWith(token);
    environment.insert(extra);
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(TEAMSOPS_CLI_PATH), arguments);
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    // Waiting on the signal keeps this process's event loop (and so the simulator) running.
    if (!finished.wait(60000))
        qFatal("teamsops-cli did not finish");
    CliRun result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.stdoutLines = process.readAllStandardOutput().split('\n');
    result.stdoutLines.removeAll(QByteArray());
    result.stderrText = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestCli::exitsZeroWhenAllSucceed()
{
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                               "0.1", "--timeout", "30", location(kQuick)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(!result.stdoutLines.isEmpty());
    QVERIFY(result.stdoutLines.constLast().contains(" succeeded "));
    QVERIFY(result.stdoutLines.constLast().contains("target=/teams('"));
    // One operation at 0.1 s: the team's budget sets the pace (a third of a second), never the
    // 30 s default that once stood until the first round and was said.
    QVERIFY2(!result.stderrText.contains("polled every 30 s"), qPrintable(result.stderrText));
    QVERIFY2(!result.stderrText.contains("1 operations"), qPrintable(result.stderrText));
}

void TestCli::printsJsonLinesForEachChange()
{
    const CliRun result =
        run({"watch", "--json", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
             "--timeout", "30", location(kQuick), "/teams/" + kTeam + "/operations/" + kFails});
    QCOMPARE(result.exitCode, 2);
    const QStringList keys{"attemptsCount", "error",         "id",     "location",
                           "observedAt",    "operationType", "status", "targetResourceLocation"};
    QMap<QString, QList<QJsonObject>> byId;
    for (const QByteArray &line : result.stdoutLines) {
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QCOMPARE(json.keys(), keys);
        QVERIFY(QDateTime::fromString(json["observedAt"].toString(), Qt::ISODateWithMs).isValid());
        byId[json["id"].toString()].append(json);
    }
    const QJsonObject quickLast = byId.value(kQuick).constLast();
    QCOMPARE(quickLast["status"].toString(), QStringLiteral("succeeded"));
    QCOMPARE(quickLast["operationType"].toString(), QStringLiteral("cloneTeam"));
    QCOMPARE(quickLast["location"].toString(), location(kQuick));
    QVERIFY(quickLast["error"].isNull());
    QVERIFY(quickLast["targetResourceLocation"].toString().startsWith("/teams('"));

    const QList<QJsonObject> fails = byId.value(kFails);
    const QJsonObject failsLast = fails.constLast();
    QCOMPARE(failsLast["status"].toString(), QStringLiteral("failed"));
    QCOMPARE(failsLast["attemptsCount"].toInt(), 2);
    QCOMPARE(failsLast["error"].toObject()["code"].toString(), QStringLiteral("Conflict"));
    QCOMPARE(failsLast["error"].toObject()["message"].toString(), QStringLiteral("Name taken."));
    QVERIFY(failsLast["targetResourceLocation"].isNull());
    // One line per change: no two consecutive lines of one operation say the same thing.
    for (qsizetype i = 1; i < fails.size(); ++i) {
        QVERIFY(fails[i]["status"] != fails[i - 1]["status"] ||
                fails[i]["attemptsCount"] != fails[i - 1]["attemptsCount"] ||
                fails[i]["error"] != fails[i - 1]["error"]);
    }
}

void TestCli::exitsTwoWhenAnyFails()
{
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                               "0.1", "--timeout", "30", location(kFails)});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.stdoutLines.constLast().contains("error=Conflict: Name taken."));
}

// Locations one per line from a file or standard input, as the add dialog reads them: a bad
// line is reported with its number, the good ones are watched (a repeat once).
void TestCli::watchesTheLocationsOfAFile()
{
    const QByteArray lines =
        QStringLiteral("# this morning's clones\n"
                       "%1\n"
                       "not a location\n"
                       "\n"
                       "%2/teams/%3/operations/%4\n"
                       "%1\n")
            .arg(location(kQuick), m_server->baseUrl().toString(), kTeam, kFails)
            .toUtf8();
    QTemporaryDir dir;
    QFile file(dir.filePath("locations.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(lines);
    file.close();
    const QStringList watch{"watch",      "--json", "--graph-url", m_server->baseUrl().toString(),
                            "--interval", "0.1",    "--timeout",   "30"};
    for (const bool fromStdin : {false, true}) {
        // A store of its own each time: the second run would find both finished already.
        const QStringList store{"--store",
                                m_dataHome->filePath(fromStdin ? "stdin.sqlite" : "file.sqlite")};
        const CliRun result = fromStdin
                                  ? run(watch + store + QStringList{"--from", "-"},
                                        QStringLiteral("cli-token"), lines)
                                  : run(watch + store + QStringList{"--from", file.fileName()});
        QCOMPARE(result.exitCode, 2); // kFails failed
        QVERIFY2(result.stderrText.contains(" line 3: \"not a location\""),
                 qPrintable(result.stderrText));
        QCOMPARE(result.stderrText.count(QStringLiteral("error:")), 1);
        QSet<QString> finished;
        for (const QByteArray &line : result.stdoutLines)
            finished.insert(QJsonDocument::fromJson(line).object().value("id").toString());
        QCOMPARE(finished, QSet<QString>({kQuick, kFails}));
    }
    const CliRun nothing = run({"watch", "--from", dir.filePath("missing.txt")});
    QCOMPARE(nothing.exitCode, 1);
    QVERIFY2(nothing.stderrText.contains("--from"), qPrintable(nothing.stderrText));
}

void TestCli::exitsThreeOnTimeout()
{
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                               "0.1", "--timeout", "1", location(kSlow), location(kQuick)});
    QCOMPARE(result.exitCode, 3);
    QVERIFY(result.stderrText.contains("timed out"));
    QVERIFY(result.stdoutLines.join('\n').contains("inProgress"));
}

void TestCli::saysWhenTheBudgetSetsThePace()
{
    // Three operations at one request a second cannot be polled every 0.1 s (they share a team,
    // so one list a second reads them all).
    const CliRun result = run(
        {"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
         "--tenant-budget", "1", "--timeout", "2", "/teams/" + kTeam + "/operations/" + kSlow,
         "/teams/" + kTeam + "/operations/" + kQuick, "/teams/" + kTeam + "/operations/" + kFails});
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.stderrText.contains("3 operations at 1 requests/s: each is polled every 1 s"),
             qPrintable(result.stderrText));
    QCOMPARE(m_tenant->throttle().tenantPerSecond, 30);
    QVERIFY(m_server->throttled() == 0);
    QCOMPARE(run({"watch", "--tenant-budget", "0", location(kQuick)}).exitCode, 1);
}

void TestCli::watchesAWholeTeam()
{
    // The team lists three operations (one of them never ends): each is watched, the one also
    // given as a Location once.
    const CliRun result =
        run({"watch", "--json", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
             "--timeout", "2", "--team", "/teams('" + kTeam + "')", location(kQuick)});
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.stderrText.contains("note: team " + kTeam +
                                        ": 3 operations, 2 not watched "
                                        "before"),
             qPrintable(result.stderrText));
    QSet<QString> seen;
    for (const QByteArray &line : result.stdoutLines)
        seen.insert(QJsonDocument::fromJson(line).object().value("id").toString());
    QCOMPARE(seen, QSet<QString>({kQuick, kFails, kSlow}));
    QVERIFY(m_server->requestCount("/teams/" + kTeam + "/operations") >= 1);

    const CliRun unknown = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--team",
                                "00000000-0000-0000-0000-000000000000"});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.stderrText.contains("could not list the operations of team"),
             qPrintable(unknown.stderrText));
    QCOMPARE(run({"watch", "--team", "not a team"}).exitCode, 1);
}

void TestCli::saysWhenGraphAsksToSlowDown()
{
    m_server->injectFault(SimFault::answer(kQuick, 429, "0", 1));
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                               "0.1", location(kQuick)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.stderrText.contains("Graph asked to slow down"), qPrintable(result.stderrText));
    QVERIFY(result.stderrText.contains("speeding up again while answers come back clean"));
    QCOMPARE(result.stderrText.count("Graph asked to slow down"), 1);
}

void TestCli::escapesControlCharactersFromTheServer()
{
    // A hostile error message: clear the screen, then forge a line of output.
    const QByteArray forged = "Name taken.\u001b[2J\r\n12:00:00 kQuick succeeded\u202e";
    SimFault fault = SimFault::answer(kQuick, 500, {}, 1);
    fault.body = R"({"error": {"code": "Boom\u0007", "message": ")" + forged + R"("}})";
    m_server->injectFault(fault);
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                               "0.1", location(kQuick)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.stderrText.contains(R"(Name taken.\x1b[2J\r\n12:00:00 kQuick succeeded\u202e)"),
             qPrintable(result.stderrText));
    for (const QChar c : result.stderrText)
        QVERIFY2(c == '\n' || (c >= ' ' && c != QChar(0x7f) && c != QChar(0x202e)),
                 qPrintable(QString::number(c.unicode())));
    QCOMPARE(result.stderrText.count("warning:"), 1);
    for (const QString &line : result.stderrText.split('\n')) // no forged line of its own
        QVERIFY2(!line.startsWith("12:00:00"), qPrintable(line));

    // The same in an operation's own error, on stdout.
    SimFault failed = SimFault::answer(kSlow, 200, {}, -1);
    failed.body = R"({"id": ")" + kSlow.toUtf8() +
                  R"(", "status": "failed", "operationType": "cloneTeam", "attemptsCount": 1,
                      "error": {"code": "Conflict", "message": ")" +
                  forged + R"("}})";
    m_server->injectFault(failed);
    const CliRun out = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                            "0.1", location(kSlow)});
    QCOMPARE(out.exitCode, 2);
    QCOMPARE(out.stdoutLines.size(), 1);
    QVERIFY2(out.stdoutLines.first().contains(R"(\x1b[2J\r\n12:00:00)"),
             out.stdoutLines.first().constData());
    QVERIFY(!out.stdoutLines.first().contains('\x1b'));

    // Invisible and reordering characters: zero-width space, bidi marks, the Arabic letter mark,
    // the line separator, a byte order mark and a language tag — escaped for people, \u-escaped
    // in JSON (the same text to a JSON reader).
    const QString hidden = QStringLiteral("a\u200Bb\u200Ec\u200Fd\u061Ce\u2028f\uFEFFg") +
                           QString::fromUcs4(U"\U000E0041") + QStringLiteral("h\u202E");
    SimFault quiet = SimFault::answer(kFails, 200, {}, -1);
    quiet.body = R"({"id": ")" + kFails.toUtf8() +
                 R"(", "status": "failed", "operationType": "cloneTeam", "attemptsCount": 1,
                     "error": {"code": "Conflict", "message": ")" +
                 hidden.toUtf8() + R"("}})";
    m_server->injectFault(quiet);
    const CliRun text =
        run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1", "--store",
             m_dataHome->filePath("hidden-text.sqlite"), location(kFails)});
    QCOMPARE(text.stdoutLines.size(), 1);
    const QString line = QString::fromUtf8(text.stdoutLines.first());
    QVERIFY2(line.contains(R"(a\u200bb\u200ec\u200fd\u061ce\u2028f\ufeffg\U000e0041h\u202e)"),
             qPrintable(line));
    const CliRun json =
        run({"watch", "--json", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
             "--store", m_dataHome->filePath("hidden-json.sqlite"), location(kFails)});
    QCOMPARE(json.stdoutLines.size(), 1);
    const QByteArray raw = json.stdoutLines.first();
    for (const QString &character : {QStringLiteral("\u200B"), QStringLiteral("\u202E"),
                                     QStringLiteral("\u2028"), QStringLiteral("\uFEFF")})
        QVERIFY2(!raw.contains(character.toUtf8()), raw.constData());
    QVERIFY2(raw.contains(R"(\u202e)") || raw.contains(R"(\u202E)"), raw.constData());
    // And the JSON still says exactly what Graph sent.
    QCOMPARE(
        QJsonDocument::fromJson(raw).object().value("error").toObject().value("message").toString(),
        hidden);
}

void TestCli::exitsOneOnBadLocation()
{
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(),
                               location(kQuick), "/teams('x')/channels('y')"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.stderrText.contains("bad Location \"/teams('x')/channels('y')\""));
    QCOMPARE(result.stderrText.count('\n'), 1);
    QCOMPARE(m_server->requestCount(), 0);
    // Ids that would change the path once put in a URL: refused before anything is sent.
    const CliRun dots = run({"watch", "--graph-url", m_server->baseUrl().toString(),
                             "/teams/../operations/..", "/teams/%2e%2e/operations/x"});
    QCOMPARE(dots.exitCode, 1);
    QVERIFY2(dots.stderrText.contains("team id \"..\""), qPrintable(dots.stderrText));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestCli::exitsOneWithoutToken()
{
    const CliRun result =
        run({"watch", "--graph-url", m_server->baseUrl().toString(), location(kQuick)}, QString());
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.stderrText.contains("TEAMSOPS_TOKEN"));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestCli::exitsOneWhenTheTokenIsRefused()
{
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--timeout",
                               "30", location(kQuick)},
                              QStringLiteral("revoked"));
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.stderrText.contains("authentication failed"));
    QVERIFY(!result.stderrText.contains("revoked")); // the token itself is never printed
}

void TestCli::exitsOneOnUsageErrors()
{
    QCOMPARE(run({}).exitCode, 1);
    QCOMPARE(run({"watch", "--store", ""}).exitCode, 1);
    QCOMPARE(run({"history"}).exitCode, 1);
    QCOMPARE(run({"forget"}).exitCode, 1);
    QCOMPARE(run({"forget", "--terminal-older-than", "soon"}).exitCode, 1);
    QCOMPARE(run({"frobnicate", location(kQuick)}).exitCode, 1);
    // Every number is range-checked, and the message names the option (nan, inf and 1e16
    // once overflowed a conversion; a timeout past QTimer's range was cut or never fired).
    const QList<QStringList> badNumbers{
        {"--interval", "soon"},   {"--interval", "nan"},        {"--interval", "inf"},
        {"--interval", "1e16"},   {"--interval", "-1"},         {"--timeout", "inf"},
        {"--timeout", "2147484"}, {"--timeout", "0"},           {"--tenant-budget", "0"},
        {"--team-budget", "1e3"}, {"--tenant-budget", "99999"},
    };
    for (const QStringList &bad : badNumbers) {
        const CliRun result = run(QStringList{"watch"} + bad + QStringList{location(kQuick)});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.stderrText.startsWith("error: " + bad.first() + " takes "),
                 qPrintable(result.stderrText));
        QVERIFY2(result.stderrText.contains('"' + bad.last() + '"'), qPrintable(result.stderrText));
    }
    QCOMPARE(m_server->requestCount(), 0);
    const CliRun plainHttp =
        run({"watch", "--graph-url", "http://graph.microsoft.com/v1.0", location(kQuick)});
    QCOMPARE(plainHttp.exitCode, 1);
    QVERIFY(plainHttp.stderrText.contains("https"));
    QCOMPARE(run({"--help"}).exitCode, 0);
}

void TestCli::keepsWhatItWatchesAndResumesIt()
{
    const QString graph = m_server->baseUrl().toString();
    // Watched, then interrupted (the slow clone never finishes within the timeout).
    CliRun result = run({"watch", "--graph-url", graph, "--interval", "0.1", "--timeout", "1",
                         location(kSlow), location(kQuick)});
    QCOMPARE(result.exitCode, 3);
    QVERIFY(QFile::exists(defaultStore()));

    result = run({"list", "--json"});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.stdoutLines.size(), 2);
    QMap<QString, QJsonObject> byId;
    for (const QByteArray &line : result.stdoutLines) {
        const QJsonObject json = QJsonDocument::fromJson(line).object();
        byId.insert(json["id"].toString(), json);
    }
    QCOMPARE(byId[kQuick]["status"].toString(), QStringLiteral("succeeded"));
    QCOMPARE(byId[kSlow]["status"].toString(), QStringLiteral("inProgress"));
    QCOMPARE(byId[kSlow]["watch"].toString(), QStringLiteral("watching"));
    QCOMPARE(byId[kSlow]["location"].toString(), location(kSlow));

    // With no LOCATION: the unfinished one is picked up again, the finished one is not.
    const int slowPolls = m_server->requestCount(kSlow);
    const int quickPolls = m_server->requestCount(kQuick);
    result = run({"watch", "--graph-url", graph, "--interval", "0.1", "--timeout", "1"});
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.stderrText.contains("resuming 1 unfinished operation from"),
             qPrintable(result.stderrText));
    QVERIFY(m_server->requestCount(kSlow) > slowPolls);
    QCOMPARE(m_server->requestCount(kQuick), quickPolls);

    // Forgotten: gone from the store, and nothing left to resume.
    result = run({"forget", location(kSlow)});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.stdoutLines, QList<QByteArray>{"forgot 1 operation"});
    result = run({"list"});
    QCOMPARE(result.stdoutLines.size(), 1);
    QVERIFY(result.stdoutLines.first().contains(kQuick.toUtf8()));
    result = run({"forget", "--terminal-older-than", "0"});
    QCOMPARE(result.stdoutLines, QList<QByteArray>{"forgot 1 operation"});
    result = run({"watch", "--graph-url", graph, "--interval", "0.1", "--timeout", "5"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.stderrText.contains("resuming 0 unfinished"));
}

void TestCli::historyRepeatsExactlyWhatWatchPrinted()
{
    const QString store = m_dataHome->filePath(QStringLiteral("elsewhere.sqlite"));
    const CliRun watched =
        run({"watch", "--json", "--store", store, "--graph-url", m_server->baseUrl().toString(),
             "--interval", "0.1", "--timeout", "30", location(kFails)});
    QCOMPARE(watched.exitCode, 2);
    QVERIFY(!watched.stdoutLines.isEmpty());
    QVERIFY(!QFile::exists(defaultStore())); // --store chose the file

    // Every line printed was saved first: history gives back the very same lines.
    const CliRun history = run({"history", "--json", "--store", store, location(kFails)});
    QCOMPARE(history.exitCode, 0);
    QCOMPARE(history.stdoutLines, watched.stdoutLines);
    const CliRun text = run({"history", "--store", store, location(kFails)});
    QCOMPARE(text.stdoutLines.size(), watched.stdoutLines.size());
    QVERIFY(text.stdoutLines.constLast().contains("error=Conflict: Name taken."));

    const CliRun unknown = run({"history", "--store", store, location(kQuick)});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.stderrText.contains("is not in"));
}

void TestCli::leavesAStoreFromANewerVersionAlone()
{
    {
        OperationDatabase database;
        QVERIFY(database.open(defaultStore()).ok);
    }
    {
        QSqlDatabase raw =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        raw.setDatabaseName(defaultStore());
        QVERIFY(raw.open());
        QVERIFY(QSqlQuery(raw).exec(QStringLiteral("PRAGMA user_version=7")));
        raw.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    auto hash = [this] {
        QFile file(defaultStore());
        return file.open(QIODevice::ReadOnly)
                   ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256)
                   : QByteArray();
    };
    const QByteArray before = hash();

    const CliRun list = run({"list"});
    QCOMPARE(list.exitCode, 1);
    QVERIFY2(list.stderrText.contains("newer TeamsOps"), qPrintable(list.stderrText));
    // Watching still works, in memory, and says it is not saving.
    const CliRun watched = run({"watch", "--graph-url", m_server->baseUrl().toString(),
                                "--interval", "0.1", "--timeout", "30", location(kQuick)});
    QCOMPARE(watched.exitCode, 0);
    QVERIFY(watched.stderrText.contains("not saving"));
    QVERIFY(watched.stdoutLines.constLast().contains(" succeeded "));
    QCOMPARE(hash(), before);
}

void TestCli::movesAnUnreadableStoreAsideAndCarriesOn()
{
    QVERIFY(QDir().mkpath(QFileInfo(defaultStore()).absolutePath()));
    QFile garbage(defaultStore());
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("PK\x03\x04 not a database at all");
    garbage.close();

    const CliRun watched = run({"watch", "--graph-url", m_server->baseUrl().toString(),
                                "--interval", "0.1", "--timeout", "30", location(kQuick)});
    QCOMPARE(watched.exitCode, 0);
    QVERIFY2(watched.stderrText.contains("moved to"), qPrintable(watched.stderrText));
    const QStringList asides = QDir(QFileInfo(defaultStore()).absolutePath())
                                   .entryList({QStringLiteral("operations.sqlite.unreadable-*")});
    QCOMPARE(asides.size(), 1);
    const CliRun list = run({"list"});
    QCOMPARE(list.stdoutLines.size(), 1);
    QVERIFY(list.stdoutLines.first().contains(" succeeded "));
}

// Another program holds the store (as `sqlite3` in a transaction would): `watch` says it waits,
// watches in memory, moves nothing aside, and saves what it saw once the store is free.
void TestCli::waitsForAStoreInUseAndSavesOnceItIsFree()
{
    QVERIFY(run({"list"}).exitCode == 0); // the folder
    {
        OperationDatabase database;
        QVERIFY(database.open(defaultStore()).ok);
    }
    QProcess holder;
    holder.start(QStringLiteral(STOREWRITER_PATH), {defaultStore(), QStringLiteral("--hold")});
    QTRY_VERIFY_WITH_TIMEOUT(holder.canReadLine(), 10000);
    QCOMPARE(holder.readLine().trimmed(), QByteArray("holding"));

    QProcess watch;
    watch.setProcessEnvironment(environmentWith(QStringLiteral("cli-token")));
    QByteArray errors;
    connect(&watch, &QProcess::readyReadStandardError, this,
            [&] { errors += watch.readAllStandardError(); });
    QSignalSpy ended(&watch, &QProcess::finished);
    watch.start(QStringLiteral(TEAMSOPS_CLI_PATH),
                {"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
                 "--timeout", "30", location(kQuick)});
    // Watched to the end in memory, then waiting for the store before it exits.
    QTRY_VERIFY_WITH_TIMEOUT(errors.contains("to save what was watched"), 20000);
    QVERIFY2(errors.contains("in use by another program"), errors.constData());
    QVERIFY(ended.isEmpty());
    const QString folder = QFileInfo(defaultStore()).absolutePath();
    QCOMPARE(QDir(folder).entryList({QStringLiteral("*.unreadable-*")}), QStringList());

    holder.write("\n");
    holder.closeWriteChannel();
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 20000);
    QVERIFY2(watch.exitCode() == 0, errors.constData());
    QVERIFY2(errors.contains("store is free again"), errors.constData());
    QVERIFY(watch.readAllStandardOutput().contains(" succeeded "));
    const CliRun list = run({"list"});
    QCOMPARE(list.stdoutLines.size(), 1);
    QVERIFY2(list.stdoutLines.first().contains(" succeeded "),
             list.stdoutLines.first().constData());
    QCOMPARE(QDir(folder).entryList({QStringLiteral("*.unreadable-*")}), QStringList());
}

// Two `watch` on one store: one polls, the other shows what it sees and sends nothing — not
// even for an operation only it was asked about, which the poller picks up from the store. When
// the poller is killed (SIGKILL), the other takes over.
void TestCli::oneStoreIsPolledByOneProcessAndTakenOverWhenItDies_data()
{
    QTest::addColumn<bool>("team");
    QTest::newRow("one admin's file") << false;
    // Admins on their own machines (each its own home) sharing one PostgreSQL database.
    QTest::newRow("a team's PostgreSQL") << true;
}

// Several processes watch one store: one polls Graph (counted at the simulator), the others
// follow; killed, it is replaced within two intervals of its lease.
void TestCli::oneStoreIsPolledByOneProcessAndTakenOverWhenItDies()
{
    QFETCH(bool, team);
    QString store;
    std::vector<std::unique_ptr<QTemporaryDir>> homes;
    if (team) {
        const QString problem = startPostgres();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        store = newTeamStore();
    }
    const QString graph = m_server->baseUrl().toString();
    QVERIFY(m_server->addToken(QStringLiteral("second-token")) == 1);
    const auto getsOf = [this](const QString &operationId, int client) {
        int count = 0;
        for (const SimRequestRecord &record : m_server->requests())
            count += record.method == "GET" && record.client == client &&
                     record.path.contains(operationId);
        return count;
    };
    struct Watch
    {
        QProcess process;
        QByteArray out, err;
    };
    const auto startWatch = [&](Watch &watch, const QString &token, QStringList args) {
        QProcessEnvironment environment = environmentWith(token);
        if (team) {
            homes.push_back(std::make_unique<QTemporaryDir>());
            environment.insert(QStringLiteral("XDG_DATA_HOME"), homes.back()->path());
            environment.insert(QStringLiteral("PGPASSWORD"), m_postgres->password());
            args += {QStringLiteral("--store"), store};
        }
        watch.process.setProcessEnvironment(environment);
        connect(&watch.process, &QProcess::readyReadStandardOutput, this,
                [&watch] { watch.out += watch.process.readAllStandardOutput(); });
        connect(&watch.process, &QProcess::readyReadStandardError, this,
                [&watch] { watch.err += watch.process.readAllStandardError(); });
        watch.process.start(QStringLiteral(TEAMSOPS_CLI_PATH),
                            QStringList{"watch", "--graph-url", graph, "--interval", "0.5"} + args);
    };

    // The first polls the never-ending operation.
    Watch first;
    startWatch(first, QStringLiteral("cli-token"), {location(kSlow)});
    QTRY_VERIFY_WITH_TIMEOUT(getsOf(kSlow, 0) >= 2, 20000);

    // The second asks about another operation: it follows, and the first polls that one too.
    Watch second;
    startWatch(second, QStringLiteral("second-token"), {location(kQuick), "--timeout", "30"});
    QTRY_VERIFY_WITH_TIMEOUT(second.process.state() == QProcess::NotRunning, 30000);
    QVERIFY2(second.process.exitCode() == 0, second.err.constData());
    QVERIFY2(second.err.contains("polls Graph for this store"), second.err.constData());
    QVERIFY2(second.out.contains(" succeeded "), second.out.constData());
    // Nothing sent by the follower: what it printed, the poller saw (it picked the operation
    // up from the store, and polled it, alone or in its team's list).
    int fromSecond = 0;
    for (const SimRequestRecord &record : m_server->requests())
        fromSecond += record.client == 1;
    QCOMPARE(fromSecond, 0);

    // The poller dies; a new follower takes over within two intervals of the lease.
    Watch third;
    startWatch(third, QStringLiteral("second-token"), {location(kSlow), "--timeout", "30"});
    QTRY_VERIFY_WITH_TIMEOUT(third.err.contains("polls Graph for this store"), 20000);
    QCOMPARE(getsOf(kSlow, 1), 0);
    first.process.kill();
    QVERIFY(first.process.waitForFinished(10000));
    const int before = getsOf(kSlow, 1);
    QTRY_VERIFY_WITH_TIMEOUT(getsOf(kSlow, 1) >= before + 2, 20000);
    QVERIFY2(third.err.contains("polling from here"), third.err.constData());
    third.process.kill();
    third.process.waitForFinished(10000);
}

void TestCli::picksUpWhatAnotherProcessAdds()
{
    // This process plays the window: it shares the store with a running `watch`.
    OperationDatabase database;
    QVERIFY(database.open(defaultStore()).ok);
    SystemClock clock;
    OperationStore store;
    StoreSaver saver(database, store, clock);
    auto add = [&](const QString &op) {
        WatchedOperation record;
        record.ref = *resolveLocation(location(op), m_server->baseUrl()).ref;
        record.setLocation(location(op));
        record.addedAt = clock.now();
        record.nextPollAt = clock.now();
        QVERIFY(store.add(record));
        QVERIFY(saver.saveNow());
    };
    add(kSlow);

    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TEAMSOPS_TOKEN"), QStringLiteral("cli-token"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dataHome->path());
    cli.setProcessEnvironment(environment);
    cli.start(QStringLiteral(TEAMSOPS_CLI_PATH),
              {"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
               "--timeout", "4"});
    QSignalSpy output(&cli, &QProcess::readyReadStandardError);
    QByteArray stderrText;
    while (!stderrText.contains("resuming 1")) {
        QVERIFY(output.wait(10000));
        stderrText += cli.readAllStandardError();
    }
    add(kQuick);
    QSignalSpy finished(&cli, &QProcess::finished);
    QVERIFY(finished.wait(20000));
    const QByteArray printed = cli.readAllStandardOutput();
    QVERIFY2(printed.contains(" succeeded ") && printed.contains(kQuick.toUtf8()),
             printed.constData());
}

// A team store's URL never holds a password (refused before connecting, and not repeated), and
// a server that cannot be reached or refuses the password is said so, in libpq's words.
void TestCli::aTeamStoreTakesNoPasswordAndSaysWhyItCannotConnect()
{
    const QString problem = startPostgres();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString store = newTeamStore();
    QUrl withPassword(store);
    withPassword.setPassword(m_postgres->password());
    CliRun result = run({"list", "--store", withPassword.toString()});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.stderrText.contains("must not hold a password") &&
                 result.stderrText.contains("PGPASSWORD or ~/.pgpass"),
             qPrintable(result.stderrText));
    QVERIFY(!result.stderrText.contains(m_postgres->password()));

    // No password given: libpq finds none, and says so; nothing is read.
    result = run({"list", "--store", store});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.stderrText.contains("no password supplied (give it in PGPASSWORD"),
             qPrintable(result.stderrText));

    // Nothing listening there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    QUrl nowhere(store);
    nowhere.setPort(probe.serverPort());
    probe.close();
    result = run({"list", "--store", nowhere.toString()});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.stderrText.contains("Connection refused"), qPrintable(result.stderrText));

    // An unknown option or TLS mode is refused before anything is sent.
    result = run({"list", "--store", store + QStringLiteral("?sslmode=sometimes")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.stderrText.contains("sslmode takes one of"), qPrintable(result.stderrText));
}

// The team's server is down when `watch` starts: it says so, watches in memory, and hands what it
// saw over to the server once it is back.
void TestCli::aTeamStoreAwayAtStartGetsWhatWasWatchedOnceBack()
{
    const QString problem = startPostgres();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString store = newTeamStore();
    QCOMPARE(m_postgres->stopServer(), QString());

    QProcess watch;
    QProcessEnvironment environment = environmentWith(QStringLiteral("cli-token"));
    environment.insert(QStringLiteral("PGPASSWORD"), m_postgres->password());
    watch.setProcessEnvironment(environment);
    QByteArray errors;
    connect(&watch, &QProcess::readyReadStandardError, this,
            [&] { errors += watch.readAllStandardError(); });
    QSignalSpy ended(&watch, &QProcess::finished);
    watch.start(QStringLiteral(TEAMSOPS_CLI_PATH),
                {"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
                 "--timeout", "60", "--store", store, location(kQuick)});
    QTRY_VERIFY_WITH_TIMEOUT(errors.contains("to save what was watched"), 20000);
    QVERIFY2(errors.contains("cannot be reached") && errors.contains("Connection refused"),
             errors.constData());
    QVERIFY(ended.isEmpty());
    // Kept meanwhile in a local copy, said with its path.
    QCOMPARE(standInCopies().size(), 1);
    QVERIFY2(errors.contains("working on a local copy meanwhile (" +
                             QDir::toNativeSeparators(standInCopies().constFirst()).toUtf8()),
             errors.constData());

    QCOMPARE(m_postgres->startServer(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 30000);
    QVERIFY2(watch.exitCode() == 0, errors.constData());
    QVERIFY2(errors.contains("can be reached again"), errors.constData());
    QProcessEnvironment reader = environmentWith(QString());
    reader.insert(QStringLiteral("PGPASSWORD"), m_postgres->password());
    QProcess list;
    list.setProcessEnvironment(reader);
    list.start(QStringLiteral(TEAMSOPS_CLI_PATH), {"list", "--store", store});
    QVERIFY(list.waitForFinished(30000));
    const QByteArray listed = list.readAllStandardOutput();
    QVERIFY2(listed.contains(" succeeded ") && listed.contains(kQuick.toUtf8()),
             listed.constData());
    // Handed over: the copy is gone.
    QCOMPARE(standInCopies(), QStringList());
}

// Killed while the team's server is away, `watch` loses nothing: what it saw is in the local
// copy, and the next `watch` that reaches the server hands it over, history and all.
void TestCli::aTeamStoreAwayKeepsWhatWasWatchedInALocalCopyThroughACrash()
{
    const QString problem = startPostgres();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString store = newTeamStore();
    QCOMPARE(m_postgres->stopServer(), QString());
    QProcessEnvironment password;
    password.insert(QStringLiteral("PGPASSWORD"), m_postgres->password());

    QProcess watch;
    QProcessEnvironment environment = environmentWith(QStringLiteral("cli-token"));
    environment.insert(password);
    watch.setProcessEnvironment(environment);
    QByteArray printed;
    connect(&watch, &QProcess::readyReadStandardOutput, this,
            [&] { printed += watch.readAllStandardOutput(); });
    watch.start(QStringLiteral(TEAMSOPS_CLI_PATH),
                {"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
                 "--store", store, location(kSlow)});
    // Printed once on disk: in the copy, since the team's store is away.
    QTRY_VERIFY_WITH_TIMEOUT(printed.contains(kSlow.toUtf8()), 20000);
    watch.kill();
    QVERIFY(watch.waitForFinished(10000));

    QCOMPARE(standInCopies().size(), 1);
    const QString copy = standInCopies().constFirst();
    const CliRun kept = run({"history", "--store", copy, location(kSlow)});
    QCOMPARE(kept.exitCode, 0);
    QVERIFY(!kept.stdoutLines.isEmpty());

    // The server is back; the next watch hands the copy over (and polls what it held: one
    // poller polls every unfinished operation of the store).
    QCOMPARE(m_postgres->startServer(), QString());
    const CliRun next = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                             "0.1", "--timeout", "30", "--store", store, location(kQuick)},
                            QStringLiteral("cli-token"), QByteArray(), password);
    QVERIFY2(next.exitCode == 0, qPrintable(next.stderrText));
    QVERIFY2(next.stderrText.contains("handed over to the team's store 1 operation kept locally"),
             qPrintable(next.stderrText));
    QCOMPARE(standInCopies(), QStringList());
    const CliRun history =
        run({"history", "--store", store, location(kSlow)}, QString(), QByteArray(), password);
    QCOMPARE(history.exitCode, 0);
    // What the copy held comes first, as it was seen.
    QVERIFY2(history.stdoutLines.size() >= kept.stdoutLines.size(), qPrintable(history.stderrText));
    QCOMPARE(history.stdoutLines.mid(0, kept.stdoutLines.size()), kept.stdoutLines);
}

// The store says who first watched an operation and on which machine, and `history` says who
// forgot it, after it is gone.
void TestCli::saysWhoStartedAndWhoForgot()
{
    QCOMPARE(run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1",
                  "--timeout", "30", location(kQuick)})
                 .exitCode,
             0);
    CliRun listed = run({"list", "--json"});
    QCOMPARE(listed.stdoutLines.size(), 1);
    const QJsonObject row = QJsonDocument::fromJson(listed.stdoutLines.first()).object();
    QCOMPARE(row["startedBy"].toString(), QStringLiteral("CLI"));
    QCOMPARE(row["startedOn"].toString(), QSysInfo::machineHostName());
    listed = run({"list"});
    QVERIFY2(listed.stdoutLines.first().contains("started by CLI on"),
             listed.stdoutLines.first().constData());

    QCOMPARE(run({"forget", location(kQuick)}).exitCode, 0);
    const CliRun history = run({"history", location(kQuick)});
    QCOMPARE(history.exitCode, 0);
    QCOMPARE(history.stdoutLines.size(), 1);
    QVERIFY2(history.stdoutLines.first().endsWith(
                 ("  forgot by teamsops-cli on " + QSysInfo::machineHostName()).toUtf8()),
             history.stdoutLines.first().constData());
    // Never watched here: still an error.
    QCOMPARE(run({"history", location(kFails)}).exitCode, 1);
}

void TestCli::aLocationGivenAgainIsPolledWhereGraphIsNow()
{
    // Stored while Graph was elsewhere (a simulator on another port, since gone).
    {
        OperationDatabase database;
        QVERIFY(database.open(defaultStore()).ok);
        SystemClock clock;
        OperationStore store;
        StoreSaver saver(database, store, clock);
        WatchedOperation record;
        record.ref = *resolveLocation(location(kQuick), QUrl("http://127.0.0.1:1/v1.0")).ref;
        record.setLocation(location(kQuick));
        record.nextPollAt = clock.now();
        QVERIFY(store.add(record));
        QVERIFY(saver.saveNow());
    }
    const CliRun result = run({"watch", "--graph-url", m_server->baseUrl().toString(), "--interval",
                               "0.1", "--timeout", "30", location(kQuick)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.stdoutLines.constLast().contains(" succeeded "));
}

void TestCli::clonesAndWatchesTheClone()
{
    const CliRun result = run(
        {"clone", kTeam, "--name", "Project 7", "--parts", "apps,tabs,channels", "--watch",
         "--graph-url", m_server->baseUrl().toString(), "--interval", "0.1", "--timeout", "30"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
    // The Location first, as Graph sent it; then the watch, to the end.
    QVERIFY(!result.stdoutLines.isEmpty());
    QVERIFY2(result.stdoutLines.first().startsWith("/teams('" + kTeam.toUtf8() + "')/operations('"),
             result.stdoutLines.first().constData());
    QVERIFY(result.stdoutLines.constLast().contains(" succeeded "));
    QCOMPARE(m_server->requestCount("/clone"), 1);
    // The clone asked for is the one made.
    const QList<const SimOperation *> clones = m_tenant->operationsOf(kTeam);
    QVERIFY(std::any_of(clones.cbegin(), clones.cend(), [](const SimOperation *op) {
        return op->producesTeam && op->producesTeam->displayName == QLatin1String("Project 7");
    }));
}

void TestCli::waitsUntilTheClonesTeamIsReady()
{
    const CliRun result = run({"clone", kTeam, "--name", "Ready one", "--parts", "channels",
                               "--wait-ready", "--graph-url", m_server->baseUrl().toString(),
                               "--interval", "0.1", "--timeout", "30"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
    // The watch to succeeded, then the team compared with its source until complete.
    QVERIFY(std::any_of(result.stdoutLines.cbegin(), result.stdoutLines.cend(),
                        [](const QByteArray &line) { return line.contains(" succeeded "); }));
    // Every step shown, the last one complete.
    QVERIFY2(result.stdoutLines.constLast().endsWith(
                 "readiness: Ready: Team readable · Channels 3 of 3 · Files 3 of 3 · Owners 1"),
             result.stdoutLines.constLast().constData());
    // Each channel's files folder was asked for: that is what makes SharePoint create it.
    QVERIFY(m_server->requestCount("/filesFolder") >= 3);
}

void TestCli::clonesInBulkFromACsvWithOneJsonLineEach()
{
    QFile csv(m_dataHome->filePath("names.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("name,description\nSales EMEA,\"Sales, Europe\"\nMarketing,\nSupport,Help desk\n");
    csv.close();
    const QString graph = m_server->baseUrl().toString();
    const CliRun result = run({"clone", kTeam, "--names-from", csv.fileName(), "--parts",
                               "apps,channels", "--json", "--graph-url", graph});
    QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
    // The plan first, saved before the first clone left; then one line per clone.
    QCOMPARE(result.stdoutLines.size(), 4);
    const QJsonObject plan = QJsonDocument::fromJson(result.stdoutLines.first()).object();
    QVERIFY(!plan.value("plan").toString().isEmpty());
    QCOMPARE(plan.value("clones").toInt(), 3);
    QStringList names;
    for (const QByteArray &line : result.stdoutLines.mid(1)) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.value("accepted").toBool(), true);
        const SimOperation *op = m_tenant->operation(kTeam, object.value("operationId").toString());
        QVERIFY(op && op->producesTeam);
        names.append(op->producesTeam->displayName);
        if (op->producesTeam->displayName == QLatin1String("Sales EMEA"))
            QCOMPARE(op->producesTeam->description, QStringLiteral("Sales, Europe"));
    }
    QCOMPARE(names, (QStringList{"Sales EMEA", "Marketing", "Support"}));
    QVERIFY(result.stderrText.contains("3 of 3 clones accepted"));
    QCOMPARE(m_server->throttled(), 0);

    // A pattern, and a name the rules refuse: nothing is sent.
    const int before = m_server->requestCount("/clone");
    const CliRun refused =
        run({"clone", kTeam, "--name", "Project", "--count", "3", "--graph-url", graph});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.stderrText.contains("{n}"), qPrintable(refused.stderrText));
    QCOMPARE(m_server->requestCount("/clone"), before);
    const CliRun numbered =
        run({"clone", kTeam, "--name", "Project {n}", "--count", "2", "--graph-url", graph});
    QVERIFY2(numbered.exitCode == 0, qPrintable(numbered.stderrText));
    QCOMPARE(numbered.stdoutLines.size(), 3); // the plan, then one Location each
    QVERIFY2(numbered.stdoutLines.first().startsWith("plan ") &&
                 numbered.stdoutLines.first().endsWith(": 2 clones"),
             numbered.stdoutLines.first().constData());
    QCOMPARE(m_server->requestCount("/clone"), before + 2);
}

void TestCli::checksACloneBeforeSendingIt()
{
    const QString graph = m_server->baseUrl().toString();
    CliRun result =
        run({"clone", kTeam, "--name", "X", "--parts", "tabs,channels", "--graph-url", graph});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.stderrText.contains("tabs cannot be cloned without cloning apps"),
             qPrintable(result.stderrText));
    result = run({"clone", kTeam, "--graph-url", graph});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.stderrText.contains("clone needs --name"));
    result = run({"clone", "--name", "X", "--graph-url", graph});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.stderrText.contains("clone takes one TEAM"));
    QCOMPARE(m_server->requestCount(), 0); // nothing was sent
}

void TestCli::archivesWithJson()
{
    const QString graph = m_server->baseUrl().toString();
    const CliRun archived = run({"archive", QStringLiteral("/teams('%1')").arg(kTeam),
                                 "--spo-read-only", "--json", "--graph-url", graph});
    QVERIFY2(archived.exitCode == 0, qPrintable(archived.stderrText));
    QCOMPARE(archived.stdoutLines.size(), 1);
    const QJsonObject line = QJsonDocument::fromJson(archived.stdoutLines.first()).object();
    QCOMPARE(line.value("accepted").toBool(), true);
    QCOMPARE(line.value("teamId").toString(), kTeam);
    const SimOperation *op = m_tenant->operation(kTeam, line.value("operationId").toString());
    QVERIFY(op);
    QCOMPARE(op->type, QStringLiteral("archiveTeam"));
}

void TestCli::createsATeamsAsyncOperationFromStdinAndSaysWhyARequestIsRefused()
{
    const QString graph = m_server->baseUrl().toString();
    const QByteArray body = R"({"@odata.type": "#microsoft.graph.teamsAsyncOperation",
        "operationType": "archiveTeam", "status": "inProgress", "attemptsCount": 13})";
    const CliRun created =
        run({"operations", "create", kTeam, "--body", "-", "--json", "--graph-url", graph},
            QStringLiteral("cli-token"), body);
    QVERIFY2(created.exitCode == 0, qPrintable(created.stderrText));
    const QJsonObject object = QJsonDocument::fromJson(created.stdoutLines.first()).object();
    QCOMPARE(object.value("attemptsCount").toInt(), 13);
    QVERIFY(m_tenant->operation(kTeam, object.value("id").toString()));

    const CliRun broken = run({"operations", "create", kTeam, "--body", "-", "--graph-url", graph},
                              QStringLiteral("cli-token"), "{not json");
    QCOMPARE(broken.exitCode, 1);
    QVERIFY2(broken.stderrText.contains("the body is not JSON"), qPrintable(broken.stderrText));

    // An unarchive of a team that is not archived: refused, Graph's message on stderr.
    const CliRun refused = run({"unarchive", kTeam, "--graph-url", graph});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.stderrText.contains("error: unarchive refused: the team is not archived") &&
                 refused.stderrText.contains("(Conflict: Team is not archived.)"),
             qPrintable(refused.stderrText));
}

void TestCli::aStartWhoseAnswerIsLostIsSentOnceAndNamed_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("served");
    for (const char *fault : {"close", "abort", "lost"}) {
        const bool served = QByteArray(fault) != "lost";
        QTest::addRow("clone, %s", fault)
            << QStringList{"clone", kQuiet, "--name", "Lost"} << fault << served;
        QTest::addRow("archive, %s", fault) << QStringList{"archive", kQuiet} << fault << served;
        QTest::addRow("create, %s", fault)
            << QStringList{"create", "--name", "Lost"} << fault << served;
    }
}

// The connection ends before the POST's answer: teamsops-cli sent it once (the simulator
// counts) and looks at Graph for what became of it. Served ("close", "abort"), it is found: the
// operation's Location, exit 0. Never served ("lost"), it is not found in the time given: exit 1,
// the outcome unknown, the request's client-request-id named as the simulator received it.
void TestCli::aStartWhoseAnswerIsLostIsSentOnceAndNamed()
{
    QFETCH(QStringList, command);
    QFETCH(QString, fault);
    QFETCH(bool, served);
    SimFault lost;
    lost.method = "POST";
    lost.kind = fault;
    lost.times = 1;
    m_server->injectFault(lost);
    // A created team shows at Graph once it is made (a few simulated minutes: a second here).
    const QString lookFor = served ? QStringLiteral("10") : QStringLiteral("1");
    const CliRun result = run(command + QStringList{"--json", "--look-for", lookFor, "--graph-url",
                                                    m_server->baseUrl().toString()});
    QList<SimRequestRecord> posts;
    for (const SimRequestRecord &record : m_server->requests()) {
        if (record.method == "POST")
            posts.append(record);
    }
    QCOMPARE(posts.size(), 1);
    QVERIFY2(result.stderrText.contains("looking at Graph for what became of the request"),
             qPrintable(result.stderrText));
    const QString id = QString::fromLatin1(posts.first().clientRequestId);
    QVERIFY(!QUuid::fromString(id).isNull());
    QCOMPARE(result.stdoutLines.size(), 1);
    const QJsonObject line = QJsonDocument::fromJson(result.stdoutLines.first()).object();
    QCOMPARE(line.value("clientRequestId").toString(), id);
    if (served) {
        QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
        QCOMPARE(line.value("accepted").toBool(), true);
        const SimOperation *op = m_tenant->operation(line.value("teamId").toString(),
                                                     line.value("operationId").toString());
        QVERIFY2(op, result.stdoutLines.first().constData());
        return;
    }
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.stderrText.contains("may or may not have started"),
             qPrintable(result.stderrText));
    QVERIFY2(result.stderrText.contains("client-request-id " + id), qPrintable(result.stderrText));
    QCOMPARE(line.value("accepted").toBool(), false);
    QCOMPARE(line.value("maybeStarted").toBool(), true);
}

// SIGKILL while the simulator holds the answer to the clone's POST: the intent was saved before
// the POST left, so the store keeps a start whose outcome is unknown, under the client-request-id
// the simulator received. A start that is answered ends as accepted, with its Location.
void TestCli::aStartKilledWhileGraphHoldsItsAnswerStaysInTheStore()
{
    SimFault held;
    held.method = "POST";
    held.kind = QStringLiteral("hang");
    held.times = 1;
    m_server->injectFault(held);
    QProcess killed;
    killed.setProcessEnvironment(environmentWith(QStringLiteral("cli-token")));
    QSignalSpy ended(&killed, &QProcess::finished);
    killed.start(
        QStringLiteral(TEAMSOPS_CLI_PATH),
        {"clone", kTeam, "--name", "Killed", "--graph-url", m_server->baseUrl().toString()});
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestsHeld(), 1, 30000);
    killed.kill();
    QVERIFY(ended.wait(10000));
    QCOMPARE(killed.exitStatus(), QProcess::CrashExit);
    const QByteArray sentId = m_server->requests().constLast().clientRequestId;

    const CliRun answered =
        run({"clone", kTeam, "--name", "Answered", "--graph-url", m_server->baseUrl().toString()});
    QVERIFY2(answered.exitCode == 0, qPrintable(answered.stderrText));

    OperationDatabase database;
    QVERIFY(database.open(defaultStore()).ok);
    StartJournal journal(database);
    const auto unresolved = journal.unresolved();
    QVERIFY(unresolved);
    QCOMPARE(unresolved->size(), 1);
    QCOMPARE(unresolved->first().clientRequestId, QString::fromLatin1(sentId));
    QCOMPARE(unresolved->first().kind, QStringLiteral("clone"));
    QCOMPARE(unresolved->first().state, StartRecord::State::Intent);
    QVERIFY(unresolved->first().body.contains("Killed"));
    const auto accepted = journal.findByLocation(QString::fromUtf8(answered.stdoutLines.first()));
    QVERIFY(accepted);
    QCOMPARE(accepted->state, StartRecord::State::Accepted);
    QCOMPARE(accepted->clientRequestId,
             QString::fromLatin1(m_server->requests().constLast().clientRequestId));
}

// A bulk of three clones, killed (SIGKILL) while the simulator holds the answer to the second:
// `plans` shows it unfinished; `resume` finds the second at Graph (it had started) and sends the
// third; every name is cloned exactly once, and `plans` shows nothing left.
void TestCli::aBulkKilledMidwayIsResumedWithEveryCloneMadeOnce()
{
    const QString graph = m_server->baseUrl().toString();
    QProcess killed;
    killed.setProcessEnvironment(environmentWith(QStringLiteral("cli-token")));
    QSignalSpy ended(&killed, &QProcess::finished);
    killed.start(QStringLiteral(TEAMSOPS_CLI_PATH),
                 {"clone", kQuiet, "--name", "Resumed {n}", "--count", "3", "--graph-url", graph});
    const auto posts = [this] {
        int count = 0;
        for (const SimRequestRecord &record : m_server->requests())
            count += record.method == "POST" ? 1 : 0;
        return count;
    };
    // The first clone answered; the second is held as it arrives.
    QTRY_COMPARE_WITH_TIMEOUT(posts(), 1, 30000);
    SimFault held;
    held.method = "POST";
    held.kind = QStringLiteral("hang");
    held.times = 1;
    m_server->injectFault(held);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestsHeld(), 1, 30000);
    killed.kill();
    QVERIFY(ended.wait(10000));
    QCOMPARE(posts(), 2);

    const CliRun listed = run({"plans", "--json"});
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(listed.stdoutLines.size(), 1);
    const QJsonObject plan = QJsonDocument::fromJson(listed.stdoutLines.first()).object();
    QCOMPARE(plan.value("template").toString(), kQuiet);
    QCOMPARE(plan.value("accepted").toInt(), 1);
    QCOMPARE(plan.value("unknown").toInt(), 1);
    QCOMPARE(plan.value("left").toInt(), 1);

    const CliRun resumed = run({"resume", plan.value("plan").toString(), "--graph-url", graph});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.stderrText));
    QCOMPARE(posts(), 3); // only the third: the second was found, not sent again
    QStringList made;
    for (const SimOperation *op : m_tenant->operationsOf(kQuiet))
        made.append(op->producesTeam ? op->producesTeam->displayName : QString());
    made.sort();
    QCOMPARE(made, (QStringList{"Resumed 1", "Resumed 2", "Resumed 3"}));

    const CliRun after = run({"plans", "--json"});
    const QJsonObject done = QJsonDocument::fromJson(after.stdoutLines.first()).object();
    QCOMPARE(done.value("accepted").toInt(), 3);
    QCOMPARE(done.value("unknown").toInt(), 0);
    QCOMPARE(done.value("left").toInt(), 0);
    const CliRun again = run({"resume", "--graph-url", graph});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.stderrText.contains("nothing is left to finish"), qPrintable(again.stderrText));
    QCOMPARE(posts(), 3);
}

// Single starts with no answer: `plans` lists them; `resume` looks at Graph, takes the one that
// had started (nothing sent), and sends again — under its own client-request-id — the one an
// earlier run left ten minutes ago that Graph never received. A second `resume` sends nothing.
void TestCli::resumeFinishesSingleStartsToo()
{
    const QString graph = m_server->baseUrl().toString();
    const auto posts = [this] {
        QList<QByteArray> ids;
        for (const SimRequestRecord &record : m_server->requests()) {
            if (record.method == "POST")
                ids.append(record.clientRequestId);
        }
        return ids;
    };
    // The archive is served but its answer lost, and the one look allowed fails: unknown.
    SimFault closed;
    closed.method = "POST";
    closed.kind = QStringLiteral("close");
    closed.times = 1;
    m_server->injectFault(closed);
    SimFault unlisted = SimFault::answer(QStringLiteral("/operations"), 503, "1");
    unlisted.method = "GET";
    m_server->injectFault(unlisted);
    const CliRun archived = run({"archive", kQuiet, "--look-for", "0", "--graph-url", graph});
    QCOMPARE(archived.exitCode, 1);
    QVERIFY2(archived.stderrText.contains("`teamsops-cli resume` looks again"),
             qPrintable(archived.stderrText));
    QCOMPARE(posts().size(), 1);

    // An earlier run's clone, saved as sent ten minutes ago; Graph never received it.
    const QString lostId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        OperationDatabase database;
        QVERIFY(database.open(defaultStore()).ok);
        StartJournal journal(database);
        QString problem;
        StartRecord lost =
            cloneRequest({kQuiet, QStringLiteral("Never arrived"), {}, {}, {}, {}}, problem)
                .toJournal(lostId);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        lost.sentAt = QDateTime::currentDateTimeUtc().addSecs(-600);
        QVERIFY(journal.recordIntent(lost));
    }

    const CliRun listed = run({"plans", "--json"});
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(listed.stdoutLines.size(), 2);
    QStringList kinds;
    for (const QByteArray &line : listed.stdoutLines) {
        const QJsonObject start = QJsonDocument::fromJson(line).object();
        QCOMPARE(start.value("state").toString(), QStringLiteral("unknown"));
        kinds.append(start.value("kind").toString());
    }
    QCOMPARE(kinds, (QStringList{"archive", "clone"}));
    QCOMPARE(QJsonDocument::fromJson(listed.stdoutLines.last()).object().value("start").toString(),
             lostId);

    const CliRun resumed = run({"resume", "--graph-url", graph});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.stderrText));
    QVERIFY2(resumed.stderrText.contains("did not start; sending it again"),
             qPrintable(resumed.stderrText));
    // The archive found, not sent again; the clone sent once more, under its own id.
    QCOMPARE(posts().size(), 2);
    QCOMPARE(QString::fromLatin1(posts().constLast()), lostId);
    QCOMPARE(resumed.stdoutLines.size(), 2);
    QVERIFY(resumed.stdoutLines.first().contains("/operations"));
    const QList<const SimOperation *> clones = m_tenant->operationsOf(kQuiet);
    QCOMPARE(std::count_if(clones.cbegin(), clones.cend(),
                           [](const SimOperation *op) {
                               return op->producesTeam && op->producesTeam->displayName ==
                                                              QLatin1String("Never arrived");
                           }),
             1);

    const CliRun again = run({"resume", "--graph-url", graph});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.stderrText.contains("nothing is left to finish"), qPrintable(again.stderrText));
    QCOMPARE(posts().size(), 2);
    QCOMPARE(run({"plans", "--json"}).stdoutLines.size(), 0);
}

// What support asks for: the start request's ids as the simulator saw them, the operation, its
// replies and timeline; and nothing of the token.
void TestCli::historySupportNamesTheRequestsAndHoldsNoToken()
{
    const QString graph = m_server->baseUrl().toString();
    const CliRun cloned = run({"clone", kQuiet, "--name", "For support", "--watch", "--interval",
                               "0.1", "--timeout", "30", "--graph-url", graph});
    QVERIFY2(cloned.exitCode == 0, qPrintable(cloned.stderrText));
    const QString location = QString::fromUtf8(cloned.stdoutLines.first());
    SimRequestRecord post;
    for (const SimRequestRecord &record : m_server->requests()) {
        if (record.method == "POST")
            post = record;
    }
    const CliRun support = run({"history", "--support", location, "--graph-url", graph});
    QVERIFY2(support.exitCode == 0, qPrintable(support.stderrText));
    const QByteArray text = support.stdoutLines.join('\n');
    const QJsonObject bundle = QJsonDocument::fromJson(text).object();
    QVERIFY2(!bundle.isEmpty(), text.constData());
    const QJsonObject start = bundle.value("startRequest").toObject();
    QCOMPARE(start.value("clientRequestId").toString(), QString::fromLatin1(post.clientRequestId));
    QCOMPARE(start.value("requestId").toString(), QString::fromLatin1(post.requestId));
    QCOMPARE(start.value("state").toString(), QStringLiteral("accepted"));
    QCOMPARE(bundle.value("operation").toObject().value("location").toString(), location);
    QCOMPARE(bundle.value("operation").toObject().value("status").toString(),
             QStringLiteral("succeeded"));
    QVERIFY(bundle.value("lastReply").toObject().contains("status"));
    QVERIFY(bundle.value("timeline").toArray().size() >= 2);
    // The answer behind each change, and the last one, as the simulator named them: its
    // request-id, the client-request-id TeamsOps sent for that poll, and Graph's Date.
    QHash<QString, SimRequestRecord> byRequestId;
    const QString operationId = location.section('\'', -2, -2);
    for (const SimRequestRecord &record : m_server->requests()) {
        if (record.path.endsWith(operationId) || record.path.endsWith(operationId + "')"))
            byRequestId.insert(QString::fromLatin1(record.requestId), record);
    }
    QVERIFY2(!byRequestId.isEmpty(), qPrintable(location));
    const auto checkAnswer = [&byRequestId](const QJsonObject &answer) {
        const SimRequestRecord seen = byRequestId.value(answer.value("requestId").toString());
        QVERIFY2(!seen.requestId.isEmpty(), qPrintable(answer.value("requestId").toString()));
        QCOMPARE(answer.value("clientRequestId").toString(),
                 QString::fromLatin1(seen.clientRequestId));
        QVERIFY(!seen.clientRequestId.isEmpty()); // TeamsOps named the poll
        QCOMPARE(QDateTime::fromString(answer.value("graphDate").toString(), Qt::ISODateWithMs),
                 QDateTime::fromSecsSinceEpoch(seen.at.toSecsSinceEpoch(), Qt::UTC));
    };
    checkAnswer(bundle.value("polling").toObject().value("lastAnswer").toObject());
    const QJsonObject succeeded = bundle.value("timeline").toArray().last().toObject();
    QCOMPARE(succeeded.value("status").toString(), QStringLiteral("succeeded"));
    checkAnswer(succeeded.value("answer").toObject());
    for (const char *secret :
         {"cli-token", "Bearer", "Authorization", "client_secret", "refresh_token"})
        QVERIFY2(!text.contains(secret), secret);
}

void TestCli::archivesAndUnarchivesAChannel()
{
    const QString graph = m_server->baseUrl().toString();
    const QString general = QStringLiteral("19:%1-general@thread.tacv2").arg(kTeam.left(8));
    for (const char *command : {"archive-channel", "unarchive-channel"}) {
        const CliRun result = run({command, kTeam, general, "--json", "--graph-url", graph});
        QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
        const QJsonObject line = QJsonDocument::fromJson(result.stdoutLines.first()).object();
        QCOMPARE(line.value("accepted").toBool(), true);
        const SimOperation *op = m_tenant->operation(kTeam, line.value("operationId").toString());
        QVERIFY(op);
        QCOMPARE(op->type, QByteArray(command) == "archive-channel"
                               ? QStringLiteral("archiveChannel")
                               : QStringLiteral("unarchiveChannel"));
    }
    const CliRun missing = run({"archive-channel", kTeam, "--graph-url", graph});
    QCOMPARE(missing.exitCode, 1); // a usage error, said before anything is sent
    QVERIFY2(missing.stderrText.contains("takes a TEAM and a CHANNEL id"),
             qPrintable(missing.stderrText));
}

void TestCli::makesATeamFromAGroup()
{
    const CliRun result =
        run({"teamify", kGroup, "--json", "--graph-url", m_server->baseUrl().toString()});
    QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
    const QJsonObject line = QJsonDocument::fromJson(result.stdoutLines.first()).object();
    QCOMPARE(line.value("teamId").toString(), kGroup);
    const SimOperation *op = m_tenant->operation(kGroup, line.value("operationId").toString());
    QVERIFY(op);
    QCOMPARE(op->type, QStringLiteral("teamifyGroup"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
