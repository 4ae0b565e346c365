// The dashboard against the simulator over real loopback HTTP, on a manual clock, offscreen.
#include "dialogs/startdialogs.h"
#include "graph/graphclient.h"
#include "panes/detailspane.h"
#include "panes/timelinewidget.h"
#include "polling/operationpoller.h"
#include "simfixture.h"
#include "start/bulkclone.h"
#include "start/teamrequests.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/startjournal.h"
#include "store/storesaver.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"
#include "window/banner.h"
#include "window/mainwindow.h"
#include "window/operationactions.h"
#include "window/startcontroller.h"
#include "window/unansweredstarts.h"
#include "windowonsimulator.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QtTest>

using namespace std::chrono;

static const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
static const QString kClone = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
static const QString kLater = QStringLiteral("2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
static const QString kFails = QStringLiteral("3b2c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e");
static const QString kProduced = QStringLiteral("c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8");

static QJsonObject scenario()
{
    QJsonObject clone = operation(kClone, kTeam, 10, 40);
    clone.insert("produces", QJsonObject{{"id", kProduced},
                                         {"displayName", "Project Fabrikam"},
                                         {"description", "Customer project for Fabrikam"},
                                         {"visibility", "private"},
                                         {"memberCount", 7}});
    QJsonObject fails = operation(kFails, kTeam, 5, 20, "failed");
    fails.insert("error", QJsonObject{{"code", "Conflict"}, {"message", "Name taken."}});
    return QJsonObject{
        {"teams", QJsonArray{team(kTeam, "Template")}},
        {"operations", QJsonArray{clone, operation(kLater, kTeam, 100000, 60), fails}}};
}

struct Dashboard : WindowOnSimulator
{
    QList<QUrl> opened;
    bool browserWorks = true;

    Dashboard()
        : WindowOnSimulator(scenario())
    {
        window.setUrlOpener([this](const QUrl &url) {
            opened.append(url);
            return browserWorks;
        });
        for (const QString &op : {kClone, kLater, kFails})
            poller.watch(refOf(kTeam, op));
        window.show();
    }

    QModelIndex cell(const QString &op, int column) const
    {
        const int sourceRow =
            window.model()->rowOf(QStringLiteral("%1/%2").arg(kTeam, op).toLower());
        return window.proxy()->mapFromSource(window.model()->index(sourceRow, column));
    }
    QString status(const QString &op) const
    {
        return cell(op, OperationTableModel::Status).data().toString();
    }
    bool allRead() const
    {
        const auto &ops = store.records();
        return poller.inFlightRequests() == 0 &&
               std::all_of(ops.cbegin(), ops.cend(),
                           [](const WatchedOperation &o) { return o.latest.has_value(); });
    }
    // Moves time on and waits for every due poll to be answered.
    void advance(seconds by)
    {
        sim.clock.advance(by);
        QVERIFY(poller.inFlightRequests() > 0);                 // something went out...
        QVERIFY(QTest::qWaitFor([this] { return allRead(); })); // ...and came back
        store.flush();
    }
    TeamCardDialog *doubleClick(const QString &op)
    {
        QSignalSpy opened(&window, &MainWindow::teamCardOpened);
        QTableView *table = window.table();
        const QRect rect = table->visualRect(cell(op, OperationTableModel::Status));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        return opened.isEmpty() ? nullptr : opened.first().at(0).value<TeamCardDialog *>();
    }
};

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rowsArriveAndChange();
    void doubleClickShowsTheTeamFromGraph();
    void enterAndTargetCellOpenTheCardToo();
    void anOperationWithoutTargetSaysWhy();
    void aFailedOpenUrlLeavesACopyableLink();
    void membersMayBeHidden();
    void statusBarShowsTheSchedule();
    void restartRestoresTableSelectionAndTimeline();
    void anUndoneRemovalIsSavedAgain();
    void saysWhenSavingFailsAndWhenItWorksAgain();
    void theStartRequestOfARowSurvivesARestart();
    void aStartWhoseAnswerIsLostIsFoundAndWatched();
    void aStartThatDidNotStartIsOfferedAgainAfterARestart();
    void copiesSupportDetailsWithTheRequestIdsAndNoToken();
    void anInterruptedBulkIsResumedFromTheBannerWithNoCloneTwice();
    void whatIsLeftOfAnInterruptedBulkCanBeCancelled();
};

