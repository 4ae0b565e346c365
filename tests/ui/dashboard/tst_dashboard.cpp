// The admin's dashboard features, offscreen, against the simulator on a manual clock: filters and
// their counts, search, details, actions, paste, export, notifications and remembered layout.
#include "dialogs/adddialog.h"
#include "graph/graphclient.h"
#include "i18n/translations.h"
#include "keyboardreach.h"
#include "panes/detailspane.h"
#include "panes/elidedlabel.h"
#include "panes/filtersidebar.h"
#include "panes/overviewstrip.h"
#include "panes/timelinewidget.h"
#include "polling/operationpoller.h"
#include "polling/pollstate.h"
#include "polling/teamoperations.h"
#include "store/operationstore.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"
#include "window/banner.h"
#include "window/mainwindow.h"
#include "window/notifier.h"
#include "window/operationactions.h"
#include "window/pollstatusbar.h"
#include "windowonsimulator.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUuid>
#include <QtTest>

using namespace std::chrono;

static const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
static const QString kOther = QStringLiteral("0b7e9c1d-2a3f-4e5b-8c6d-7e8f9a0b1c2d");
static const QString kClone = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
static const QString kFails = QStringLiteral("3b2c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e");
static const QString kArchive = QStringLiteral("4c3d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f");

// kClone: in progress at 10 s, succeeds at 50 s. kFails: fails at 25 s with a known error.
// kArchive (another team): in progress from 1 s on, for a long time.
static QJsonObject scenario()
{
    QJsonObject fails = operation(kFails, kTeam, 5, 20, "failed");
    fails.insert("error",
                 QJsonObject{{"code", "InvalidRequest"},
                             {"message", "Tabs cannot be cloned without cloning Apps as well."}});
    QJsonObject archive = operation(kArchive, kOther, 1, 100000);
    archive.insert("operationType", "archiveTeam");
    return QJsonObject{
        {"teams", QJsonArray{team(kTeam, "Template"), team(kOther, "Other")}},
        {"operations", QJsonArray{operation(kClone, kTeam, 10, 40), fails, archive}}};
}

struct Dashboard : WindowOnSimulator
{
    Dashboard()
        : WindowOnSimulator(scenario())
    {
        window.show();
    }
    void watch(const QString &team, const QString &op) { poller.watch(refOf(team, op)); }
    void watchAll()
    {
        watch(kTeam, kClone);
        watch(kTeam, kFails);
        watch(kOther, kArchive);
        settle();
    }
    void settle()
    {
        QVERIFY(QTest::qWaitFor([this] {
            const auto &ops = store.records();
            return poller.inFlightRequests() == 0 &&
                   std::all_of(ops.cbegin(), ops.cend(), [](const auto &o) { return o.polls > 0; });
        }));
        store.flush(); // what the event loop does next
    }
    void advance(seconds by)
    {
        sim.clock.advance(by);
        settle();
    }
    QString key(const QString &team, const QString &op) const
    {
        return (team + '/' + op).toLower();
    }
    QStringList visibleKeys() const
    {
        QStringList keys;
        for (int row = 0; row < window.proxy()->rowCount(); ++row)
            keys.append(
                window.proxy()->index(row, 0).data(OperationTableModel::KeyRole).toString());
        keys.sort();
        return keys;
    }
    void recount() { store.flush(); } // the counts follow the store's next signals
};

class TestDashboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void filterCountsFollowStatusChanges();
    void filtersBySidebarAndSearch();
    void filtersByWhoStartedThem();
    void searchFindsWhatARowShowsAndSaysWhenNothingMatches();
    void messagesFloatOverTheTableAndEachCloses();
    void theStatusBarAndTheOverviewSayThePollStateAlike();
    void detailsAreBuiltAgainOnlyWhenTheShownOperationChanges();
    void tabLeavesTheTableAndEachPaneHasAShortcut();
    void undoBringsBackWhatWasRemovedOrStopped();
    void theWindowFitsTheScreenAndSmallScreens();
    void longTextsGiveWayWithoutRunningIntoEachOther();
    void theTimelinesTimesNeverRunIntoEachOther();
    void detailsShowPropertiesHintJsonAndTimeline();
    void pasteAddsGoodLinesAndKeepsBadOnes();
    void watchesAWholeTeam();
    void addingFiveHundredAtOnceStaysInsideGraphsLimits_data();
    void addingFiveHundredAtOnceStaysInsideGraphsLimits();
    void actionsRemovePauseAndPollNow();
    void exportsTheVisibleRows();
    void shortcutsAndTheDetailsPaneWork();
    void notifiesOncePerTerminalTransition();
    void remembersTheHeaderAndSplitters();
    void overviewChipsCountAndFilter();
    void overviewEstimatesTheTimeLeft();
    void overviewSaysTheLastPollError();
    void tableFirstShowsFifteenRowsWithDetailsOpen();
    void detailsShowAFailureWholeWithoutScrolling();
    void timelineAgreesWithElapsedAndSaysPlurals();
    void welcomesAFirstStartUntilSomethingIsWatched();
    void helpListsShortcutsAndTheEndpoint();
    void everyMenuActionIsReachableByKeyboard();
    void everyCustomWidgetHasAnAccessibleName();
};

void TestDashboard::initTestCase()
{
    // Settings go to a throw-away place, never the developer's own.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TeamsOpsTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_dashboard"));
    // As main() does: the English plural forms ("2 polls") come from a translation.
    QVERIFY(installTranslations(*QCoreApplication::instance()));
}

void TestDashboard::init()
{
    QSettings().clear();
}

void TestDashboard::filterCountsFollowStatusChanges()
{
    Dashboard d;
    QAbstractItemModelTester tester(d.window.proxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    d.watchAll();
    d.recount();
    FilterSidebar *sidebar = d.window.sidebar();
    QCOMPARE(sidebar->countOf(OperationCategory::All), 3);
    QCOMPARE(sidebar->countOf(OperationCategory::NotStarted), 3);
    QCOMPARE(sidebar->countOf(OperationCategory::InProgress), 0);
    QCOMPARE(sidebar->countOfType("archiveTeam"), 1);
    QCOMPARE(sidebar->countOfType("cloneTeam"), 2);

    d.advance(seconds(30)); // kClone in progress, kFails failed
    QTRY_COMPARE(sidebar->countOf(OperationCategory::Failed), 1); // the window recounts by itself
    QCOMPARE(sidebar->countOf(OperationCategory::InProgress), 2);
    QCOMPARE(sidebar->countOf(OperationCategory::NotStarted), 0);

    d.sim.server.injectFault(SimFault::answer(kArchive, 503, "60"));
    d.advance(seconds(30)); // kClone succeeded; kArchive's poll throttled
    QTRY_COMPARE(sidebar->countOf(OperationCategory::Succeeded), 1);
    QCOMPARE(sidebar->countOf(OperationCategory::NeedsAttention), 1);
    QCOMPARE(sidebar->countOf(OperationCategory::InProgress), 1);
}

void TestDashboard::filtersBySidebarAndSearch()
{
    Dashboard d;
    QAbstractItemModelTester tester(d.window.proxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    d.watchAll();
    d.advance(seconds(30));
    d.window.sidebar()->select(OperationCategory::Failed);
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kTeam, kFails)}));
    d.window.sidebar()->select(OperationCategory::InProgress);
    QCOMPARE(d.visibleKeys().size(), 2);
    // The filter follows changes: kClone succeeds and leaves "In progress".
    d.advance(seconds(30));
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kOther, kArchive)}));

    d.window.sidebar()->select(OperationCategory::All);
    auto *search = d.window.findChild<QLineEdit *>("search");
    search->setText("tabs cannot"); // error text
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kTeam, kFails)}));
    search->setText(kOther.left(8).toUpper()); // team id, any case
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kOther, kArchive)}));
    search->clear();
    QCOMPARE(d.visibleKeys().size(), 3);
}

