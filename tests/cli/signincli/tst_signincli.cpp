// teamsops-cli login, whoami, watch with the kept sign-in, logout — against a real Secret
// Service (ctest runs this inside with-keyring.sh: its own D-Bus session and gnome-keyring) and
// the simulator's identity platform over real HTTP. The test plays the user: it reads the device
// code prompt from the CLI's stderr and approves the code.
#include "simserver.h"
#include "simtenant.h"
#include "testcertificate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

const QString kTeam = QStringLiteral("c0ffee00-0000-4000-8000-0000000000aa");
const QString kOperation = QStringLiteral("op-cli-signin");

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// The line of stderr that says what went wrong.
QString errorLine(const CliRun &run)
{
    for (const QString &line : run.err.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("error: ")))
            return line;
    }
    return QString();
}

} // namespace

class TestSignInCli : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void loginKeepsTheSignInForWhoamiWatchAndLogout();
    void withoutAKeychainLoginSaysSoAndDeviceCodeStillWorks();
    void appOnlyWithASecretFromAFile();
    void appOnlyWithACertificate();
    void loginInTheBrowser();
    void refusesASignInMethodItDoesNotKnow();

private:
    // Runs the CLI; approves the device code it prints when `approve`.
    CliRun run(const QStringList &arguments, bool approve = false,
               const QProcessEnvironment &extra = QProcessEnvironment());
    QStringList signInOptions() const;
    QString location() const
    {
        return QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, kOperation);
    }
    void verifyNoTokenIn(const CliRun &result) const;
    // Follows the authorization URL to the platform and its redirect back to the CLI's listener.
    void playTheBrowser(const QUrl &authorize);
    QNetworkAccessManager m_browser;
    int m_browserVisits = 0;

    std::unique_ptr<SimTenant> m_tenant;
    std::unique_ptr<SimServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dataHome;
};

void TestSignInCli::init()
{
    m_tenant = std::make_unique<SimTenant>(SimTenant::TimeSource(), 20.0);
    const QJsonObject scenario{
        {"teams", QJsonArray{QJsonObject{{"id", kTeam}, {"displayName", "Template"}}}},
        {"operations",
         QJsonArray{QJsonObject{
             {"id", kOperation}, {"teamId", kTeam}, {"startAfter", 1}, {"duration", 10}}}}};
    QCOMPARE(m_tenant->loadScenario(QJsonDocument(scenario).toJson()), QString());
    // The CLI waits real seconds between device code polls: one second here (scenario seconds
    // run 20 times faster, so the platform sees 20 s between polls and never says slow_down).
    m_tenant->identity().setDeviceCodeInterval(std::chrono::seconds(1));
    m_server = std::make_unique<SimServer>(*m_tenant);
    QVERIFY(m_server->listen() != 0);
    m_dataHome = std::make_unique<QTemporaryDir>();
}

void TestSignInCli::cleanup()
{
    run({"logout"}); // the keyring outlives one test case
    m_server.reset();
    m_tenant.reset();
    m_dataHome.reset();
}

QStringList TestSignInCli::signInOptions() const
{
    QUrl authority = m_server->baseUrl();
    authority.setPath(QString());
    return {"--authority", authority.toString(),
            "--client-id", SimIdentity::demoClientId(),
            "--graph-url", m_server->baseUrl().toString()};
}