void TestMainWindow::initTestCase()
{
    // closeEvent saves the layout and the selection: never into the real user's settings.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void TestMainWindow::rowsArriveAndChange()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    QTRY_COMPARE(d.window.model()->rowCount(), 3);
    QTRY_VERIFY(d.allRead());
    QCOMPARE(d.status(kClone), QStringLiteral("Not started"));
    QCOMPARE(d.status(kFails), QStringLiteral("Not started"));

    d.advance(seconds(30));
    QCOMPARE(d.status(kClone), QStringLiteral("In progress"));
    QCOMPARE(d.status(kFails), QStringLiteral("Failed"));
    QCOMPARE(d.cell(kFails, OperationTableModel::Error).data().toString(),
             QStringLiteral("Conflict: Name taken."));
    d.advance(seconds(30));
    QCOMPARE(d.status(kClone), QStringLiteral("Succeeded"));
    QCOMPARE(d.cell(kClone, OperationTableModel::Target).data().toString(),
             QStringLiteral("/teams('%1')").arg(kProduced));
    QCOMPARE(d.status(kLater), QStringLiteral("Not started"));
}

void TestMainWindow::doubleClickShowsTheTeamFromGraph()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    QTRY_VERIFY(d.allRead());
    d.advance(seconds(60));
    QCOMPARE(d.status(kClone), QStringLiteral("Succeeded"));
    // The Target column says the team's name once it is known; its location is in the tooltip.
    QTRY_COMPARE(d.cell(kClone, OperationTableModel::Target).data().toString(),
                 QStringLiteral("Project Fabrikam"));
    QVERIFY(d.cell(kClone, OperationTableModel::Target)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("/teams('%1')").arg(kProduced)));
    const int readForTheName =
        d.sim.server.requestCount(QStringLiteral("/teams('%1')").arg(kProduced));
    QCOMPARE(readForTheName, 1); // once, however many polls

    TeamCardDialog *card = d.doubleClick(kClone);
    QVERIFY(card);
    QSignalSpy loaded(card, &TeamCardDialog::loaded);
    QVERIFY(loaded.wait());
    QCOMPARE(card->findChild<QLabel *>("teamName")->text(), QStringLiteral("Project Fabrikam"));
    QCOMPARE(card->findChild<QLabel *>("teamDescription")->text(),
             QStringLiteral("Customer project for Fabrikam"));
    QCOMPARE(card->findChild<QLabel *>("teamVisibility")->text(), QStringLiteral("private"));
    QCOMPARE(card->findChild<QLabel *>("teamArchived")->text(), QStringLiteral("No"));
    QCOMPARE(card->findChild<QLabel *>("teamMembers")->text(), QStringLiteral("7"));
    QCOMPARE(d.sim.server.requestCount(QStringLiteral("/teams('%1')").arg(kProduced)),
             readForTheName + 1);
    QVERIFY(card->findChild<QPushButton *>("openInTeams")->isEnabled());

    // The same row again raises the open card instead of fetching once more.
    QCOMPARE(d.window.openTarget(d.cell(kClone, 0)), card);
    QCOMPARE(d.sim.server.requestCount(QStringLiteral("/teams('%1')").arg(kProduced)),
             readForTheName + 1);

    card->findChild<QPushButton *>("openInTeams")->click();
    QCOMPARE(d.opened.size(), 1);
    QVERIFY(d.opened.first().toString().startsWith("https://teams.microsoft.com/l/team/"));
    QVERIFY(d.opened.first().toString().contains(kProduced));
    QVERIFY(!card->findChild<QLineEdit *>("link")->isVisible());
}

void TestMainWindow::enterAndTargetCellOpenTheCardToo()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    QTRY_VERIFY(d.allRead());
    d.advance(seconds(60));
    QSignalSpy opened(&d.window, &MainWindow::teamCardOpened);

    QTableView *table = d.window.table();
    table->setFocus();
    table->setCurrentIndex(d.cell(kClone, OperationTableModel::Type));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(opened.size(), 1);
    opened.first().at(0).value<TeamCardDialog *>()->close();

    const QRect target = table->visualRect(d.cell(kClone, OperationTableModel::Target));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, target.center());
    QTRY_COMPARE(opened.size(), 2);
    // A click on an empty target cell (no team yet) opens nothing.
    const QRect none = table->visualRect(d.cell(kLater, OperationTableModel::Target));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, none.center());
    QCOMPARE(opened.size(), 2);
}