// The search finds a row by any text it shows (its status, its type, the name of the team it
// produced), not only by ids; when nothing matches, the table says so, with a way back.
void TestDashboard::searchFindsWhatARowShowsAndSaysWhenNothingMatches()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(60)); // kClone succeeded, kFails failed, kArchive in progress
    const QModelIndex cloneTarget = [&] {
        for (int row = 0; row < d.window.proxy()->rowCount(); ++row) {
            const QModelIndex index = d.window.proxy()->index(row, OperationTableModel::Target);
            if (index.data(OperationTableModel::KeyRole).toString() == d.key(kTeam, kClone))
                return index;
        }
        return QModelIndex();
    }();
    QVERIFY(cloneTarget.isValid());
    // The target's name, once learnt from Graph, is what the row shows.
    QTRY_VERIFY(!cloneTarget.data().toString().startsWith(QLatin1String("/teams")));
    const QString targetName = cloneTarget.data().toString();

    auto *search = d.window.findChild<QLineEdit *>("search");
    search->setText(targetName.mid(1, 4).toUpper()); // part of the name, any case
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kTeam, kClone)}));
    search->setText(QStringLiteral("archive TEAM")); // the type as shown
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kOther, kArchive)}));
    search->setText(QStringLiteral("in progress")); // the status as shown
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kOther, kArchive)}));

    auto *notice = d.window.findChild<QWidget *>(QStringLiteral("emptyViewNotice"));
    QVERIFY(notice);
    QVERIFY(!notice->isVisible());
    search->setText(QStringLiteral("Walk"));
    QCOMPARE(d.window.proxy()->rowCount(), 0);
    QVERIFY(notice->isVisible());
    auto *message = notice->findChild<QLabel *>(QStringLiteral("emptyViewMessage"));
    QCOMPARE(message->text(), QStringLiteral("No operation matches “Walk”."));
    auto *clear = notice->findChild<QPushButton *>(QStringLiteral("emptyViewClear"));
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(search->text(), QString());
    QCOMPARE(d.visibleKeys().size(), 3);
    QVERIFY(!notice->isVisible());

    // A filter that leaves nothing: said too, and "Show all" goes back to every operation.
    d.window.sidebar()->select(OperationCategory::NotStarted);
    QCOMPARE(d.window.proxy()->rowCount(), 0);
    QVERIFY(notice->isVisible());
    QCOMPARE(message->text(), QStringLiteral("No operation in this view."));
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(d.window.proxy()->category(), OperationCategory::All);
    QVERIFY(!notice->isVisible());
}

// Messages come and go over the table, never above it: no row moves under the pointer. One
// message per topic, each with its own close button; taking one topic's back leaves the others
// (the demo's message once vanished when a sign-in message came and went).
void TestDashboard::messagesFloatOverTheTableAndEachCloses()
{
    Dashboard d;
    d.watchAll();
    d.window.resize(1400, 880);
    QTest::qWait(0);
    QTableView *table = d.window.table();
    const QRect tableBefore(table->mapTo(&d.window, QPoint(0, 0)), table->size());
    Banner *banner = d.window.banner();
    QSignalSpy closed(banner, &Banner::closed);
    banner->showMessage(QStringLiteral("<b>Demo tenant</b>"), Banner::Kind::Info,
                        Banner::Topic::Demo);
    banner->showMessage(QStringLiteral("<b>Sign in again</b>"), Banner::Kind::Warning,
                        Banner::Topic::SignIn);
    banner->showMessage(QStringLiteral("Saving fails"), Banner::Kind::Warning,
                        Banner::Topic::Saving);
    QVERIFY(banner->isVisible());
    QCOMPARE(QRect(table->mapTo(&d.window, QPoint(0, 0)), table->size()), tableBefore);
    // Inside the table's area, at its bottom right.
    const QRect over(banner->mapTo(&d.window, QPoint(0, 0)), banner->size());
    QVERIFY2(tableBefore.contains(over), qPrintable(QStringLiteral("%1,%2 %3x%4")
                                                        .arg(over.x())
                                                        .arg(over.y())
                                                        .arg(over.width())
                                                        .arg(over.height())));
    QVERIFY(over.right() > tableBefore.center().x() && over.bottom() > tableBefore.center().y());

    banner->clear(Banner::Topic::SignIn);
    QVERIFY(banner->isAbout(Banner::Topic::Demo) && banner->isAbout(Banner::Topic::Saving));
    QVERIFY(!banner->text().contains("Sign in again"));

    const QList<QToolButton *> closes =
        banner->findChildren<QToolButton *>(QStringLiteral("bannerClose"));
    QCOMPARE(closes.size(), 2);
    QTest::mouseClick(closes.first(), Qt::LeftButton); // the oldest: the demo's
    QCOMPARE(closed.size(), 1);
    QCOMPARE(closed.first().first().value<Banner::Topic>(), Banner::Topic::Demo);
    QVERIFY(!banner->isAbout(Banner::Topic::Demo));
    QVERIFY(banner->isAbout(Banner::Topic::Saving));
    QCOMPARE(QRect(table->mapTo(&d.window, QPoint(0, 0)), table->size()), tableBefore);
    banner->clearAll();
    QVERIFY(!banner->isVisible());
}

