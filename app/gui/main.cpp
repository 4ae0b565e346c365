// teamsops: the desktop dashboard. Parses arguments and wires core, ui and (for --demo) the
// simulator together; everything else lives in those libraries.
#include "dialogs/sharedstoredialog.h"
#include "dialogs/signindialogs.h"
#include "graph/graphclient.h"
#include "i18n/translations.h"
#include "model/clock.h"
#include "model/programversion.h"
#include "polling/networkmonitor.h"
#include "polling/operationpoller.h"
#include "polling/sharedpolling.h"
#include "polling/watchoptions.h"
#include "signin/signinmanager.h"
#include "signin/storepassword.h"
#include "simserver.h"
#include "simtenant.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/startjournal.h"
#include "store/storelocation.h"
#include "store/storesaver.h"
#include "store/storesession.h"
#include "table/operationtablemodel.h"
#include "window/banner.h"
#include "window/darkpalette.h"
#include "window/mainwindow.h"
#include "window/pollstatusbar.h"
#include "window/signincontroller.h"
#include "window/storecontroller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

// Saves a picture of the window once rows are shown and one of them has changed status, then quits.
// Used by scripts/screenshot for the README.
void saveScreenshotAfterFirstChange(MainWindow &window, OperationPoller &poller,
                                    const QString &file)
{
    auto armed = std::make_shared<bool>(false);
    // A window that follows another TeamsOps polling the store changes rows from the file.
    QObject::connect(&poller.store(), &OperationStore::changed, &window,
                     [&window, &poller, file, armed](const QList<qsizetype> &indexes) {
                         if (*armed || !poller.isFollowing() || indexes.isEmpty() ||
                             poller.store().at(indexes.first()).polls < 2)
                             return;
                         *armed = true;
                         QTimer::singleShot(1500, &window, [&window, file] {
                             const bool saved = window.grab().save(file);
                             qInfo("%s %s", saved ? "saved" : "could not save", qPrintable(file));
                             QCoreApplication::exit(saved ? 0 : 1);
                         });
                     });
    QObject::connect(
        &poller, &OperationPoller::operationObserved, &window,
        [&window, &poller, file, armed](const WatchedOperation &operation, bool changed) {
            if (*armed || !changed || operation.polls < 2)
                return;
            *armed = true;
            // Show a failed clone's details, then let the window repaint.
            for (const WatchedOperation &op : poller.store().records()) {
                if (op.latest && op.latest->status == OperationStatus::Failed) {
                    window.selectOperation(op.ref.key());
                    break;
                }
            }
            QTimer::singleShot(500, &window, [&window, file] {
                const bool saved = window.grab().save(file);
                qInfo("%s %s", saved ? "saved" : "could not save", qPrintable(file));
                QCoreApplication::exit(saved ? 0 : 1);
            });
        });
    QTimer::singleShot(120000, &window, [] {
        qWarning("no status changed within two minutes; no screenshot taken");
        QCoreApplication::exit(1);
    });
}