void TestMainWindow::anOperationWithoutTargetSaysWhy()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    QTRY_VERIFY(d.allRead());
    d.advance(seconds(30));
    const int requestsBefore = d.sim.server.requestCount();

    TeamCardDialog *notStarted = d.doubleClick(kLater);
    QVERIFY(notStarted);
    QVERIFY(!notStarted->isLoading());
    QVERIFY(notStarted->findChild<QLabel *>("message")->text().contains("has not started yet"));
    QVERIFY(!notStarted->findChild<QPushButton *>("openInTeams")->isEnabled());

    TeamCardDialog *failed = d.doubleClick(kFails);
    QVERIFY(failed);
    const QString why = failed->findChild<QLabel *>("message")->text();
    QVERIFY2(why.contains("failed") && why.contains("Conflict: Name taken."), qPrintable(why));
    QVERIFY(!failed->findChild<QPushButton *>("openInTeams")->isEnabled());
    QCOMPARE(d.sim.server.requestCount(), requestsBefore); // nothing was fetched
}

void TestMainWindow::aFailedOpenUrlLeavesACopyableLink()
{
    Dashboard d;
    d.browserWorks = false;
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    QTRY_VERIFY(d.allRead());
    d.advance(seconds(60));
    TeamCardDialog *card = d.doubleClick(kClone);
    QVERIFY(card);
    QSignalSpy loaded(card, &TeamCardDialog::loaded);
    QVERIFY(loaded.wait());

    auto *link = card->findChild<QLineEdit *>("link");
    QVERIFY(!link->isVisible());
    card->findChild<QPushButton *>("openInTeams")->click();
    QCOMPARE(d.opened.size(), 1);
    QVERIFY(link->isVisible());
    QCOMPARE(link->text(), d.opened.first().toString());
    QVERIFY(link->isReadOnly());
    QCOMPARE(link->selectedText(), link->text()); // selected, ready to copy
    QVERIFY(card->findChild<QPushButton *>("copyLink")->isEnabled());
}

void TestMainWindow::membersMayBeHidden()
{
    SimFixture sim(QJsonObject{
        {"teams", QJsonArray{QJsonObject{
                      {"id", kTeam}, {"displayName", "Secret"}, {"membersHidden", true}}}},
        {"operations", QJsonArray{}}});
    GraphClient client(sim.base(), [] { return QStringLiteral("test-token"); });
    WatchedOperation op;
    Operation snapshot;
    snapshot.status = OperationStatus::Succeeded;
    snapshot.statusRaw = QStringLiteral("succeeded");
    snapshot.targetResourceLocation = QStringLiteral("/teams('%1')").arg(kTeam);
    op.latest = snapshot;
    TeamCardDialog card(client, op, [](const QUrl &) { return true; });
    QSignalSpy loaded(&card, &TeamCardDialog::loaded);
    QVERIFY(loaded.wait());
    QCOMPARE(card.findChild<QLabel *>("teamName")->text(), QStringLiteral("Secret"));
    QCOMPARE(card.findChild<QLabel *>("teamMembers")->text(),
             QStringLiteral("unknown (not allowed for this account)"));
}