// Where polling stands is read once (PollState) and said in the same words by the status bar and
// the overview: never "Next poll in 11 s" while not signed in, nor "full pace" while Graph cannot
// be reached, nor "Waiting for the first poll" with nothing to watch.
void TestDashboard::theStatusBarAndTheOverviewSayThePollStateAlike()
{
    Dashboard d;
    auto *schedule = d.window.findChild<QLabel *>("scheduleLabel");
    auto *lastPoll = d.window.findChild<QLabel *>("lastPollLabel");
    auto *health = d.window.overview()->findChild<QLabel *>("pace");
    const auto says = [&](const QString &words) {
        d.window.pollStatus()->refresh();
        d.window.overview()->refresh();
        return schedule->text() == words && health->text() == words;
    };
    QVERIFY2(says("Nothing to watch yet"), qPrintable(schedule->text() + " | " + health->text()));
    QVERIFY(!lastPoll->text().contains("Waiting"));

    d.watchAll();
    d.advance(seconds(5));
    d.window.pollStatus()->refresh();
    d.window.overview()->refresh();
    QVERIFY2(schedule->text().startsWith("Next poll in"), qPrintable(schedule->text()));
    QVERIFY2(health->text().startsWith("Polling at full pace"), qPrintable(health->text()));

    d.window.pollState()->setSignInNeeded(true);
    QVERIFY2(says("Not signed in: polling waits for a sign-in"),
             qPrintable(schedule->text() + " | " + health->text()));
    d.window.pollState()->setSignInNeeded(false);

    // Nothing gets through: every connection drops in the middle of its answer (the polls go
    // together, in a $batch).
    SimFault lost;
    lost.pathContains = QStringLiteral("$batch");
    lost.kind = QStringLiteral("reset");
    d.sim.server.injectFault(lost);
    d.sim.clock.advance(seconds(31));
    QTRY_VERIFY2(d.window.pollState()->kind() == PollState::Kind::Unreachable,
                 qPrintable(schedule->text() + " | " + lastPoll->text()));
    d.window.pollStatus()->refresh();
    d.window.overview()->refresh();
    QVERIFY2(schedule->text().startsWith("Graph cannot be reached"), qPrintable(schedule->text()));
    QCOMPARE(health->text(), schedule->text());
    QVERIFY(!health->text().contains("full pace"));
    QVERIFY(!schedule->toolTip().isEmpty());
}

// The details pane is built again when the operation it shows changes, once per round, not once
// per change elsewhere (a round of 1 000 scattered changes once cost 1 000 rebuilds); when that
// operation goes, the pane no longer shows it.
void TestDashboard::detailsAreBuiltAgainOnlyWhenTheShownOperationChanges()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(30)); // kFails failed: its timeline no longer moves with the clock
    const QString shownKey = d.key(kTeam, kFails);
    QVERIFY(d.window.selectOperation(shownKey));
    DetailsPane *details = d.window.details();
    QTRY_COMPARE(details->shownKey(), shownKey);
    // A thousand more, stopped (never polled).
    for (int i = 0; i < 1000; ++i) {
        WatchedOperation op;
        op.ref = d.refOf(kOther, QUuid::createUuid().toString(QUuid::WithoutBraces));
        op.watch = WatchedOperation::Watch::Paused;
        QVERIFY(d.store.add(op));
    }
    d.store.flush();
    QCoreApplication::processEvents();
    QSignalSpy shown(details, &DetailsPane::shown);

    const auto round = [&](bool withShown) {
        for (qsizetype i = 3; i < d.store.size(); i += 1)
            ++d.store.edit(i).polls;
        if (withShown)
            ++d.store.edit(shownKey)->polls;
        d.store.flush(); // the round's changes, signalled together
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
    };
    round(false);
    QCOMPARE(shown.size(), 0);
    round(true);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.first().first().toString(), shownKey);

    d.poller.unwatch(d.refOf(kTeam, kFails));
    d.store.flush();
    QTRY_VERIFY(details->shownKey() != shownKey);
}

// A team's operations, some started by a colleague: the sidebar counts them by starter and
// shows one person's alone; the search finds them too. The column is there for a team's store
// (shown by attachStore) and hidden for one admin.
void TestDashboard::filtersByWhoStartedThem()
{
    Dashboard d;
    QAbstractItemModelTester tester(d.window.proxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    d.poller.watch(d.refOf(kTeam, kClone), QString(), QStringLiteral("megan@contoso.com"));
    d.poller.watch(d.refOf(kTeam, kFails), QString(), QStringLiteral("megan@contoso.com"));
    d.poller.setStarter(QString::fromLatin1(WatchedOperation::kPasted));
    d.poller.watch(d.refOf(kOther, kArchive));
    d.settle();
    QCOMPARE(d.store.find(d.key(kOther, kArchive))->startedBy, QStringLiteral("pasted"));
    QCOMPARE(d.store.find(d.key(kTeam, kClone))->startedOn, QSysInfo::machineHostName());

    FilterSidebar *sidebar = d.window.sidebar();
    QTRY_COMPARE(sidebar->countOfStarter(QStringLiteral("megan@contoso.com")), 2);
    QCOMPARE(sidebar->countOfStarter(QStringLiteral("pasted")), 1);
    QVERIFY(
        !sidebar->findItems(QStringLiteral("Started by"), Qt::MatchExactly).first()->isHidden());
    sidebar->selectStarter(QStringLiteral("megan@contoso.com"));
    QCOMPARE(d.visibleKeys(), QStringList({d.key(kTeam, kClone), d.key(kTeam, kFails)}));
    sidebar->select(OperationCategory::All);
    QCOMPARE(d.visibleKeys().size(), 3);

    auto *search = d.window.findChild<QLineEdit *>("search");
    search->setText(QStringLiteral("MEGAN@"));
    QCOMPARE(d.visibleKeys().size(), 2);
    search->clear();

    QVERIFY(d.window.table()->isColumnHidden(OperationTableModel::StartedBy));
    QModelIndex cell;
    for (int row = 0; row < d.window.proxy()->rowCount(); ++row) {
        const QModelIndex candidate = d.window.proxy()->index(row, OperationTableModel::StartedBy);
        if (candidate.data(OperationTableModel::KeyRole) == d.key(kTeam, kClone))
            cell = candidate;
    }
    QCOMPARE(cell.data().toString(), QStringLiteral("megan@contoso.com"));
    QCOMPARE(cell.data(Qt::ToolTipRole).toString(),
             QStringLiteral("on ") + QSysInfo::machineHostName());
}

void TestDashboard::detailsShowPropertiesHintJsonAndTimeline()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(30));
    QVERIFY(d.window.selectOperation(d.key(kTeam, kFails)));
    DetailsPane *details = d.window.details();
    QCOMPARE(details->shownKey(), d.key(kTeam, kFails));
    QCOMPARE(details->findChild<QLabel *>("detailStatus")->text(), QStringLiteral("failed"));
    QVERIFY(details->findChild<QLabel *>("detailError")->text().contains("InvalidRequest: Tabs"));
    QVERIFY(
        details->findChild<QLabel *>("detailHint")->text().contains("partsToClone including apps"));
    const QString json = details->findChild<QPlainTextEdit *>("detailJson")->toPlainText();
    QVERIFY(QJsonDocument::fromJson(json.toUtf8()).object().value("status") == "failed");

    const auto *timeline = details->findChild<TimelineWidget *>("timeline");
    QStringList labels;
    for (const auto &segment : timeline->segments())
        labels.append(segment.label);
    QCOMPARE(labels, QStringList({"Not started", "Failed"}));
    // It failed at 25 s by Graph's last action, though TeamsOps saw it at 30 s.
    QCOMPARE(timeline->segments().last().from, timeline->segments().first().from.addSecs(25));

    // A clone that has not produced anything yet cannot be opened, and says why.
    QVERIFY(d.window.selectOperation(d.key(kTeam, kClone)));
    QVERIFY(!details->findChild<QPushButton *>("openTarget")->isEnabled());
    QVERIFY(details->findChild<QLabel *>("detailTarget")->text().contains("in progress"));
}