CliRun TestSignInCli::run(const QStringList &arguments, bool approve,
                          const QProcessEnvironment &extra)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("TEAMSOPS_TOKEN"));
    environment.remove(QStringLiteral("TEAMSOPS_CLIENT_SECRET"));
    // No display: login's default is the device code, and no real browser is ever opened.
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dataHome->path());
    // Every category's debug output on: a token must not show up there either.
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    for (const QString &key : extra.keys())
        environment.insert(key, extra.value(key));
    process.setProcessEnvironment(environment);
    CliRun result;
    bool browsed = false;
    QObject::connect(&process, &QProcess::readyReadStandardError, this, [&] {
        result.err += QString::fromUtf8(process.readAllStandardError());
        static const QRegularExpression prompt(QStringLiteral("enter the code ([A-Z0-9]+)"));
        const QRegularExpressionMatch match = prompt.match(result.err);
        if (approve && match.hasMatch())
            m_tenant->identity().approveDeviceCode(match.captured(1));
        // The browser sign-in: the test is the browser, sent to the platform and back.
        static const QRegularExpression link(QStringLiteral("in your browser[^\n]*\n  (\\S+)\n"));
        const QRegularExpressionMatch page = link.match(result.err);
        if (approve && page.hasMatch() && !browsed) {
            browsed = true;
            playTheBrowser(QUrl::fromEncoded(page.captured(1).toLatin1()));
        }
    });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(TEAMSOPS_CLI_PATH), arguments);
    if (!finished.wait(60000))
        qFatal("teamsops-cli did not finish");
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err += QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestSignInCli::playTheBrowser(const QUrl &authorize)
{
    QNetworkRequest request(authorize);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *platform = m_browser.get(request);
    connect(platform, &QNetworkReply::finished, this, [this, platform] {
        platform->deleteLater();
        const QUrl back = QUrl::fromEncoded(platform->rawHeader("Location"));
        if (back.isValid())
            connect(m_browser.get(QNetworkRequest(back)), &QNetworkReply::finished, this,
                    [this] { ++m_browserVisits; });
    });
}

void TestSignInCli::verifyNoTokenIn(const CliRun &result) const
{
    for (const QString &token : m_tenant->identity().everyTokenIssued()) {
        QVERIFY2(!result.out.contains(token), "a token was printed on stdout");
        QVERIFY2(!result.err.contains(token), "a token was printed on stderr");
    }
}

void TestSignInCli::loginKeepsTheSignInForWhoamiWatchAndLogout()
{
    const CliRun login = run(QStringList{"login", "--device-code"} + signInOptions(), true);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    QVERIFY2(login.out.contains("Signed in as Megan Bowen"), qPrintable(login.out));
    QVERIFY(login.err.contains("https://microsoft.com/devicelogin"));
    verifyNoTokenIn(login);

    // A new process: the sign-in comes back from the keychain and is renewed with its refresh
    // token — which rotates, so the next command works only if the new one was kept.
    const CliRun whoami = run({"whoami", "--json"});
    QVERIFY2(whoami.exitCode == 0, qPrintable(whoami.err));
    const QJsonObject who = QJsonDocument::fromJson(whoami.out.toUtf8()).object();
    QCOMPARE(who.value("username").toString(), QStringLiteral("meganb@contoso.onmicrosoft.com"));
    QCOMPARE(who.value("tenantId").toString(), m_tenant->tenantId());
    QCOMPARE(who.value("clientId").toString(), SimIdentity::demoClientId());
    QVERIFY(QDateTime::fromString(who.value("expiresAt").toString(), Qt::ISODate).isValid());
    QCOMPARE(m_tenant->identity().tokenRequests("refresh_token"), 1);
    verifyNoTokenIn(whoami);

    // watch with no token of its own and no --graph-url: the kept sign-in's Graph and token.
    const CliRun watch = run({"watch", "--interval", "1", "--json", location()});
    QVERIFY2(watch.exitCode == 0, qPrintable(watch.err));
    QVERIFY(watch.out.contains("\"status\":\"succeeded\""));
    QCOMPARE(m_tenant->identity().tokenRequests("refresh_token"), 2);
    verifyNoTokenIn(watch);

    // Another Graph named with the kept sign-in: refused, and that Graph sees nothing at all.
    SimTenant elsewhere;
    SimServer other(elsewhere, QStringLiteral("other-token"));
    QVERIFY(other.listen() != 0);
    const CliRun redirected =
        run({"watch", "--interval", "1", "--graph-url", other.baseUrl().toString(), location()});
    QCOMPARE(redirected.exitCode, 1);
    QVERIFY2(redirected.err.contains("is not the Graph of the kept sign-in"),
             qPrintable(redirected.err.right(400)));
    QCOMPARE(other.requestCount(), 0);
    verifyNoTokenIn(redirected);

    const CliRun logout = run({"logout"});
    QCOMPARE(logout.exitCode, 0);
    QVERIFY(logout.out.contains("Signed out Megan Bowen"));
    const CliRun after = run({"whoami"});
    QCOMPARE(after.exitCode, 1);
    QVERIFY2(after.err.contains("not signed in: run teamsops-cli login"), qPrintable(after.err));
}