void TestMainWindow::statusBarShowsTheSchedule()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.window));
    auto *schedule = d.window.findChild<QLabel *>("scheduleLabel");
    auto *lastPoll = d.window.findChild<QLabel *>("lastPollLabel");
    QTRY_VERIFY(lastPoll->text().contains("3 operations read, 3 changed"));
    QTRY_COMPARE(schedule->text(), QStringLiteral("Next poll in 30 s (every 30 s)"));
    Banner *messages = d.window.banner();
    QVERIFY(!messages->isAbout(Banner::Topic::Connection));
    d.poller.setOnline(false);
    QTRY_VERIFY(messages->isAbout(Banner::Topic::Connection));
    QVERIFY(messages->text().contains("Offline"));
    QCOMPARE(schedule->text(), QStringLiteral("Offline: polling paused until the network is back"));
    d.poller.setOnline(true);
    QTRY_VERIFY(!messages->isAbout(Banner::Topic::Connection));
    auto *pace = d.window.findChild<QLabel *>("paceLabel");
    QVERIFY(!pace->isVisible());
    // The three share a team, so they are read with one list of the team's operations.
    d.sim.server.injectFault(SimFault::answer(QStringLiteral("/operations"), 503, "90"));
    d.advance(seconds(30));
    QTRY_VERIFY2(lastPoll->text().contains("failed") && lastPoll->text().contains("503"),
                 qPrintable(lastPoll->text()));
    QVERIFY(d.cell(kClone, OperationTableModel::Error).data().toString().contains("503"));
    // A 503 that names a time to come back is Graph asking for less: the window says so.
    QTRY_VERIFY(pace->isVisible());
    QVERIFY2(pace->text().contains("Graph asked to slow down"), qPrintable(pace->text()));
}

namespace {

// One run of the app on a store file: the pieces app/gui/main.cpp wires, on the test's clock.
struct Session
{
    OperationStore store;
    OperationPoller poller;
    MainWindow window;
    OperationDatabase database;
    std::unique_ptr<StoreSaver> saver;
    std::unique_ptr<StartJournal> journal;

    Session(GraphClient &client, SimFixture &sim, const QString &path)
        : poller(client, sim.clock, store)
        , window(client, poller, sim.clock)
    {
        poller.setInterval(seconds(30));
        if (!database.open(path, OperationDatabase::Access::ReadWrite, milliseconds(50)).ok)
            qFatal("cannot open the test store");
        saver = std::make_unique<StoreSaver>(database, store, sim.clock);
        saver->setRetryInterval(milliseconds(20));
        journal = std::make_unique<StartJournal>(database);
        window.attachStore(*saver, path, journal.get());
    }
    bool allRead() const
    {
        return poller.inFlightRequests() == 0 &&
               std::all_of(store.records().cbegin(), store.records().cend(),
                           [](const WatchedOperation &o) { return o.latest.has_value(); });
    }
};

QString keyOf(const QString &op)
{
    return QStringLiteral("%1/%2").arg(kTeam, op).toLower();
}

} // namespace

// A removal taken back is on disk again, history and all: the next start has it.
void TestMainWindow::anUndoneRemovalIsSavedAgain()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    qsizetype historyBefore = 0;
    {
        Session first(client, sim, path);
        for (const QString &op : {kClone, kFails}) {
            first.poller.watch(
                *resolveLocation(QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, op),
                                 sim.base())
                     .ref);
        }
        QVERIFY(QTest::qWaitFor([&] { return first.allRead(); }));
        sim.clock.advance(seconds(30));
        QVERIFY(QTest::qWaitFor([&] { return first.allRead(); }));
        historyBefore = first.store.find(keyOf(kFails))->history.size();
        QVERIFY(first.window.selectOperation(keyOf(kFails)));
        first.window.actions()->removeSelected();
        QVERIFY(first.saver->saveNow());
        {
            OperationDatabase reader; // what another process would read now
            QVERIFY(reader.open(path, OperationDatabase::Access::ReadOnly).ok);
            QCOMPARE(reader.loadAll()->size(), 1);
        }
        first.window.actions()->undoLast();
        QVERIFY(first.saver->saveNow());
    }
    Session second(client, sim, path);
    QCOMPARE(second.saver->restore(), 2);
    const WatchedOperation *back = second.store.find(keyOf(kFails));
    QVERIFY(back);
    QCOMPARE(back->history.size(), historyBefore);
}