void TestDashboard::pasteAddsGoodLinesAndKeepsBadOnes()
{
    Dashboard d;
    AddDialog *dialog = d.window.openAddDialog();
    dialog->setText(QStringLiteral("# clones from this morning\n"
                                   "/teams('%1')/operations('%2')\n"
                                   "not a location\n"
                                   "\n"
                                   "%3/teams/%4/operations/%5\n"
                                   "https://evil.example.com/v1.0/teams/a/operations/b\n"
                                   "/teams(%1)/operations(%2)\n")
                        .arg(kTeam, kClone, d.sim.base().toString(), kOther, kArchive));
    dialog->submit();
    QCOMPARE(d.store.records().size(), 2); // the duplicate counts once
    QVERIFY(dialog->isVisible());          // stays open on the bad lines...
    QCOMPARE(dialog->text(),
             QStringLiteral("not a location\nhttps://evil.example.com/v1.0/teams/a/operations/b"));
    const QString errors = dialog->errorsText();
    // Numbered as the box now holds them, with their place in the paste.
    QVERIFY2(errors.contains("Line 1 (line 3 of what was pasted)") &&
                 errors.contains("Line 2 (line 6 of what was pasted)"),
             qPrintable(errors));
    QVERIFY(errors.contains("not on the configured Graph host"));

    // ...and imports a file's lines too.
    QTemporaryDir dir;
    QFile file(dir.filePath("ops.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("/teams/%1/operations/%2\n").arg(kTeam, kFails).toUtf8());
    file.close();
    dialog->setText(QString());
    QVERIFY(dialog->importFile(file.fileName()));
    QVERIFY(!dialog->importFile(dir.filePath("missing.txt")));
    dialog->submit();
    QCOMPARE(d.store.records().size(), 3);
}

void TestDashboard::watchesAWholeTeam()
{
    Dashboard d;
    QCOMPARE(
        teamIdFromText(QStringLiteral("https://graph.microsoft.com/v1.0/teams('%1')").arg(kTeam)),
        kTeam);
    QCOMPARE(teamIdFromText(QStringLiteral("/teams/%1/operations").arg(kTeam)), kTeam);
    QCOMPARE(teamIdFromText(kTeam), kTeam);
    QCOMPARE(teamIdFromText(QStringLiteral("Project — Walkthrough — %1").arg(kTeam)), kTeam);
    QCOMPARE(teamIdFromText(QStringLiteral("hello world")), QString());

    AddDialog *dialog = d.window.openAddDialog();
    dialog->setTeamText(QStringLiteral("/teams('%1')").arg(kTeam));
    dialog->submitTeam();
    QTRY_COMPARE(d.store.records().size(), 2); // kClone and kFails, from a real list call
    QVERIFY(d.sim.server.requestCount(kTeam + "/operations") >= 1);
    QVERIFY(d.window.statusBar()->currentMessage().contains("2 operations, 2 new"));
}

// 500 Locations pasted at once, one team each, all succeeded: their first polls and the reads of
// their teams' names (TeamNames) share one tenant budget, so the simulator never answers 429.
void TestDashboard::addingFiveHundredAtOnceStaysInsideGraphsLimits_data()
{
    QTest::addColumn<int>("perTeam");
    QTest::addColumn<int>("runFor"); // simulated seconds each operation runs
    QTest::newRow("one per team, finished") << 1 << 0;
    // As the demo tenant has them: a few teams, each with many operations, still running.
    QTest::newRow("a hundred per team, running") << 100 << 3600;
}

// Pasting 500 Locations into the window: every one is read and every team named without Graph
// (the simulator) ever answering 429, and the window never says polling was slowed down.
void TestDashboard::addingFiveHundredAtOnceStaysInsideGraphsLimits()
{
    QFETCH(int, perTeam);
    QFETCH(int, runFor);
    QJsonArray teams;
    QJsonArray operations;
    QStringList locations;
    QString teamId;
    for (int i = 0; i < 500; ++i) {
        if (i % perTeam == 0) {
            teamId = QUuid::createUuid().toString(QUuid::WithoutBraces);
            teams.append(team(teamId, QStringLiteral("Project %1").arg(i / perTeam)));
        }
        const QString operationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        operations.append(operation(operationId, teamId, 0, runFor));
        locations.append(QStringLiteral("/teams('%1')/operations('%2')").arg(teamId, operationId));
    }
    WindowOnSimulator d(QJsonObject{{"teams", teams}, {"operations", operations}});
    d.window.show();
    d.sim.clock.advance(seconds(1)); // every operation has started (the quick ones succeeded)
    AddDialog *dialog = d.window.openAddDialog();
    dialog->setText(locations.join('\n'));
    dialog->submit();
    QCOMPARE(d.store.records().size(), 500);
    d.store.flush();
    QCOMPARE(d.window.model()->rowCount(), 500);

    // Until every operation is read and every target team's name is known (the names take what
    // the polls leave of the budget: about 10 a second), a simulated 200 ms at a time.
    auto *schedule = d.window.findChild<QLabel *>("scheduleLabel");
    QStringList slowedDown;
    const auto everythingKnown = [&] {
        d.window.pollStatus()->refresh();
        if (schedule->text().contains("slow", Qt::CaseInsensitive) ||
            d.banner()->text().contains("throttled", Qt::CaseInsensitive))
            slowedDown.append(schedule->text() + " | " + d.banner()->text());
        for (int row = 0; row < d.window.model()->rowCount(); ++row) {
            const QString target =
                d.window.model()->index(row, OperationTableModel::Target).data().toString();
            // A running clone has no target yet ("—"); a finished one names its team.
            const bool named = target.startsWith(QStringLiteral("Project ")) ||
                               (runFor > 0 && target == QStringLiteral("—"));
            if (!named || !d.store.at(row).latest)
                return false;
        }
        return true;
    };
    for (int step = 0; step < 600 && !everythingKnown(); ++step) {
        QTRY_COMPARE(d.client.requestsInFlight(), 0);
        d.sim.clock.advance(milliseconds(200));
    }

    QVERIFY(everythingKnown());
    QCOMPARE(d.sim.server.throttled(), 0);
    QVERIFY2(slowedDown.isEmpty(), qPrintable(slowedDown.join('\n')));
}

void TestDashboard::actionsRemovePauseAndPollNow()
{
    Dashboard d;
    d.watchAll();
    OperationActions *actions = d.window.actions();
    QVERIFY(!actions->remove()->isEnabled()); // nothing selected yet

    QVERIFY(d.window.selectOperation(d.key(kTeam, kClone)));
    QVERIFY(actions->remove()->isEnabled());
    // Just polled: against the simulator the floor is 100 ms, so "now" (the real service would
    // say "within 30 s").
    QCOMPARE(actions->pollSelectedNow(), QStringLiteral("Polling 1 operation now"));
    QVERIFY(d.store.records().at(0).pollRequested);
    actions->toggleWatchingSelected();
    QCOMPARE(d.store.records().at(0).watch, WatchedOperation::Watch::Paused);
    QCOMPARE(d.window.model()->index(0, OperationTableModel::Status).data().toString(),
             QStringLiteral("Not started · paused"));
    // The row is told it changed: the count and the "Needs attention" filter follow.
    QSignalSpy rowChanged(d.window.model(), &QAbstractItemModel::dataChanged);
    QTRY_COMPARE(d.window.sidebar()->countOf(OperationCategory::NeedsAttention), 1);
    QCOMPARE(rowChanged.size(), 1);
    QCOMPARE(rowChanged.first().at(0).toModelIndex().row(), 0);
    d.window.sidebar()->select(OperationCategory::NeedsAttention);
    QCOMPARE(d.window.proxy()->rowCount(), 1);
    d.window.sidebar()->select(OperationCategory::All);
    actions->toggleWatchingSelected();
    QCOMPARE(d.store.records().at(0).watch, WatchedOperation::Watch::Active);
    QTRY_COMPARE(d.window.sidebar()->countOf(OperationCategory::NeedsAttention), 0);

    actions->copySelectedLocations();
    QCOMPARE(QApplication::clipboard()->text(),
             QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, kClone));
    actions->copySelectedJson();
    QCOMPARE(QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8())
                 .object()
                 .value("id")
                 .toString(),
             kClone);

    // Several at once.
    d.window.table()->selectAll();
    QCOMPARE(actions->selected().size(), 3);
    actions->removeSelected();
    QCOMPARE(d.store.records().size(), 0);
    QCOMPARE(d.window.model()->rowCount(), 0);
}