// The demo tenant's browser: its sign-in page consents at once, so "opening" it is one request
// that follows the redirect back to TeamsOps' own listener on 127.0.0.1 — the real flow, PKCE
// and state included, without a browser window.
bool openInDemoBrowser(QNetworkAccessManager &network, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *reply = network.get(request);
    QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("TeamsOps"));
    QApplication::setOrganizationName(QStringLiteral("TeamsOps"));
    QApplication::setApplicationVersion(programVersion());
    QApplication::setDesktopFileName(QStringLiteral("io.github.teamsops.TeamsOps"));
    installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Watch Microsoft Teams async operations (clone, archive, create...)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("demo"),
         QStringLiteral("Open on a simulated tenant (in-process, on 127.0.0.1).")},
        {QStringLiteral("dark"), QStringLiteral("Use a dark palette (Fusion style).")},
        {QStringLiteral("screenshot"),
         QStringLiteral("Save a PNG of the window after the first status change, then quit."),
         QStringLiteral("FILE")},
    });
    WatchOptions::addTo(parser, false);
    SignInConfig::addOptions(parser);
    parser.addPositionalArgument(QStringLiteral("LOCATION"),
                                 QStringLiteral("Operations to watch (Location header or URL)."),
                                 QStringLiteral("[LOCATION...]"));
    // --version says which Qt too (QCommandLineParser's own prints the version alone).
    if (parser.parse(QCoreApplication::arguments()) && parser.isSet(QStringLiteral("version"))) {
        std::printf("%s\n", qPrintable(programVersionLine(QStringLiteral("teamsops"))));
        return 0;
    }
    parser.process(app);
    if (parser.isSet(QStringLiteral("dark")))
        useDarkPalette(app);

    const bool demo = parser.isSet(QStringLiteral("demo"));
    QStringList locations = parser.positionalArguments();
    QString token = qEnvironmentVariable("TEAMSOPS_TOKEN").trimmed();
    // Numbers that do not parse or are out of range are refused, as teamsops-cli does.
    WatchOptions options;
    const QString problem =
        options.readFrom(parser, demo ? std::chrono::seconds(2) : std::chrono::seconds(30));
    if (!problem.isEmpty()) {
        qCritical("%s", qPrintable(problem));
        return 1;
    }
    // Where to sign in: Settings, then --cloud, --authority, --tenant, --client-id over them.
    SignInConfig signInConfig = SignInSettingsDialog::load(SignInConfig());
    const bool graphUrlGiven = parser.isSet(QStringLiteral("graph-url"));
    QUrl graphUrl = graphUrlGiven ? options.graphUrl : signInConfig.graphUrl;
    const QString signInProblem = SignInConfig::read(parser, signInConfig, graphUrl, graphUrlGiven);
    if (!signInProblem.isEmpty()) {
        qCritical("%s", qPrintable(signInProblem));
        return 1;
    }

    SystemClock clock;
    std::unique_ptr<SimTenant> tenant;
    std::unique_ptr<SimServer> simulator;
    if (demo) {
        QFile scenario(QStringLiteral(":/scenarios/demo.json"));
        scenario.open(QIODevice::ReadOnly);
        tenant = std::make_unique<SimTenant>();
        const QString problem = tenant->loadScenario(scenario.readAll());
        if (!problem.isEmpty())
            qFatal("demo scenario: %s", qPrintable(problem));
        simulator = std::make_unique<SimServer>(*tenant);
        if (simulator->listen() == 0)
            qFatal("the demo simulator could not listen on 127.0.0.1");
        graphUrl = simulator->baseUrl();
        QUrl authority = graphUrl;
        authority.setPath(QString());
        signInConfig.authorityHost = authority;
        signInConfig.tenant = tenant->tenantId();
        signInConfig.clientId = SimIdentity::demoClientId();
        signInConfig.graphUrl = graphUrl;
        locations = tenant->operationLocations() + locations;
    }

    SignInManager signIn(signInConfig, clock);
    signIn.setGraph(graphUrl); // a kept sign-in for another Graph is not sent there
    if (demo)
        signIn.setKeepingInKeychain(false);
    else if (!token.isEmpty())
        signIn.useFixedToken(token, QObject::tr("Token from TEAMSOPS_TOKEN"));
    GraphClient client(graphUrl, signIn.tokenProvider());
    OperationStore store;
    // Everything watched survives a restart. The demo tenant lives on a port that changes every
    // run, so it is saved only when --store names a file. Restored before the window is built,
    // which then starts with every row (store_bench measured both orders: no difference).
    std::unique_ptr<StoreSession> storeSession;
    QStringList storeProblems; // for the banner, once the window exists
    const auto notSaving = [](const QString &why) {
        return QObject::tr("<b>Not saving</b>: %1 Watching works, but what is watched is "
                           "forgotten when TeamsOps closes.")
            .arg(why.toHtmlEscaped());
    };
    // Settings → Shared store: the team's store, unless --store names another; its password from
    // the keychain when PGPASSWORD does not give one (libpq reads ~/.pgpass after both).
    if (!options.storeGiven && !demo && !SharedStoreDialog::savedUrl().isEmpty())
        options.storePath = SharedStoreDialog::savedUrl();
    if (StoreLocation::looksLikeServer(options.storePath) &&
        qEnvironmentVariableIsEmpty("PGPASSWORD")) {
        QString keychainProblem;
        OperationDatabase::rememberPassword(
            options.storePath, StorePassword::readNow(options.storePath, keychainProblem));
    }
    OperationDatabase::OpenResult storeWait;
    if (!demo || options.storeGiven) {
        storeSession = std::make_unique<StoreSession>(store, clock, QStringLiteral("teamsops"));
        storeSession->setGraph(graphUrl);
        const OperationDatabase::OpenResult opened = storeSession->open(options.storePath);
        storeWait = opened;
        if (!opened.ok && !StoreOpener::isWorthWaitingFor(opened.problem)) {
            storeProblems.append(notSaving(opened.error));
            storeSession.reset();
        } else if (opened.ok) {
            if (!opened.movedTo.isEmpty())
                storeProblems.append(opened.error.toHtmlEscaped());
            if (!storeSession->restoreError().isEmpty()) {
                storeProblems.append(QObject::tr("<b>Some saved operations could not be read</b> "
                                                 "(%1).")
                                         .arg(storeSession->restoreError().toHtmlEscaped()));
            }
        }
    }
    OperationPoller poller(client, clock, store);
    poller.setInterval(options.interval);
    poller.setBudget(options.tenantBudget, options.teamBudget);
    poller.setStarter(QString::fromLatin1(WatchedOperation::kPasted));
    // Offline detection matters for the real service; the loopback simulator is always there.
    std::unique_ptr<NetworkMonitor> network;
    if (!client.talksToLoopback())
        network = std::make_unique<NetworkMonitor>(poller);
    MainWindow window(client, poller, clock);
    signIn.attach(poller);
    window.attachSignIn(signIn);
    // A team's store records who stopped, resumed or forgot what: the signed-in account.
    if (storeSession) {
        const auto recordActor = [&window, session = storeSession.get()] {
            session->setActor(window.signIn()->account());
        };
        QObject::connect(&signIn, &SignInManager::signedIn, &window, recordActor);
        QObject::connect(&signIn, &SignInManager::restored, &window, recordActor);
        QObject::connect(&signIn, &SignInManager::signedOut, &window, recordActor);
    }
    QNetworkAccessManager demoBrowser;
    if (demo) {
        window.setSignInUrlOpener(
            [&demoBrowser](const QUrl &url) { return openInDemoBrowser(demoBrowser, url); });
        window.signIn()->useDemoTenant(
            [&tenant](const QString &userCode) { tenant->identity().approveDeviceCode(userCode); });
    }

    window.setDemo(demo);
    // The welcome page's demo: another TeamsOps, on a simulated tenant of its own.
    QObject::connect(&window, &MainWindow::demoRequested, &window, [&window] {
        if (!QProcess::startDetached(QCoreApplication::applicationFilePath(),
                                     {QStringLiteral("--demo")})) {
            window.banner()->showMessage(QObject::tr("The demo tenant could not be started."),
                                         Banner::Kind::Warning);
        }
    });

    QStringList problems;
    if (demo) {
        window.banner()->showMessage(
            QObject::tr("<b>Demo tenant</b> — a simulated Microsoft Graph on 127.0.0.1 where time "
                        "runs %1× faster. Nothing here touches a real tenant. Double-click a "
                        "succeeded clone to see the team it produced.")
                .arg(tenant->timeScale()),
            Banner::Kind::Info, Banner::Topic::Demo);
    }
    const auto useStore = [&window, &poller, &options](StoreSession &session) {
        StoreSaver *saver = session.saver();
        window.attachStore(*saver, options.storePath, session.journal());
        saver->setPaceSource([&poller] { return poller.savedPace(); });
        saver->pruneFinishedOlderThan(std::chrono::hours(24 * StoreController::retentionDays()));
        saver->followOthers(
            std::min<std::chrono::milliseconds>(StoreSaver::kFollowEvery, poller.interval()));
        // One poller for the store: this window polls, or shows what another TeamsOps polls.
        auto *shared = new SharedPolling(poller, *saver, *session.lease(), &window);
        QObject::connect(shared, &SharedPolling::roleChanged, &window, [&window, shared] {
            window.pollStatus()->setPolledBy(shared->isPolling() ? QString()
                                                                 : shared->pollerDescription());
        });
        shared->start();
    };
    if (storeSession && storeSession->saver()) {
        poller.restorePace(storeSession->saver()->savedPace());
        useStore(*storeSession);
    } else if (storeSession) {
        // Another program holds the file, or the team's server is away: watching goes on in
        // memory until the store is there.
        window.banner()->showMessage(
            StoreOpener::waitingMessage(options.storePath, storeWait, storeSession->standInPath())
                .toHtmlEscaped(),
            Banner::Kind::Info, Banner::Topic::Saving);
        StoreSession *session = storeSession.get();
        QObject::connect(session, &StoreSession::ready, &window,
                         [&window, session, useStore, problem = storeWait.problem] {
                             useStore(*session);
                             window.banner()->clear(Banner::Topic::Saving);
                             window.statusBar()->showMessage(StoreOpener::backMessage(problem),
                                                             10000);
                         });
        QObject::connect(session, &StoreSession::failed, &window,
                         [&window, notSaving](const QString &why) {
                             window.banner()->showMessage(notSaving(why), Banner::Kind::Warning,
                                                          Banner::Topic::Saving);
                         });
    }
    for (const QString &problem : std::as_const(storeProblems))
        window.banner()->showMessage(problem, Banner::Kind::Warning);
    {
        // Watched at once; their polls wait for the sign-in (a 401 pauses them until then).
        for (const QString &location : std::as_const(locations)) {
            const LocationResolution resolved = resolveLocation(location, graphUrl);
            if (resolved.ref)
                poller.watch(*resolved.ref, location);
            else
                problems.append(QStringLiteral("%1: %2").arg(location.toHtmlEscaped(),
                                                             resolved.error.toHtmlEscaped()));
        }
    }
    if (!problems.isEmpty()) {
        window.banner()->showMessage(
            QObject::tr("<b>Some Locations could not be read</b> and are not "
                        "watched:<br>%1")
                .arg(problems.join(QStringLiteral("<br>"))),
            Banner::Kind::Warning);
    }

    if (parser.isSet(QStringLiteral("screenshot")))
        saveScreenshotAfterFirstChange(window, poller, parser.value(QStringLiteral("screenshot")));
    window.show();
    window.restoreSelection();
    // The demo signs in as a user would, through the browser flow; a real run brings back the
    // sign-in kept in the keychain (or offers to sign in).
    if (demo)
        signIn.signInWithBrowser();
    else if (token.isEmpty())
        signIn.restore();
    const int status = app.exec();
    if (storeSession && storeSession->saver())
        storeSession->saver()->saveNow(); // what the last turn changed
    return status;
}