void TestSignInCli::withoutAKeychainLoginSaysSoAndDeviceCodeStillWorks()
{
    QProcessEnvironment noBus;
    noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                 QStringLiteral("unix:path=/nonexistent/teamsops-no-bus"));
    const CliRun login = run(QStringList{"login"} + signInOptions(), true, noBus);
    QCOMPARE(login.exitCode, 1);
    QVERIFY2(errorLine(login).contains("cannot be kept: no keychain works here"),
             qPrintable(login.err));

    // For this run only: sign in and watch in one go, no keychain needed.
    const CliRun watch =
        run(QStringList{"watch", "--sign-in", "device-code", "--interval", "1", location()} +
                signInOptions(),
            true, noBus);
    QVERIFY2(watch.exitCode == 0, qPrintable(watch.err));
    QVERIFY(watch.out.contains("succeeded"));
    verifyNoTokenIn(watch);
}

void TestSignInCli::appOnlyWithASecretFromAFile()
{
    const QString clientId = QStringLiteral("9a8b7c6d-0000-4000-8000-00000000c11e");
    m_tenant->identity().registerApp(clientId, QStringLiteral("pipeline-secret"));
    QTemporaryDir dir;
    QFile secretFile(dir.filePath("secret"));
    QVERIFY(secretFile.open(QIODevice::WriteOnly));
    secretFile.write("pipeline-secret\n");
    secretFile.close();
    QStringList options = signInOptions();
    options[options.indexOf("--client-id") + 1] = clientId;

    const CliRun watch =
        run(QStringList{"watch", "--sign-in", "client-secret", "--client-secret-file",
                        secretFile.fileName(), "--interval", "1", location()} +
            options);
    QVERIFY2(watch.exitCode == 0, qPrintable(watch.err));
    QVERIFY(!watch.err.contains("pipeline-secret"));
    verifyNoTokenIn(watch);

    QProcessEnvironment wrongSecret;
    wrongSecret.insert(QStringLiteral("TEAMSOPS_CLIENT_SECRET"), QStringLiteral("not-it"));
    const CliRun refused =
        run(QStringList{"watch", "--sign-in", "client-secret", location()} + options, false,
            wrongSecret);
    QCOMPARE(refused.exitCode, 1);
    // One line, with the platform's error and its description.
    QVERIFY2(errorLine(refused).contains("invalid_client: AADSTS7000215"), qPrintable(refused.err));
}