void TestDashboard::exportsTheVisibleRows()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(30));
    d.window.sidebar()->select(OperationCategory::Failed);
    QTemporaryDir dir;
    const QString csvPath = dir.filePath("failed.csv");
    QVERIFY(d.window.actions()->exportVisible(csvPath, false));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.at(0).trimmed(),
             QByteArray("location,id,teamId,operationType,status,attemptsCount,"
                        "errorCode,errorMessage,createdDateTime,"
                        "lastActionDateTime,targetResourceLocation"));
    QVERIFY(
        lines.at(1).contains("InvalidRequest,Tabs cannot be cloned without cloning Apps as well."));
    QVERIFY(lines.at(1).startsWith("/teams('" + kTeam.toUtf8()));
    QCOMPARE(lines.size(), 3); // header, one row, final line break

    d.window.sidebar()->select(OperationCategory::All);
    const QString jsonPath = dir.filePath("all.json");
    QVERIFY(d.window.actions()->exportVisible(jsonPath, true));
    QFile json(jsonPath);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonArray rows = QJsonDocument::fromJson(json.readAll()).array();
    QCOMPARE(rows.size(), 3);
    QSet<QString> statuses;
    for (const QJsonValue &row : rows)
        statuses.insert(row["status"].toString());
    QCOMPARE(statuses, QSet<QString>({"failed", "inProgress"}));
    QVERIFY(!d.window.actions()->exportVisible(dir.filePath("no/such/dir/x.csv"), false));
}

void TestDashboard::shortcutsAndTheDetailsPaneWork()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(60)); // kClone succeeded
    QVERIFY(d.window.selectOperation(d.key(kTeam, kClone)));

    // "Open target…" in the details pane opens the team card, like a double-click.
    QSignalSpy cards(&d.window, &MainWindow::teamCardOpened);
    auto *openTarget = d.window.details()->findChild<QPushButton *>("openTarget");
    QVERIFY(openTarget->isEnabled());
    openTarget->click();
    QCOMPARE(cards.size(), 1);
    cards.first().at(0).value<TeamCardDialog *>()->close();

    // Ctrl+T stops watching, Delete forgets: through the window's shortcuts.
    d.window.table()->setFocus();
    QTest::keyClick(d.window.table(), Qt::Key_T, Qt::ControlModifier);
    QTRY_COMPARE(
        d.poller
            .find(*resolveLocation(QStringLiteral("/teams/%1/operations/%2").arg(kTeam, kClone),
                                   d.sim.base())
                       .ref)
            ->watch,
        WatchedOperation::Watch::Paused);
    QTest::keyClick(d.window.table(), Qt::Key_Delete);
    QTRY_COMPARE(d.store.records().size(), 2);
}

void TestDashboard::notifiesOncePerTerminalTransition()
{
    Dashboard d;
    QSignalSpy notified(d.window.notifier(), &Notifier::notified);
    d.watchAll();
    QCOMPARE(notified.size(), 0);
    d.advance(seconds(30)); // kFails fails
    QCOMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), d.key(kTeam, kFails));
    QVERIFY(notified.at(0).at(1).toString().contains("failed"));
    // Offscreen there is no tray: the notice shows in the window, and its link selects the row.
    QVERIFY(!d.window.notifier()->usesTray());
    Banner *notice = d.window.banner();
    QVERIFY(notice->isVisible() && notice->isAbout(Banner::Topic::Notice));
    QVERIFY2(notice->text().contains("failed"), qPrintable(notice->text()));
    d.window.sidebar()->select(OperationCategory::Succeeded); // hides the failed row...
    emit notice->linkActivated("teamsops:show-notice");
    QCOMPARE(d.window.details()->shownKey(), d.key(kTeam, kFails)); // ...which is shown anyway
    QVERIFY(!notice->isAbout(Banner::Topic::Notice));

    d.advance(seconds(30)); // kClone succeeds
    QCOMPARE(notified.size(), 2);
    d.advance(seconds(60)); // nothing new finishes
    QCOMPARE(notified.size(), 2);

    // Turned off, it stays quiet; a first sighting of a finished operation is never news.
    d.window.notifier()->setEnabled(false);
    d.watch(kTeam, kFails); // already watched: no-op
    QCOMPARE(notified.size(), 2);
}

void TestDashboard::remembersTheHeaderAndSplitters()
{
    QByteArray header;
    {
        Dashboard d;
        QHeaderView *h = d.window.table()->horizontalHeader();
        h->moveSection(h->visualIndex(OperationTableModel::Error), 0);
        h->resizeSection(OperationTableModel::Type, 222);
        h->setSectionHidden(OperationTableModel::LastAction, true);
        d.window.table()->sortByColumn(OperationTableModel::Attempts, Qt::AscendingOrder);
        header = h->saveState();
        d.window.close(); // saves
    }
    Dashboard again;
    QHeaderView *h = again.window.table()->horizontalHeader();
    QCOMPARE(h->visualIndex(OperationTableModel::Error), 0);
    QCOMPARE(h->sectionSize(OperationTableModel::Type), 222);
    QVERIFY(h->isSectionHidden(OperationTableModel::LastAction));
    QCOMPARE(h->sortIndicatorSection(), int(OperationTableModel::Attempts));
    QCOMPARE(h->sortIndicatorOrder(), Qt::AscendingOrder);
    QCOMPARE(h->saveState(), header);
}