void TestMainWindow::restartRestoresTableSelectionAndTimeline()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    QList<TimelineWidget::Segment> segmentsBefore;
    {
        Session first(client, sim, path);
        for (const QString &op : {kClone, kLater, kFails}) {
            first.poller.watch(
                *resolveLocation(QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, op),
                                 sim.base())
                     .ref);
        }
        first.window.show();
        QVERIFY(QTest::qWaitFor([&] { return first.allRead(); }));
        for (int round = 0; round < 2; ++round) {
            sim.clock.advance(seconds(30));
            QVERIFY(QTest::qWaitFor([&] { return first.allRead(); }));
        }
        QVERIFY(first.window.selectOperation(keyOf(kFails)));
        QCOMPARE(first.window.details()->shownKey(), keyOf(kFails));
        segmentsBefore = first.window.details()->findChild<TimelineWidget *>()->segments();
        QVERIFY(segmentsBefore.size() >= 2); // not started, then failed
        first.window.close();                // saves the layout and the selection
        QVERIFY(first.saver->saveNow());
    }

    Session second(client, sim, path);
    QCOMPARE(second.saver->restore(), 3);
    second.window.show();
    QVERIFY(second.window.restoreSelection());
    QCOMPARE(second.window.model()->rowCount(), 3);
    QCOMPARE(second.window.currentKey(), keyOf(kFails));
    QCOMPARE(second.window.details()->shownKey(), keyOf(kFails));
    const int row = second.window.model()->rowOf(keyOf(kFails));
    QCOMPARE(second.window.model()->index(row, OperationTableModel::Status).data().toString(),
             QStringLiteral("Failed"));
    QCOMPARE(second.window.model()->index(row, OperationTableModel::Error).data().toString(),
             QStringLiteral("Conflict: Name taken."));
    const QList<TimelineWidget::Segment> segmentsAfter =
        second.window.details()->findChild<TimelineWidget *>()->segments();
    QCOMPARE(segmentsAfter.size(), segmentsBefore.size());
    for (qsizetype i = 0; i < segmentsAfter.size(); ++i) {
        QCOMPARE(segmentsAfter[i].label, segmentsBefore[i].label);
        QCOMPARE(segmentsAfter[i].from, segmentsBefore[i].from);
    }
    // Polling resumes where it left off: the unfinished one is asked for again, the finished
    // ones are not.
    const int laterReads = sim.server.requestCount(kLater);
    const int failsReads = sim.server.requestCount(kFails);
    sim.clock.advance(seconds(30));
    QTRY_VERIFY(sim.server.requestCount(kLater) > laterReads);
    QCOMPARE(sim.server.requestCount(kFails), failsReads);
}

void TestMainWindow::saysWhenSavingFailsAndWhenItWorksAgain()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    Session session(client, sim, path);
    session.window.show();
    auto *banner = session.window.findChild<Banner *>(QStringLiteral("banner"));
    QVERIFY(banner);

    // Another process holds the file's write lock for longer than the busy timeout.
    QSqlDatabase blocker =
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("blocker"));
    blocker.setDatabaseName(path);
    QVERIFY(blocker.open());
    QVERIFY(QSqlQuery(blocker).exec(QStringLiteral("BEGIN EXCLUSIVE")));
    QSignalSpy failed(session.saver.get(), &StoreSaver::savingFailed);
    session.poller.watch(
        *resolveLocation(QStringLiteral("/teams('%1')/operations('%2')").arg(kTeam, kClone),
                         sim.base())
             .ref);
    QVERIFY(failed.wait());
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("Saving fails")), qPrintable(banner->text()));
    QCOMPARE(session.window.model()->rowCount(), 1); // watching goes on

    QVERIFY(QSqlQuery(blocker).exec(QStringLiteral("ROLLBACK")));
    blocker.close();
    blocker = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(!session.saver->isFailing());
    QCOMPARE(session.database.count().value_or(-1), 1);
}

// A clone started from the dashboard is in the store's journal before it is sent; after a
// restart its row still names the client-request-id the simulator received, and Graph's
// request-id, in the details.
void TestMainWindow::theStartRequestOfARowSurvivesARestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    QString key;
    {
        Session first(client, sim, path);
        first.window.show();
        QSignalSpy finished(first.window.starts(), &StartController::startsFinished);
        QString problem;
        first.window.starts()->startRequests(
            {cloneRequest({kTeam, QStringLiteral("Kept ids"), {}, {}, {}, {}}, problem)});
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(first.store.size(), 1);
        key = first.store.at(0).key;
        QVERIFY(first.saver->saveNow());
    }
    SimRequestRecord post;
    for (const SimRequestRecord &record : sim.server.requests()) {
        if (record.method == "POST")
            post = record;
    }
    QVERIFY(!post.clientRequestId.isEmpty());

    Session second(client, sim, path);
    QCOMPARE(second.saver->restore(), 1);
    second.store.flush();
    QCOMPARE(second.store.at(0).startClientRequestId, QString::fromLatin1(post.clientRequestId));
    QCOMPARE(second.store.at(0).startRequestId, QString::fromLatin1(post.requestId));
    second.window.show();
    QVERIFY(second.window.selectOperation(key));
    const QString shown =
        second.window.details()->findChild<QLabel *>("detailStartRequest")->text();
    QVERIFY2(shown.contains(QString::fromLatin1(post.clientRequestId)), qPrintable(shown));
}

