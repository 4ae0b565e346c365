// teamsops-cli: the headless twin of the dashboard, for scripts.
#include "cli/commandlist.h"
#include "cli/locationfile.h"
#include "cli/signincommands.h"
#include "cli/startcommands.h"
#include "cli/storecommands.h"
#include "cli/watchsession.h"
#include "i18n/translations.h"
#include "model/clock.h"
#include "model/programversion.h"
#include "model/smallfile.h"
#include "polling/operationpoller.h"
#include "polling/watchoptions.h"
#include "signin/clientcertificate.h"
#include "signin/signinconfig.h"
#include "signin/storepassword.h"
#include "store/operationdatabase.h"
#include "store/storelocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

#include <chrono>
#include <cstdio>
#include <memory>

namespace {

constexpr int kUsageError = WatchSession::UsageError;

// A secret or token from a file: never from the command line, where `ps` shows it to everyone.
QString readSecretFile(const QString &path, QString &problem)
{
    const QString text =
        QString::fromUtf8(readSmallFile(path, 64 * 1024, QStringLiteral("a secret"), problem))
            .trimmed();
    if (problem.isEmpty() && text.isEmpty())
        problem = QStringLiteral("%1 is empty").arg(path);
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("teamsops-cli"));
    QCoreApplication::setApplicationVersion(programVersion());
    installTranslations(app);
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Watch Microsoft Teams async operations (clone, archive, create...) until "
                       "they finish.\n\n") +
        cliCommandHelp() +
        QStringLiteral(
            "\nEach start prints the operation's Location (with --watch, then watches it); a\n"
            "throttled request is sent again after its Retry-After, never twice otherwise.\n\n"
            "LOCATION is the Location header of a 202 reply, or a Graph URL of the operation.\n"
            "The access token comes from TEAMSOPS_TOKEN, --token-file, --sign-in (this run only)\n"
            "or the sign-in kept in the keychain by login. Everything watched is kept in the "
            "store\n"
            "(--store), shared with the TeamsOps window.\n\n"
            "Exit status:\n"
            "  0                           all succeeded\n"
            "  1                           a usage, Location, sign-in or store error\n"
            "  2                           some failed (or were stopped: access denied, not "
            "found)\n"
            "  3                           --timeout passed"));
    parser.addHelpOption();
    parser.addVersionOption();
    WatchOptions::addTo(parser, true);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object per line.")});
    parser.addOption({QStringLiteral("team"),
                      QStringLiteral("Also watch every operation of this team (an id, "
                                     "/teams('id') or a Graph URL of the team); repeatable."),
                      QStringLiteral("TEAM")});
    parser.addOption({QStringLiteral("terminal-older-than"),
                      QStringLiteral("forget: the finished operations whose last change is older "
                                     "than this many days."),
                      QStringLiteral("DAYS")});
    SignInConfig::addOptions(parser);
    StartCommands::addOptions(parser);
    parser.addOptions({
        {QStringLiteral("sign-in"),
         QStringLiteral("Sign in for this run only: browser, device-code; or app-only, "
                        "client-secret (the "
                        "secret from TEAMSOPS_CLIENT_SECRET or --client-secret-file) or "
                        "certificate (--certificate)."),
         QStringLiteral("METHOD")},
        {QStringLiteral("certificate"),
         QStringLiteral("PEM file with the app's certificate, and its private key unless "
                        "--private-key is given (an encrypted key's passphrase from "
                        "TEAMSOPS_CERTIFICATE_PASSPHRASE)."),
         QStringLiteral("FILE")},
        {QStringLiteral("private-key"),
         QStringLiteral("PEM file with the certificate's private key."), QStringLiteral("FILE")},
        {QStringLiteral("client-secret-file"),
         QStringLiteral("File holding the app's client secret (never on the command line)."),
         QStringLiteral("FILE")},
        {QStringLiteral("token-file"),
         QStringLiteral("File holding an access token to use as it is."), QStringLiteral("FILE")},
        {QStringLiteral("from"),
         QStringLiteral("watch: Locations to watch, one per line, from FILE (- for standard "
                        "input); a bad line is reported with its number, the others watched."),
         QStringLiteral("FILE")},
        {QStringLiteral("support"),
         QStringLiteral("history: what Microsoft support asks for about the operation, as one "
                        "JSON document (its replies, request ids and timeline; no token).")},
        {QStringLiteral("device-code"),
         QStringLiteral("login: sign in with a device code (the default without a display).")},
        {QStringLiteral("browser"),
         QStringLiteral("login: sign in in the browser (the default with a display).")},
    });
    parser.addPositionalArgument(QStringLiteral("command"), cliCommandNames());
    parser.addPositionalArgument(QStringLiteral("LOCATION"), QStringLiteral("Operations to watch."),
                                 QStringLiteral("LOCATION..."));
    if (!parser.parse(QCoreApplication::arguments())) {
        err << "error: " << parser.errorText() << Qt::endl;
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << programVersionLine(QStringLiteral("teamsops-cli")) << Qt::endl;
        return 0;
    }
    QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? QString() : positional.takeFirst();
    if (!isCliCommand(command)) {
        err << "error: unknown command; usage: teamsops-cli " << cliCommandNames()
            << " (see --help)" << Qt::endl;
        return kUsageError;
    }
    // A start command's request is checked before anyone signs in.
    StartPlan startPlan;
    if (StartCommands::isStartCommand(command)) {
        QString startProblem;
        startPlan = StartCommands::build(command, positional, parser, startProblem);
        if (!startProblem.isEmpty()) {
            err << "error: " << startProblem << Qt::endl;
            return kUsageError;
        }
        positional.clear();
    }

    WatchOptions shared;
    const QString problem = shared.readFrom(parser, std::chrono::seconds(30));
    if (!problem.isEmpty()) {
        err << "error: " << problem << Qt::endl;
        return kUsageError;
    }
    // A team store's password: PGPASSWORD, else the keychain (kept by the dashboard's Settings →
    // Shared store), else libpq's ~/.pgpass. The keychain only where a desktop session is.
    if (StoreLocation::looksLikeServer(shared.storePath) &&
        qEnvironmentVariableIsEmpty("PGPASSWORD") &&
        !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        QString keychainProblem;
        OperationDatabase::rememberPassword(
            shared.storePath, StorePassword::readNow(shared.storePath, keychainProblem));
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    if (command == QLatin1String("list"))
        return StoreCommands::list(shared.storePath, json, out, err);
    if (command == QLatin1String("plans"))
        return StoreCommands::plans(shared.storePath, json, out, err);
    if (command == QLatin1String("history")) {
        if (positional.size() != 1) {
            err << "error: history takes one LOCATION" << Qt::endl;
            return kUsageError;
        }
        if (parser.isSet(QStringLiteral("support")))
            return StoreCommands::support(shared.storePath, positional.first(), shared.graphUrl,
                                          out, err);
        return StoreCommands::history(shared.storePath, positional.first(), shared.graphUrl, json,
                                      out, err);
    }
    if (command == QLatin1String("forget")) {
        int days = -1;
        if (parser.isSet(QStringLiteral("terminal-older-than"))) {
            bool ok = false;
            days = parser.value(QStringLiteral("terminal-older-than")).toInt(&ok);
            if (!ok || days < 0) {
                err << "error: --terminal-older-than takes a whole number of days" << Qt::endl;
                return kUsageError;
            }
        }
        if (positional.isEmpty() && days < 0) {
            err << "error: forget takes LOCATION... or --terminal-older-than DAYS" << Qt::endl;
            return kUsageError;
        }
        return StoreCommands::forget(shared.storePath, positional, shared.graphUrl, days, out, err);
    }

    SignInCommands::Options signInOptions;
    const bool graphUrlGiven = parser.isSet(QStringLiteral("graph-url"));
    signInOptions.applyOptions = [&parser, &shared, graphUrlGiven](SignInConfig &config) {
        QUrl graphUrl = graphUrlGiven ? shared.graphUrl : config.graphUrl;
        return SignInConfig::read(parser, config, graphUrl, graphUrlGiven);
    };
    signInOptions.method = parser.value(QStringLiteral("sign-in"));
    // As az login does: the browser where there is a display to show it, else a device code.
    const bool display =
        qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
    signInOptions.loginWithBrowser = parser.isSet(QStringLiteral("browser")) ||
                                     (display && !parser.isSet(QStringLiteral("device-code")));
    signInOptions.openBrowser = [display](const QUrl &url) {
        const QString opener = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
        if (display && !opener.isEmpty())
            QProcess::startDetached(opener, {url.toString(QUrl::FullyEncoded)});
    };
    signInOptions.json = json;
    QString fileProblem;
    signInOptions.fixedToken = qEnvironmentVariable("TEAMSOPS_TOKEN").trimmed();
    if (signInOptions.fixedToken.isEmpty() && parser.isSet(QStringLiteral("token-file")))
        signInOptions.fixedToken =
            readSecretFile(parser.value(QStringLiteral("token-file")), fileProblem);
    signInOptions.clientSecret = qEnvironmentVariable("TEAMSOPS_CLIENT_SECRET").trimmed();
    if (parser.isSet(QStringLiteral("client-secret-file")))
        signInOptions.clientSecret =
            readSecretFile(parser.value(QStringLiteral("client-secret-file")), fileProblem);
    if (parser.isSet(QStringLiteral("certificate"))) {
        signInOptions.certificate = ClientCertificate::fromFiles(
            parser.value(QStringLiteral("certificate")),
            parser.value(QStringLiteral("private-key")),
            qEnvironmentVariable("TEAMSOPS_CERTIFICATE_PASSPHRASE").toUtf8(), fileProblem);
    }
    if (!fileProblem.isEmpty()) {
        err << "error: " << fileProblem << Qt::endl;
        return kUsageError;
    }

    SystemClock clock;
    SignInCommands signIn(signInOptions, clock, out, err);
    QObject::connect(&signIn, &SignInCommands::finished, &app, &QCoreApplication::exit);
    if (command == QLatin1String("login")) {
        signIn.login();
        return app.exec();
    }
    if (command == QLatin1String("logout")) {
        signIn.logout();
        return app.exec();
    }
    if (command == QLatin1String("whoami")) {
        signIn.whoami();
        return app.exec();
    }

    WatchSession::Options options;
    options.graphUrl = shared.graphUrl;
    options.interval = shared.interval;
    options.timeout = shared.timeout;
    options.tenantBudget = shared.tenantBudget;
    options.teamBudget = shared.teamBudget;
    options.json = json;
    options.storePath = shared.storePath;
    options.locations = positional;
    if (parser.isSet(QStringLiteral("from"))) {
        bool readable = false;
        options.locations +=
            readLocationFile(parser.value(QStringLiteral("from")), shared.graphUrl, err, readable);
        if (!readable)
            return kUsageError;
        if (options.locations.isEmpty() && parser.values(QStringLiteral("team")).isEmpty()) {
            err << "error: --from named no Location to watch" << Qt::endl;
            return kUsageError;
        }
    }
    options.teams = parser.values(QStringLiteral("team"));

    std::unique_ptr<WatchSession> session;
    std::unique_ptr<StartCommands> starter;
    const auto exitAfterWrites = [&signIn](int exitCode) {
        signIn.afterPendingWrites([exitCode] { QCoreApplication::exit(exitCode); });
    };
    QObject::connect(
        &signIn, &SignInCommands::ready, &app,
        [&](const QString &fixedToken, SignInSession *signInSession) {
            options.token = fixedToken;
            options.signIn = signInSession;
            // A sign-in's token goes only to its own Graph (SignInCommands refuses a kept
            // sign-in's for another --graph-url).
            if (signInSession)
                options.graphUrl = signIn.graphUrl();
            if (!startPlan.isEmpty()) {
                starter = std::make_unique<StartCommands>(options, clock, out, err);
                QObject::connect(starter.get(), &StartCommands::finished, &app, exitAfterWrites);
                starter->run(startPlan, parser.isSet(QStringLiteral("wait-ready"))
                                            ? StartCommands::Then::WaitReady
                                        : parser.isSet(QStringLiteral("watch"))
                                            ? StartCommands::Then::Watch
                                            : StartCommands::Then::Exit);
                return;
            }
            session = std::make_unique<WatchSession>(options, clock, out, err);
            QObject::connect(session.get(), &WatchSession::finished, &app, exitAfterWrites);
            if (!session->start())
                QCoreApplication::exit(kUsageError);
        });
    signIn.obtain();
    const int exitCode = app.exec();
    session.reset(); // before the sign-in they may read the token from
    starter.reset();
    return exitCode;
}