void TestDashboard::overviewChipsCountAndFilter()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(30)); // kFails failed, kClone and kArchive in progress
    OverviewStrip *overview = d.window.overview();
    QToolButton *failed = overview->chip(OperationCategory::Failed);
    QToolButton *inProgress = overview->chip(OperationCategory::InProgress);
    QVERIFY2(failed->text().endsWith(" 1"), qPrintable(failed->text()));
    QVERIFY2(inProgress->text().endsWith(" 2"), qPrintable(inProgress->text()));
    QVERIFY(overview->chip(OperationCategory::All)->text().endsWith(" 3"));
    QCOMPARE(overview->findChild<QProgressBar *>("runProgress")->value(), 1);
    QCOMPARE(overview->findChild<QLabel *>("runProgressText")->text(),
             QStringLiteral("1 of 3 finished"));

    // A click on a chip filters the table, and the sidebar says so.
    QTest::mouseClick(failed, Qt::LeftButton);
    QCOMPARE(d.window.proxy()->rowCount(), 1);
    QCOMPARE(d.window.proxy()->index(0, 0).data(OperationTableModel::KeyRole).toString(),
             d.key(kTeam, kFails));
    QCOMPARE(d.window.proxy()->category(), OperationCategory::Failed);
    QVERIFY(failed->isChecked());
    QTest::mouseClick(overview->chip(OperationCategory::All), Qt::LeftButton);
    QCOMPARE(d.window.proxy()->rowCount(), 3);

    // Filtering by type in the sidebar leaves no chip checked: none of them says what is shown.
    auto *sidebar = d.window.findChild<FilterSidebar *>();
    const auto types = sidebar->findItems(QStringLiteral("Archive team (1)"), Qt::MatchExactly);
    QCOMPARE(types.size(), 1);
    sidebar->setCurrentItem(types.first());
    QCOMPARE(d.window.proxy()->rowCount(), 1);
    for (const OperationCategory category : kStatusCategories)
        QVERIFY(!overview->chip(category)->isChecked());
    QVERIFY(!overview->chip(OperationCategory::All)->isChecked());
}

void TestDashboard::overviewSaysTheLastPollError()
{
    Dashboard d;
    d.watchAll();
    auto *health = d.window.overview()->findChild<QLabel *>("pace");
    d.window.overview()->refresh();
    QVERIFY2(health->text().startsWith("Polling at full pace"), qPrintable(health->text()));
    QVERIFY(!health->text().contains("last error"));

    d.sim.server.injectFault(SimFault::answer(QStringLiteral("/operations"), 500, {}, 1));
    d.advance(seconds(31));
    d.window.overview()->refresh();
    QVERIFY2(health->text().endsWith(" · last error 0 s ago"), qPrintable(health->text()));
    QVERIFY2(health->toolTip().contains("500"), qPrintable(health->toolTip()));
    // An hour without another: no longer said.
    for (int i = 0; i < 4; ++i)
        d.advance(minutes(16));
    d.window.overview()->refresh();
    QVERIFY2(!health->text().contains("last error"), qPrintable(health->text()));
}

void TestDashboard::overviewEstimatesTheTimeLeft()
{
    Dashboard d;
    d.watchAll();
    OverviewStrip *overview = d.window.overview();
    // Nothing has finished: no basis for an estimate.
    QVERIFY(!overview->estimate().expectedEnd.isValid());
    QVERIFY2(overview->estimateText().startsWith("No estimate"),
             qPrintable(overview->estimateText()));
    // kFails (a clone) finished after 25 s; kClone, a clone created at 0, is expected to end
    // 25 s after its creation; kArchive has no finished archive to go by.
    d.advance(seconds(30));
    QTRY_VERIFY(overview->estimate().estimated > 0); // estimated a little after a change
    QCOMPARE(overview->estimate().estimated, 1);
    QCOMPARE(overview->estimate().withoutBasis, 1);
    QVERIFY2(overview->estimateText().contains("1 without an estimate"),
             qPrintable(overview->estimateText()));
}

void TestDashboard::tableFirstShowsFifteenRowsWithDetailsOpen()
{
    Dashboard d;
    d.window.resize(1400, 880);
    d.watchAll();
    QVERIFY(d.window.selectOperation(d.key(kTeam, kFails)));
    QVERIFY(d.window.details()->isVisible());
    QTableView *table = d.window.table();
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    QVERIFY2(table->viewport()->height() / rowHeight >= 15,
             qPrintable(QStringLiteral("%1 px for rows of %2 px")
                            .arg(table->viewport()->height())
                            .arg(rowHeight)));
    // The Error column, read first on a failure, is the widest.
    for (int column = 0; column < OperationTableModel::ColumnCount; ++column) {
        if (column != OperationTableModel::Error)
            QVERIFY(table->columnWidth(column) <= table->columnWidth(OperationTableModel::Error) ||
                    column == OperationTableModel::Status);
    }
}

// At 1400×880 a failure's error, what to do about it, and the timeline are read whole in the
// details, none of them in a box that needs scrolling; the table keeps its fifteen rows (above).
void TestDashboard::detailsShowAFailureWholeWithoutScrolling()
{
    Dashboard d;
    d.window.resize(1400, 880);
    d.watchAll();
    d.advance(seconds(30)); // kFails failed
    QVERIFY(d.window.selectOperation(d.key(kTeam, kFails)));
    QCoreApplication::processEvents();
    DetailsPane *details = d.window.details();
    QStringList hidden;
    for (const char *name : {"detailError", "detailHint", "timeline"}) {
        auto *widget = details->findChild<QWidget *>(QLatin1String(name));
        // What is clipped by a scroll area's viewport or by the pane's edge is not in the region.
        if (!widget || !widget->isVisible() ||
            widget->visibleRegion().boundingRect() != widget->rect())
            hidden.append(QLatin1String(name));
    }
    QVERIFY2(hidden.isEmpty(), qPrintable(hidden.join(", ")));
    QVERIFY(details->findChild<QLabel *>("detailError")->text().contains("InvalidRequest"));
    // Without an error there is no empty "Error: none" taking a line.
    QVERIFY(d.window.selectOperation(d.key(kOther, kArchive)));
    QCoreApplication::processEvents();
    QVERIFY(!details->findChild<QWidget *>("detailProblem")->isVisible());
}

void TestDashboard::timelineAgreesWithElapsedAndSaysPlurals()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(30));
    QVERIFY(d.window.selectOperation(d.key(kTeam, kFails)));
    const auto *timeline = d.window.details()->findChild<TimelineWidget *>("timeline");
    const int row = d.window.model()->rowOf(d.key(kTeam, kFails));
    const QString elapsed =
        d.window.model()->index(row, OperationTableModel::Elapsed).data().toString();
    QCOMPARE(elapsed, QStringLiteral("25 s"));
    QVERIFY2(timeline->totalText().startsWith(elapsed + " in all"),
             qPrintable(timeline->totalText()));
    QVERIFY2(timeline->totalText().contains("seen 5 s later"), qPrintable(timeline->totalText()));
    // A screen reader hears what the bar shows.
    QVERIFY2(timeline->accessibleDescription().contains("Failed, 0 s") &&
                 timeline->accessibleDescription().contains(timeline->totalText()),
             qPrintable(timeline->accessibleDescription()));
    const QString polling = d.window.details()->findChild<QLabel *>("detailPolling")->text();
    QVERIFY2(polling.startsWith("2 polls; checked"), qPrintable(polling));
    // The row says how fresh it is.
    const QString tip =
        d.window.model()->index(row, OperationTableModel::Status).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains("Checked 0 s ago"), qPrintable(tip));
    d.sim.clock.advance(seconds(12));
    QVERIFY(d.window.model()
                ->index(row, OperationTableModel::Status)
                .data(Qt::ToolTipRole)
                .toString()
                .contains("Checked 12 s ago"));
}