namespace {

int postsTo(const SimFixture &sim)
{
    int posts = 0;
    for (const SimRequestRecord &record : sim.server.requests())
        posts += record.method == "POST" ? 1 : 0;
    return posts;
}

} // namespace

// The connection closes once Graph has taken the clone: the dashboard looks at Graph instead of
// calling it refused, finds the operation and watches it; one POST.
void TestMainWindow::aStartWhoseAnswerIsLostIsFoundAndWatched()
{
    QTemporaryDir dir;
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    // The scenario's clones of the template were made minutes earlier: not taken for this one.
    sim.clock.advance(seconds(180));
    Session session(client, sim, dir.filePath(QStringLiteral("operations.sqlite")));
    session.window.show();
    SimFault lost;
    lost.method = "POST";
    lost.kind = QStringLiteral("close");
    lost.times = 1;
    sim.server.injectFault(lost);
    QSignalSpy finished(session.window.starts(), &StartController::startsFinished);
    QString problem;
    session.window.starts()->startRequests(
        {cloneRequest({kTeam, QStringLiteral("Answer lost"), {}, {}, {}, {}}, problem)});
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(1).toStringList(), QStringList()); // not called refused
    QTRY_COMPARE(session.store.size(), 1); // the clone, found at the first look
    const WatchedOperation *clone = nullptr;
    for (const WatchedOperation &row : session.store.records()) {
        if (row.startedHere)
            clone = &row;
    }
    QVERIFY(clone);
    QCOMPARE(sim.tenant.operation(clone->ref.teamId, clone->ref.operationId)->type,
             QStringLiteral("cloneTeam"));
    QCOMPARE(postsTo(sim), 1);
    QVERIFY(!session.window.banner()->isAbout(Banner::Topic::Starts));
}

// A clone whose connection closed before Graph served it, and TeamsOps closed before it knew:
// the next run looks through the grace period, says it did not start, and sends it again only
// when the admin says so.
void TestMainWindow::aStartThatDidNotStartIsOfferedAgainAfterARestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    sim.clock.advance(seconds(180)); // the scenario's clones are older than this one
    {
        Session first(client, sim, path);
        SimFault lost;
        lost.method = "POST";
        lost.kind = QStringLiteral("lost");
        lost.times = 1;
        sim.server.injectFault(lost);
        QSignalSpy finished(first.window.starts(), &StartController::startsFinished);
        QString problem;
        first.window.starts()->startRequests(
            {cloneRequest({kTeam, QStringLiteral("Never taken"), {}, {}, {}, {}}, problem)});
        QTRY_COMPARE(finished.size(), 1);
    } // closed while it was still looking
    QCOMPARE(postsTo(sim), 1);

    {
        Session second(client, sim, path);
        second.window.show();
        Banner *banner = second.window.banner();
        for (int step = 0; step < 60 && !banner->isAbout(Banner::Topic::Starts); ++step) {
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return banner->isAbout(Banner::Topic::Starts) ||
                           second.window.starts()->unanswered()->isWaitingToLookAgain();
                },
                5000));
            if (!banner->isAbout(Banner::Topic::Starts))
                sim.clock.advance(seconds(10));
        }
        QVERIFY2(banner->text().contains("did not start") && banner->text().contains("Never taken"),
                 qPrintable(banner->text()));
    }                          // closed without sending it
    QCOMPARE(postsTo(sim), 1); // looked at, not sent

    // The next run offers it at once: decided already, nothing to look at again.
    const qsizetype requestsBefore = sim.server.requests().size();
    {
        Session third(client, sim, path);
        third.window.show();
        Banner *banner = third.window.banner();
        QTRY_VERIFY(banner->isAbout(Banner::Topic::Starts));
        QVERIFY2(banner->text().contains("Never taken"), qPrintable(banner->text()));
        QSignalSpy finished(third.window.starts(), &StartController::startsFinished);
        emit banner->linkActivated(QStringLiteral("teamsops:send-again"));
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toInt(), 1);
    }
    QCOMPARE(postsTo(sim), 2);
    QCOMPARE(sim.tenant.operationsOf(kTeam).size(), 4); // the scenario's three, and this one
    // Sent again under the client-request-id it was first sent with: one start, one record.
    QList<QByteArray> ids;
    for (const SimRequestRecord &record : sim.server.requests().mid(requestsBefore)) {
        if (record.method == "POST")
            ids.append(record.clientRequestId);
    }
    QCOMPARE(ids.size(), 1);
    OperationDatabase database;
    QVERIFY(database.open(path).ok);
    StartJournal journal(database);
    const std::optional<StartRecord> sent = journal.find(QString::fromLatin1(ids.first()));
    QVERIFY(sent);
    QCOMPARE(sent->state, StartRecord::State::Accepted);
    QCOMPARE(journal.singlesToFinish()->size(), 0); // nothing for another run to offer again
}