void TestSignInCli::appOnlyWithACertificate()
{
    const QString clientId = QStringLiteral("9a8b7c6d-0000-4000-8000-0000000ce27f");
    const TestCertificate made = TestCertificate::make();
    QVERIFY(m_tenant->identity().registerAppCertificate(clientId, made.certificatePem));
    QTemporaryDir dir;
    const auto write = [&dir](const char *name, const QByteArray &content) {
        QFile file(dir.filePath(QString::fromLatin1(name)));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", name);
        return file.fileName();
    };
    const QString certificateFile = write("app.crt", made.certificatePem);
    const QString keyFile = write("app.key", made.encryptedKeyPem);
    QStringList options = signInOptions();
    options[options.indexOf("--client-id") + 1] = clientId;
    QProcessEnvironment passphrase;
    passphrase.insert(QStringLiteral("TEAMSOPS_CERTIFICATE_PASSPHRASE"),
                      QString::fromLatin1(made.passphrase));

    const CliRun watch =
        run(QStringList{"watch", "--sign-in", "certificate", "--certificate", certificateFile,
                        "--private-key", keyFile, "--interval", "1", "--json", location()} +
                options,
            false, passphrase);
    QVERIFY2(watch.exitCode == 0, qPrintable(watch.err));
    QVERIFY(watch.out.contains("\"status\":\"succeeded\""));
    QCOMPARE(m_tenant->identity().tokenRequests("client_credentials"), 1);
    verifyNoTokenIn(watch);
    // Not a line of the key (encrypted or not), nor the passphrase, in any output.
    for (const QByteArray &line : made.keyPem.split('\n') + made.encryptedKeyPem.split('\n')) {
        if (line.size() > 20 && !line.startsWith("-----"))
            QVERIFY2(!watch.out.contains(line) && !watch.err.contains(line), "key material shown");
    }
    QVERIFY(!watch.err.contains(QString::fromLatin1(made.passphrase)));

    // A key of another certificate, and no passphrase: each said before anything is sent.
    const TestCertificate other = TestCertificate::make("other");
    const QString otherKey = write("other.key", other.keyPem);
    const CliRun mismatched =
        run(QStringList{"watch", "--sign-in", "certificate", "--certificate", certificateFile,
                        "--private-key", otherKey, location()} +
            options);
    QCOMPARE(mismatched.exitCode, 1);
    QVERIFY2(errorLine(mismatched).contains("does not belong to the certificate"),
             qPrintable(mismatched.err));
    const CliRun locked = run(QStringList{"watch", "--sign-in", "certificate", "--certificate",
                                          certificateFile, "--private-key", keyFile, location()} +
                              options);
    QCOMPARE(locked.exitCode, 1);
    QVERIFY2(errorLine(locked).contains("TEAMSOPS_CERTIFICATE_PASSPHRASE"), qPrintable(locked.err));

    // A certificate the app registration does not hold: the platform's own words, one line.
    const QString otherBoth = write("other.pem", other.certificatePem + other.keyPem);
    const CliRun unknown = run(
        QStringList{"watch", "--sign-in", "certificate", "--certificate", otherBoth, location()} +
        options);
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(errorLine(unknown).contains("invalid_client: AADSTS700027"), qPrintable(unknown.err));
    QCOMPARE(m_tenant->identity().tokenRequests("client_credentials"), 2);
}

void TestSignInCli::loginInTheBrowser()
{
    SimIdentity::Account account{QStringLiteral("Adele Vance"),
                                 QStringLiteral("adelev@contoso.onmicrosoft.com")};
    m_tenant->identity().setBrowserAccount(account);
    const CliRun login = run(QStringList{"login", "--browser"} + signInOptions(), true);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    QVERIFY2(login.out.contains("Signed in as Adele Vance"), qPrintable(login.out));
    QCOMPARE(m_tenant->identity().authorizationsGranted(), 1);
    QCOMPARE(m_tenant->identity().tokenRequests("authorization_code"), 1);
    QTRY_COMPARE(m_browserVisits, 1);
    verifyNoTokenIn(login);

    const CliRun whoami = run({"whoami", "--json"});
    QVERIFY2(whoami.exitCode == 0, qPrintable(whoami.err));
    QCOMPARE(QJsonDocument::fromJson(whoami.out.toUtf8()).object().value("username").toString(),
             account.username);

    // For one run, without keeping anything: watch signs in in the browser first.
    const CliRun watch =
        run(QStringList{"watch", "--sign-in", "browser", "--interval", "1", location()} +
                signInOptions(),
            true);
    QVERIFY2(watch.exitCode == 0, qPrintable(watch.err));
    QCOMPARE(m_tenant->identity().tokenRequests("authorization_code"), 2);
    verifyNoTokenIn(watch);
}

void TestSignInCli::refusesASignInMethodItDoesNotKnow()
{
    const CliRun result = run(QStringList{"watch", "--sign-in", "magic", location()});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("--sign-in takes"), qPrintable(result.err));
}

QTEST_GUILESS_MAIN(TestSignInCli)
#include "tst_signincli.moc"