void TestDashboard::welcomesAFirstStartUntilSomethingIsWatched()
{
    Dashboard d;
    QVERIFY(d.window.isShowingWelcome());
    auto *welcome = d.window.findChild<QWidget *>("welcomePage");
    QVERIFY(welcome->isVisible());
    QVERIFY(!d.window.details()->isVisible());
    // The demo is offered (and asked for by a signal), except in the demo itself.
    auto *demo = d.window.findChild<QPushButton *>("welcomeDemo");
    QVERIFY(demo->isVisible());
    QSignalSpy demoAsked(&d.window, &MainWindow::demoRequested);
    QTest::mouseClick(demo, Qt::LeftButton);
    QCOMPARE(demoAsked.size(), 1);
    d.window.setDemo(true);
    QVERIFY(!demo->isVisible());
    // "Paste Locations" opens the add dialog.
    QTest::mouseClick(d.window.findChild<QPushButton *>("welcomeAdd"), Qt::LeftButton);
    QTRY_VERIFY(d.window.findChild<AddDialog *>() &&
                d.window.findChild<AddDialog *>()->isVisible());
    d.window.findChild<AddDialog *>()->close();

    d.watchAll();
    QVERIFY(!d.window.isShowingWelcome());
    QVERIFY(d.window.table()->isVisible());
    // Everything forgotten: welcome again.
    d.poller.unwatch(QList<OperationRef>{d.store.at(0).ref, d.store.at(1).ref, d.store.at(2).ref});
    QTRY_VERIFY(d.window.isShowingWelcome());
}

void TestDashboard::helpListsShortcutsAndTheEndpoint()
{
    Dashboard d;
    const QString shortcuts = d.window.shortcutsText();
    for (const QKeySequence &key :
         {QKeySequence(QKeySequence::Find), QKeySequence(QKeySequence::Quit),
          QKeySequence(QKeySequence::HelpContents)}) {
        QVERIFY2(shortcuts.contains(key.toString(QKeySequence::NativeText)), qPrintable(shortcuts));
    }
    QVERIFY2(shortcuts.contains("Keyboard shortcuts"), qPrintable(shortcuts));
    const QString about = d.window.aboutText();
    QVERIFY2(about.contains(d.sim.base().toString()), qPrintable(about));
    QVERIFY(about.contains(QStringLiteral("TeamsOps 0.")));
}

void TestDashboard::everyCustomWidgetHasAnAccessibleName()
{
    Dashboard d;
    d.watchAll();
    // TeamsOps' own widgets, and the ones a screen reader lands on first.
    const QStringList named{"overviewStrip",   "filterSidebar", "detailsPane", "welcomePage",
                            "operationsTable", "search",        "banner",      "accountLabel",
                            "timeLeft",        "pace",          "runProgress", "detailJson"};
    QStringList unnamed;
    for (const QString &name : named) {
        auto *widget = d.window.findChild<QWidget *>(name);
        if (!widget || widget->accessibleName().isEmpty())
            unnamed.append(name);
    }
    for (QWidget *widget : d.window.findChildren<QWidget *>()) {
        const QString className = QString::fromLatin1(widget->metaObject()->className());
        if ((className == QLatin1String("TimelineWidget") ||
             className == QLatin1String("OverviewStrip") ||
             className == QLatin1String("FilterSidebar")) &&
            widget->accessibleName().isEmpty())
            unnamed.append(className);
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    // The table speaks the status word, never a colour alone.
    const QModelIndex status = d.window.proxy()->index(0, OperationTableModel::Status);
    QVERIFY(!status.data(Qt::DisplayRole).toString().isEmpty());
    QVERIFY(!status.data(Qt::AccessibleTextRole).isValid() ||
            !status.data(Qt::AccessibleTextRole).toString().isEmpty());
}

void TestDashboard::everyMenuActionIsReachableByKeyboard()
{
    Dashboard d;
    const QStringList unreachable = unreachableByKeyboard(*d.window.menuBar());
    QVERIFY2(unreachable.isEmpty(), qPrintable(unreachable.join(QStringLiteral(" | "))));
}

// Tab walks from pane to pane, not cell by cell through the table; Ctrl+1, 2, 3 and Ctrl+F jump
// to the filters, the table, the details and the search, and F1 lists them.
void TestDashboard::tabLeavesTheTableAndEachPaneHasAShortcut()
{
    Dashboard d;
    d.watchAll();
    QApplication::setActiveWindow(&d.window);
    QVERIFY(QTest::qWaitForWindowActive(&d.window));
    QTableView *table = d.window.table();
    QTest::keyClick(&d.window, Qt::Key_2, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), table);
    table->setCurrentIndex(d.window.proxy()->index(0, 0));
    QTest::keyClick(table, Qt::Key_Tab);
    QVERIFY2(QApplication::focusWidget() != table,
             QApplication::focusWidget()->metaObject()->className());
    QTest::keyClick(&d.window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), d.window.sidebar());
    QTest::keyClick(&d.window, Qt::Key_3, Qt::ControlModifier);
    QVERIFY(d.window.details()->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(&d.window, Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), d.window.findChild<QLineEdit *>("search"));
    const QString listed = d.window.shortcutsText();
    for (const char *name : {"Filters", "Operations table", "Details", "Search"})
        QVERIFY2(listed.contains(QLatin1String(name)), qPrintable(listed));
}