void TestMainWindow::copiesSupportDetailsWithTheRequestIdsAndNoToken()
{
    QTemporaryDir dir;
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    Session session(client, sim, dir.filePath(QStringLiteral("operations.sqlite")));
    session.window.show();
    QSignalSpy finished(session.window.starts(), &StartController::startsFinished);
    QString problem;
    session.window.starts()->startRequests(
        {cloneRequest({kTeam, QStringLiteral("Supported"), {}, {}, {}, {}}, problem)});
    QTRY_COMPARE(finished.size(), 1);
    QTRY_VERIFY(session.store.size() == 1 && session.store.at(0).latest.has_value());
    QVERIFY(session.window.selectOperation(session.store.at(0).key));
    QApplication::clipboard()->clear();
    QTest::mouseClick(session.window.details()->findChild<QPushButton *>("copySupport"),
                      Qt::LeftButton);
    const QString copied = QApplication::clipboard()->text();
    const QJsonObject bundle = QJsonDocument::fromJson(copied.toUtf8()).object();
    QCOMPARE(bundle.value("startRequest").toObject().value("clientRequestId").toString(),
             session.store.at(0).startClientRequestId);
    QCOMPARE(bundle.value("operation").toObject().value("id").toString(),
             session.store.at(0).ref.operationId);
    QVERIFY2(!copied.contains("test-token") && !copied.contains("Bearer"), qPrintable(copied));
}

// A bulk clone of three, and TeamsOps gone while Graph held the second's answer: the next run
// finds the second at Graph, says the bulk was interrupted, and "Resume" sends only the third.
void TestMainWindow::anInterruptedBulkIsResumedFromTheBannerWithNoCloneTwice()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    sim.clock.advance(seconds(180)); // the scenario's clones are older than these
    const auto sending = [](const BulkCloner *bulk) {
        return std::any_of(bulk->items().cbegin(), bulk->items().cend(), [](const auto &item) {
            return item.state == BulkCloner::Item::State::Sending;
        });
    };
    {
        Session first(client, sim, path);
        first.window.show();
        CloneDialog *dialog = first.window.starts()->openCloneDialog();
        dialog->setSource(kTeam);
        dialog->setMany(true, 3);
        dialog->setDisplayName(QStringLiteral("Bulk {n}"));
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);
        BulkCloner *bulk = dialog->bulk();
        QVERIFY(bulk);
        QTRY_VERIFY(!sending(bulk) && bulk->accepted() == 1);
        SimFault held;
        held.method = "POST";
        held.kind = QStringLiteral("hang");
        held.times = 1;
        sim.server.injectFault(held);
        // The bulk's pace, and its team's (which a read of the team's name may take a place
        // of): time moves on until the second POST went out.
        for (int step = 0; step < 20 && sim.server.requestsHeld() == 0; ++step) {
            QTRY_VERIFY(client.requestsInFlight() == 0 || sim.server.requestsHeld() == 1);
            sim.clock.advance(milliseconds(100));
        }
        QTRY_COMPARE(sim.server.requestsHeld(), 1);
    } // gone while the second's answer is held
    QCOMPARE(postsTo(sim), 2);

    Session second(client, sim, path);
    second.window.show();
    Banner *banner = second.window.banner();
    QTRY_VERIFY2(banner->isAbout(Banner::Topic::Starts) &&
                     banner->text().contains("A bulk clone was interrupted"),
                 qPrintable(banner->text()));
    QVERIFY2(banner->text().contains("1 of 3 clones left"), qPrintable(banner->text()));
    QCOMPARE(second.store.size(), 1); // the second, found at Graph and watched
    const QString link = banner->text().section(QStringLiteral("href=\""), 1).section('"', 0, 0);
    QVERIFY2(link.startsWith("teamsops:resume-plan:"), qPrintable(link));
    emit banner->linkActivated(link);
    CloneDialog *resumed = second.window.starts()->unanswered()->resumedPlanDialog();
    QVERIFY(resumed);
    BulkCloner *bulk = resumed->bulk();
    // Time moves while the bulk waits (its pace, or a Retry-After), never while it sends.
    for (int step = 0; step < 100 && bulk->isRunning(); ++step) {
        QTRY_VERIFY(!bulk->isRunning() || bulk->isWaiting());
        if (bulk->isRunning())
            sim.clock.advance(milliseconds(400));
    }
    QVERIFY2(resumed->progressText().startsWith("3 of 3 sent: 3 accepted"),
             qPrintable(resumed->progressText()));
    // Three requests taken, three client-request-ids: a 429 (Graph's clone limit, here at once
    // after the resolver's reads) is the same request sent again after its Retry-After.
    QSet<QByteArray> taken;
    QSet<QByteArray> ids;
    for (const SimRequestRecord &record : sim.server.requests()) {
        if (record.method != "POST")
            continue;
        ids.insert(record.clientRequestId);
        if (record.status == 202)
            taken.insert(record.clientRequestId);
    }
    QCOMPARE(taken.size(), 3);
    QCOMPARE(ids.size(), 3);
    QStringList made;
    for (const SimOperation *op : sim.tenant.operationsOf(kTeam)) {
        if (op->producesTeam && op->producesTeam->displayName.startsWith("Bulk"))
            made.append(op->producesTeam->displayName);
    }
    made.sort();
    QCOMPARE(made, (QStringList{"Bulk 1", "Bulk 2", "Bulk 3"}));
    QTRY_COMPARE(second.store.size(), 2); // and the third is watched too
}

// "Cancel what is left": the clones not sent yet are marked so in the store, and none is sent.
void TestMainWindow::whatIsLeftOfAnInterruptedBulkCanBeCancelled()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    SimFixture sim{scenario()};
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    {
        OperationDatabase database;
        QVERIFY(database.open(path).ok);
        StartJournal journal(database);
        QList<StartRecord> plan;
        for (int i = 0; i < 2; ++i) {
            QString problem;
            const TeamRequest request = cloneRequest(
                {kTeam, QStringLiteral("Left %1").arg(i + 1), {}, {}, {}, {}}, problem);
            StartRecord waiting;
            waiting.clientRequestId = QStringLiteral("left-%1").arg(i);
            waiting.kind = QStringLiteral("clone");
            waiting.teamId = kTeam;
            waiting.path = request.path;
            waiting.body = QJsonDocument(request.body).toJson(QJsonDocument::Compact);
            waiting.label = request.label;
            waiting.planId = QStringLiteral("plan-1");
            waiting.planPosition = i;
            plan.append(waiting);
        }
        QVERIFY(journal.recordPlan(plan));
    }
    Session session(client, sim, path);
    session.window.show();
    Banner *banner = session.window.banner();
    QTRY_VERIFY2(banner->text().contains("2 of 2 clones left"), qPrintable(banner->text()));
    emit banner->linkActivated(QStringLiteral("teamsops:cancel-plan:plan-1"));
    QVERIFY(!banner->isAbout(Banner::Topic::Starts));
    const auto starts = session.journal->planStarts(QStringLiteral("plan-1"));
    QCOMPARE(starts->size(), 2);
    for (const StartRecord &start : *starts) {
        QCOMPARE(start.state, StartRecord::State::Refused);
        QCOMPARE(start.message, QStringLiteral("cancelled before it was sent"));
    }
    QCOMPARE(postsTo(sim), 0);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