// Remove and stop are taken back with Ctrl+Z or the Undo link of their message: a removed
// operation comes back whole (its history, its polls) and is polled again.
void TestDashboard::undoBringsBackWhatWasRemovedOrStopped()
{
    Dashboard d;
    d.watchAll();
    d.advance(seconds(30)); // kFails failed
    OperationActions *actions = d.window.actions();
    QVERIFY(!actions->undo()->isEnabled());
    const QString failed = d.key(kTeam, kFails);
    const WatchedOperation before = *d.store.find(failed);
    QVERIFY(!before.history.isEmpty());
    QVERIFY(d.window.selectOperation(failed));
    actions->removeSelected();
    QVERIFY(!d.store.find(failed));
    Banner *banner = d.window.banner();
    QVERIFY(banner->isAbout(Banner::Topic::Undo));
    QVERIFY2(banner->text().contains("Forgot 1 operation") && banner->text().contains("Undo"),
             qPrintable(banner->text()));

    QApplication::setActiveWindow(&d.window);
    QVERIFY(QTest::qWaitForWindowActive(&d.window));
    QTest::keyClick(&d.window, Qt::Key_Z, Qt::ControlModifier);
    const WatchedOperation *back = d.store.find(failed);
    QVERIFY(back);
    QCOMPARE(back->history.size(), before.history.size());
    QCOMPARE(back->polls, before.polls);
    QCOMPARE(back->latest->statusRaw, QStringLiteral("failed"));
    QVERIFY(!banner->isAbout(Banner::Topic::Undo));
    QVERIFY(!actions->undo()->isEnabled());
    d.store.flush();
    QTRY_VERIFY(d.window.model()->rowOf(failed) >= 0);

    // Stop, then undo from the message's link: watched again.
    const QString running = d.key(kOther, kArchive);
    QVERIFY(d.window.selectOperation(running));
    actions->toggleWatchingSelected();
    QCOMPARE(d.store.find(running)->watch, WatchedOperation::Watch::Paused);
    QVERIFY2(banner->text().contains("Stopped watching 1 operation"), qPrintable(banner->text()));
    emit banner->linkActivated(QStringLiteral("teamsops:undo"));
    QCOMPARE(d.store.find(running)->watch, WatchedOperation::Watch::Active);
}

// The window opens no larger than the screen it is on, and everything fits the smallest screens
// an admin may have: 1024×700, and 1280×720 logical (2× on 2560×1440).
void TestDashboard::theWindowFitsTheScreenAndSmallScreens()
{
    Dashboard d;
    d.watchAll();
    const QSize screen = d.window.screen()->availableGeometry().size();
    QVERIFY2(d.window.width() <= screen.width() && d.window.height() <= screen.height(),
             qPrintable(QStringLiteral("%1×%2 on %3×%4")
                            .arg(d.window.width())
                            .arg(d.window.height())
                            .arg(screen.width())
                            .arg(screen.height())));
    // With every message up, the minimum stays the same: they float over the table.
    d.window.banner()->showMessage(QStringLiteral("<b>Demo tenant</b> — a long message"),
                                   Banner::Kind::Info, Banner::Topic::Demo);
    d.window.banner()->showMessage(QStringLiteral("Saving fails"), Banner::Kind::Warning,
                                   Banner::Topic::Saving);
    const QSize minimum = d.window.minimumSizeHint();
    for (const QSize small : {QSize(1024, 700), QSize(1280, 720)}) {
        QVERIFY2(
            minimum.width() <= small.width() && minimum.height() <= small.height(),
            qPrintable(QStringLiteral("needs %1×%2").arg(minimum.width()).arg(minimum.height())));
    }
}

// At 1024 px the status bar's segments once ran under each other, cut mid-word ("Graph aske",
// "42 fai"), and the overview's estimate was cut: a text with too little room now ends in "…"
// and says the whole in its tooltip; no two segments overlap; the progress count is never cut.
void TestDashboard::longTextsGiveWayWithoutRunningIntoEachOther()
{
    Dashboard d;
    d.watchAll();
    d.window.resize(1024, 700);
    d.window.pollStatus()->setAccount(
        QStringLiteral("megan.bowen.the.second@contoso-enterprise-tenant.onmicrosoft.com"));
    d.window.findChild<QLabel *>("lastPollLabel")
        ->setText(QStringLiteral("Last poll 17:02:45: 42 of 42 failed — Graph asked to slow down "
                                 "(429 Too Many Requests) for this tenant"));
    d.window.findChild<QLabel *>("timeLeft")
        ->setText(QStringLiteral("Should be over within 3 h 20 min (42 without an estimate yet)"));
    d.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    QCoreApplication::processEvents(); // the layouts take the new texts

    QStringList problems;
    for (QWidget *area : {static_cast<QWidget *>(d.window.statusBar()),
                          static_cast<QWidget *>(d.window.overview())}) {
        QList<QLabel *> shown;
        for (QLabel *label : area->findChildren<QLabel *>()) {
            if (label->isVisible() && !label->text().isEmpty())
                shown.append(label);
        }
        for (QLabel *label : std::as_const(shown)) {
            const bool fits = label->fontMetrics().horizontalAdvance(label->text()) <=
                              label->contentsRect().width();
            auto *elided = qobject_cast<ElidedLabel *>(label);
            if (!fits && !(elided && elided->isElided()))
                problems.append(label->objectName() + QStringLiteral(" is cut: ") + label->text());
            for (QLabel *other : std::as_const(shown)) {
                const QRect a(label->mapTo(area, QPoint(0, 0)), label->size());
                const QRect b(other->mapTo(area, QPoint(0, 0)), other->size());
                if (label < other && a.intersects(b))
                    problems.append(label->objectName() + QStringLiteral(" runs into ") +
                                    other->objectName());
            }
        }
    }
    // The count beside the progress bar is whole.
    auto *progress = d.window.overview()->findChild<QLabel *>("runProgressText");
    QCOMPARE(progress->text(), QStringLiteral("0 of 3 finished"));
    QVERIFY(progress->fontMetrics().horizontalAdvance(progress->text()) <=
            progress->contentsRect().width());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
}

// Short segments once wrote their start times over each other ("17:02:4517:02"): a time that
// would run into the one before it is left out, and every time stays under the bar.
void TestDashboard::theTimelinesTimesNeverRunIntoEachOther()
{
    const QDateTime t0(QDate(2026, 12, 5), QTime(17, 2, 45), Qt::UTC);
    WatchedOperation op;
    Operation latest;
    latest.createdDateTime = t0;
    latest.statusRaw = QStringLiteral("inProgress");
    latest.status = OperationStatus::InProgress;
    op.latest = latest;
    const auto change = [](const QDateTime &at, const char *raw, OperationStatus status) {
        return StatusChange{at, QString::fromLatin1(raw), status, 1, std::nullopt, QString(), {}};
    };
    op.history = {change(t0, "notStarted", OperationStatus::NotStarted),
                  change(t0.addSecs(1), "inProgress", OperationStatus::InProgress)};
    TimelineWidget timeline;
    timeline.resize(420, timeline.sizeHint().height());
    timeline.setOperation(op, t0.addSecs(3600));
    QCOMPARE(timeline.segments().size(), 2);
    const QList<TimelineWidget::TimeLabel> labels = timeline.timeLabels();
    QVERIFY(!labels.isEmpty());
    QCOMPARE(labels.first().text, t0.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    for (qsizetype i = 0; i < labels.size(); ++i) {
        QVERIFY(labels.at(i).rect.right() <= timeline.width());
        for (qsizetype j = i + 1; j < labels.size(); ++j)
            QVERIFY2(!labels.at(i).rect.intersects(labels.at(j).rect),
                     qPrintable(labels.at(i).text + QStringLiteral(" / ") + labels.at(j).text));
    }
    // A long second segment leaves room for its own time.
    op.history.append(change(t0.addSecs(1800), "failed", OperationStatus::Failed));
    timeline.setOperation(op, t0.addSecs(3600));
    QCOMPARE(timeline.timeLabels().size(), 2);
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
