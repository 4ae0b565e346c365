// Starting operations from the dashboard, offscreen, against the simulator over real HTTP: the
// clone dialog's rules, team list and request preview; a started clone or create watched at
// once; archive with a confirmation that names the teams; refusals said in a banner.
#include "dialogs/startdialogs.h"
#include "dialogs/teamcarddialog.h"
#include "graph/graphclient.h"
#include "graph/teamnames.h"
#include "i18n/translations.h"
#include "modaldialogs.h"
#include "panes/detailspane.h"
#include "polling/operationpoller.h"
#include "polling/teamoperations.h"
#include "simfixture.h"
#include "start/bulkclone.h"
#include "start/clonereadinesstracker.h"
#include "store/operationstore.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"
#include "window/mainwindow.h"
#include "window/notifier.h"
#include "window/startcontroller.h"
#include "windowonsimulator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace std::chrono;

namespace {

const QString kTemplate = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
const QString kOther = QStringLiteral("0b7e9c1d-2a3f-4e5b-8c6d-7e8f9a0b1c2d");
const QString kRunning = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
const QString kEveryone = QStringLiteral("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b");
const QString kGroup = QStringLiteral("6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c");

// The template has four channels; a clone's channels come one every 50 s after it succeeded.
QJsonObject scenario()
{
    QJsonObject source = team(kTemplate, "Template");
    source.insert("channels", QJsonArray{"General", "Design", "Build", "Ship"});
    return QJsonObject{
        {"teams", QJsonArray{source, team(kOther, "Marketing")}},
        {"groups", QJsonArray{QJsonObject{{"id", kGroup}, {"displayName", "Design group"}}}},
        {"operations", QJsonArray{operation(kRunning, kOther, 1, 100000)}},
        {"cloneSettleSeconds", 200}};
}

struct Window : WindowOnSimulator
{
    Window()
        : WindowOnSimulator(scenario())
    {
        window.show();
    }
    QPushButton *ok(QDialog *dialog) const
    {
        return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }
    QString problem(QDialog *dialog) const
    {
        return dialog->findChild<QLabel *>("requestProblem")->text();
    }
    // Watches Marketing's running operation and selects it once read.
    void selectTheRunningOperation()
    {
        poller.watch(
            *resolveLocation(QStringLiteral("/teams('%1')/operations('%2')").arg(kOther, kRunning),
                             sim.base())
                 .ref);
        QTRY_VERIFY(store.size() == 1 && store.at(0).latest.has_value());
        QVERIFY(window.selectOperation(store.at(0).key));
    }
};

} // namespace

class TestStartWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cloneDialogKeepsGraphsRulesAndShowsTheRequest();
    void aStartedCloneIsWatchedAtOnce();
    void theDetailsNameTheStartRequestForSupport();
    void aCreatedTeamIsWatchedToo();
    void aTeamFromAGroupIsWatchedToo();
    void aBulkCloneShowsProgressWatchesEachAndRetriesTheRefused();
    void aStartedClonesReadinessShowsInTheTableAndDetails();
    void archiveNamesTheTeamsFirst();
    void theCloneDialogNamesItsSourceAndNamesOutliveARestart();
    void aChannelIsArchivedFromTheTeamCard();
    void refusalsAreSaidInABanner();
    void anOrgWideTeamIsRefusedBeforeSendingOnceGraphSaidSo();
};

void TestStartWindow::cloneDialogKeepsGraphsRulesAndShowsTheRequest()
{
    Window w;
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    QTRY_COMPARE(dialog->teamCount(), 2); // /me/joinedTeams answered
    auto *source = dialog->findChild<QComboBox *>("cloneSource");
    QVERIFY(source->itemText(0).contains("Marketing")); // by name
    QVERIFY(!w.ok(dialog)->isEnabled());
    QVERIFY(w.problem(dialog).contains("pick or paste the source team"));

    source->setCurrentIndex(source->findData(kTemplate));
    QVERIFY(w.problem(dialog).contains("display name is required"));
    dialog->findChild<QLineEdit *>("cloneName")->setText(QStringLiteral("Project 7"));
    QVERIFY(w.ok(dialog)->isEnabled());

    // Ticking tabs brings apps and channels; dropping channels drops tabs.
    auto *tabs = dialog->findChild<QCheckBox *>("clonePart-tabs");
    auto *apps = dialog->findChild<QCheckBox *>("clonePart-apps");
    auto *channels = dialog->findChild<QCheckBox *>("clonePart-channels");
    tabs->click();
    QVERIFY(apps->isChecked() && channels->isChecked());
    QVERIFY(dialog->preview().contains("\"partsToClone\": \"apps,tabs,channels\""));
    channels->click();
    QVERIFY(!tabs->isChecked());
    QVERIFY(dialog->preview().contains("\"partsToClone\": \"apps\""));

    // The preview is the request, to the configured Graph.
    const QString preview = dialog->preview();
    QVERIFY2(
        preview.startsWith("POST " + w.sim.base().toString() + "/teams/" + kTemplate + "/clone"),
        qPrintable(preview));
    QVERIFY(preview.contains("\"displayName\": \"Project 7\""));

    // A pasted URL names its team; text that names none says so.
    source->setEditText(w.sim.base().toString() + "/teams/" + kOther);
    QVERIFY(w.ok(dialog)->isEnabled());
    QVERIFY(dialog->preview().contains("/teams/" + kOther + "/clone"));
    source->setEditText(QStringLiteral("not a team"));
    QVERIFY(!w.ok(dialog)->isEnabled());
    QVERIFY2(w.problem(dialog).contains("names no team"), qPrintable(w.problem(dialog)));
    dialog->reject();
}

void TestStartWindow::aStartedCloneIsWatchedAtOnce()
{
    Window w;
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    dialog->setSource(kTemplate);
    dialog->setDisplayName(QStringLiteral("Project 8"));
    QTest::mouseClick(w.ok(dialog), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toInt(), 1);
    QCOMPARE(w.store.size(), 1);
    // The row is the operation the simulator made, and it is selected.
    const WatchedOperation &row = w.store.at(0);
    const SimOperation *made = w.sim.tenant.operation(kTemplate, row.ref.operationId);
    QVERIFY(made);
    QCOMPARE(made->producesTeam->displayName, QStringLiteral("Project 8"));
    QCOMPARE(w.window.currentKey(), row.key);
    QVERIFY(row.startedHere); // "Requested" until its first status (tst_operationtablemodel)
    QTRY_VERIFY(w.store.at(0).latest.has_value()); // then its real status
}

// The ids Microsoft support asks for, in the details of an operation started here: the
// client-request-id the POST carried and the request-id Graph answered it with.
void TestStartWindow::theDetailsNameTheStartRequestForSupport()
{
    Window w;
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    dialog->setSource(kTemplate);
    dialog->setDisplayName(QStringLiteral("Project 9"));
    QTest::mouseClick(w.ok(dialog), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 1);
    QList<SimRequestRecord> posts;
    for (const SimRequestRecord &record : w.sim.server.requests()) {
        if (record.method == "POST")
            posts.append(record);
    }
    QCOMPARE(posts.size(), 1);
    const SimRequestRecord post = posts.first();
    QVERIFY(!post.clientRequestId.isEmpty());
    QTRY_COMPARE(w.window.currentKey(), w.store.at(0).key);
    auto *shown = w.window.details()->findChild<QLabel *>("detailStartRequest");
    QVERIFY(shown);
    QTRY_VERIFY2(shown->text().contains(QString::fromLatin1(post.clientRequestId)),
                 qPrintable(shown->text()));
    QVERIFY2(shown->text().contains(QString::fromLatin1(post.requestId)),
             qPrintable(shown->text()));

    // An operation watched from its Location was not started here: nothing to name.
    w.poller.watch(w.refOf(kOther, kRunning));
    QTRY_VERIFY(w.window.selectOperation(w.refOf(kOther, kRunning).key()));
    QTRY_VERIFY2(shown->text().contains("not started from this TeamsOps"),
                 qPrintable(shown->text()));
}

void TestStartWindow::aStartedClonesReadinessShowsInTheTableAndDetails()
{
    Window w;
    w.window.starts()->readiness()->setSpacing(seconds(60));
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    QSignalSpy notified(w.window.notifier(), &Notifier::notified);
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    dialog->setSource(kTemplate);
    dialog->setDisplayName(QStringLiteral("Settling team"));
    dialog->findChild<QCheckBox *>("clonePart-channels")->click();
    QTest::mouseClick(w.ok(dialog), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 1);
    const QString key = w.store.at(0).key;
    const auto statusText = [&w, &key] {
        return w.window.model()
            ->index(w.window.model()->rowOf(key), OperationTableModel::Status)
            .data()
            .toString();
    };
    QTRY_VERIFY(w.store.at(0).latest.has_value());
    QVERIFY(!statusText().contains("·")); // nothing to say before it succeeded

    // A round's reads are paced within the new team's budget (4 channels' folders and more on
    // one team): time moves on a little until they all went.
    const auto advance = [&w](seconds by) {
        w.sim.clock.advance(by);
        for (int step = 0; step < 6; ++step) {
            QTRY_COMPARE(w.client.requestsInFlight(), 0);
            w.sim.clock.advance(milliseconds(500));
        }
    };
    // Graph says succeeded at 65 s; one channel comes every 50 s after. The table says what is
    // missing, the details every step.
    advance(seconds(91));
    QTRY_COMPARE(statusText(),
                 QStringLiteral("Succeeded · Channels 1 of 4, files 0 of 4 — still settling"));
    QTRY_COMPARE(w.window.details()->note(),
                 QStringLiteral("Team readable · Channels 1 of 4 · Files 0 of 4 · Owners 1 — "
                                "still settling"));
    for (int i = 0; i < 6 && !statusText().endsWith("Ready"); ++i) {
        advance(seconds(57));
        QTRY_VERIFY(w.window.starts()->readiness()->readiness(key)->checks > i + 1);
    }
    QTRY_COMPARE(statusText(), QStringLiteral("Succeeded · Ready"));
    // The notice names the new team and its source, not a GUID.
    QTRY_VERIFY(std::any_of(notified.cbegin(), notified.cend(), [](const QList<QVariant> &args) {
        return args.at(1).toString() == QStringLiteral("“Settling team” is ready") &&
               args.at(2).toString() ==
                   QStringLiteral("Every channel and app of “Template” is there");
    }));
    const auto succeeded =
        std::find_if(notified.cbegin(), notified.cend(), [](const QList<QVariant> &args) {
            return args.at(1).toString().endsWith("succeeded");
        });
    QVERIFY(succeeded != notified.cend());
    QVERIFY2(succeeded->at(2).toString().startsWith(QStringLiteral("from “Template”")),
             qPrintable(succeeded->at(2).toString()));
}

void TestStartWindow::aBulkCloneShowsProgressWatchesEachAndRetriesTheRefused()
{
    Window w;
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    dialog->setSource(kTemplate);
    dialog->setMany(true, 5);
    QVERIFY(!w.ok(dialog)->isEnabled()); // no pattern yet
    dialog->setDisplayName(QStringLiteral("Project"));
    QVERIFY2(w.problem(dialog).contains("{n}"), qPrintable(w.problem(dialog)));
    dialog->setDisplayName(QStringLiteral("Project {n}"));
    QVERIFY(w.ok(dialog)->isEnabled());
    QVERIFY(dialog->preview().contains("\"displayName\": \"Project 1\""));
    QVERIFY(dialog->preview().contains("and 4 more like it"));

    // Graph refuses two for a moment; the others go through and are watched at once.
    w.sim.server.injectFault(SimFault::answer(QStringLiteral("/clone"), 400, {}, 2));
    QTest::mouseClick(w.ok(dialog), Qt::LeftButton);
    QVERIFY(dialog->isVisible()); // it stays, to show the progress
    BulkCloner *bulk = dialog->bulk();
    QVERIFY(bulk);
    for (int step = 0; step < 200 && bulk->isRunning(); ++step) {
        w.sim.clock.advance(milliseconds(400)); // the pace is on the window's clock
        QTRY_VERIFY(std::none_of(bulk->items().cbegin(), bulk->items().cend(), [](const auto &i) {
            return i.state == BulkCloner::Item::State::Sending;
        }));
    }
    QVERIFY(!bulk->isRunning());
    QVERIFY2(dialog->progressText().startsWith("5 of 5 sent: 3 accepted, 2 refused"),
             qPrintable(dialog->progressText()));
    QCOMPARE(dialog->refusedLines().size(), 2);
    QVERIFY(dialog->refusedLines().first().contains("Graph refused the request"));
    QTRY_COMPARE(w.store.size(), 3);

    dialog->retryRefused();
    for (int step = 0; step < 200 && bulk->isRunning(); ++step) {
        w.sim.clock.advance(milliseconds(400));
        QTRY_VERIFY(std::none_of(bulk->items().cbegin(), bulk->items().cend(), [](const auto &i) {
            return i.state == BulkCloner::Item::State::Sending;
        }));
    }
    QVERIFY2(dialog->progressText().startsWith("5 of 5 sent: 5 accepted, 0 refused"),
             qPrintable(dialog->progressText()));
    QTRY_COMPARE(w.store.size(), 5);
    QCOMPARE(w.sim.tenant.operationsOf(kTemplate).size(), 5); // none twice
    // Each row keeps the client-request-id of the POST that started it, as the simulator got it.
    QSet<QByteArray> sent;
    for (const SimRequestRecord &record : w.sim.server.requests()) {
        if (record.method == "POST" && record.status == 202)
            sent.insert(record.clientRequestId);
    }
    QCOMPARE(sent.size(), 5);
    for (const WatchedOperation &row : w.store.records())
        QVERIFY(sent.contains(row.startClientRequestId.toLatin1()));
    dialog->reject();
}

void TestStartWindow::aTeamFromAGroupIsWatchedToo()
{
    Window w;
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    whenModalOpens([](QWidget *modal) {
        modal->findChild<QLineEdit *>()->setText(kGroup);
        static_cast<QDialog *>(modal)->accept();
    });
    w.window.findChild<QAction *>("teamFromGroup")->trigger();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toInt(), 1);
    QCOMPARE(w.store.size(), 1);
    QCOMPARE(w.store.at(0).ref.teamId, kGroup);
    QCOMPARE(w.sim.tenant.operation(kGroup, w.store.at(0).ref.operationId)->type,
             QStringLiteral("teamifyGroup"));
}

void TestStartWindow::aCreatedTeamIsWatchedToo()
{
    Window w;
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    CreateTeamDialog *dialog = w.window.starts()->openCreateTeamDialog();
    QVERIFY(!w.ok(dialog)->isEnabled());
    dialog->setDisplayName(QStringLiteral("Brand new"));
    QVERIFY(dialog->findChild<QPlainTextEdit *>("requestPreview")
                ->toPlainText()
                .contains("teamsTemplates('standard')"));
    QTest::mouseClick(w.ok(dialog), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(w.store.size(), 1);
    QCOMPARE(w.sim.tenant.operation(w.store.at(0).ref.teamId, w.store.at(0).ref.operationId)->type,
             QStringLiteral("createTeam"));
}

void TestStartWindow::archiveNamesTheTeamsFirst()
{
    Window w;
    w.selectTheRunningOperation();
    QCOMPARE(w.window.starts()->selectedTeams(), QStringList{kOther});
    // Looking at it reads its team's name, for what may follow.
    QTRY_COMPARE(w.window.starts()->teamNames()->nameOfTeam(kOther), QStringLiteral("Marketing"));
    // The details say it too, the id in the tooltip.
    auto *team = w.window.details()->findChild<QLabel *>("detailTeam");
    QTRY_COMPARE(team->text(), QStringLiteral("Marketing"));
    QCOMPARE(team->toolTip(), kOther);

    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    QString named, ids;
    whenModalOpens([&named, &ids](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        named = box->informativeText();
        ids = box->detailedText();
        box->checkBox()->setChecked(true); // the SharePoint site read-only for members
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    });
    w.window.starts()->confirmArchive(true);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(named, QStringLiteral("“Marketing”")); // as the table names it; the id beneath
    QVERIFY2(ids.contains(QStringLiteral("Marketing — ") + kOther), qPrintable(ids));
    QCOMPARE(finished.first().at(0).toInt(), 1);
    QCOMPARE(w.store.size(), 2); // the archive, watched beside the operation it came from
    const QList<const SimOperation *> ofTeam = w.sim.tenant.operationsOf(kOther);
    QVERIFY(std::any_of(ofTeam.cbegin(), ofTeam.cend(),
                        [](const SimOperation *op) { return op->type == "archiveTeam"; }));

    // Cancelled: nothing is sent.
    whenModalOpens([](QWidget *modal) {
        QTest::mouseClick(qobject_cast<QMessageBox *>(modal)->button(QMessageBox::Cancel),
                          Qt::LeftButton);
    });
    const int before = w.sim.server.requestCount("/archive");
    w.window.starts()->confirmArchive(true);
    QTRY_VERIFY(!QApplication::activeModalWidget());
    QCOMPARE(w.sim.server.requestCount("/archive"), before);
}

// Cloning from a selected operation: the source is its team by name ("Marketing — id"), picked
// from the list of teams once it comes, not a bare GUID to check by eye. Names known are kept:
// the next window has them before reading anything.
void TestStartWindow::theCloneDialogNamesItsSourceAndNamesOutliveARestart()
{
    Window w;
    w.selectTheRunningOperation();
    QTRY_COMPARE(w.window.starts()->teamNames()->nameOfTeam(kOther), QStringLiteral("Marketing"));
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    auto *source = dialog->findChild<QComboBox *>("cloneSource");
    QCOMPARE(source->currentText(), QStringLiteral("Marketing — ") + kOther);
    QTRY_VERIFY(dialog->teamCount() > 0); // the teams the account belongs to came
    QCOMPARE(source->currentData().toString(), kOther);
    QCOMPARE(source->currentText(), QStringLiteral("Marketing — ") + kOther);
    dialog->setDisplayName(QStringLiteral("Marketing copy"));
    QCOMPARE(dialog->request().teamId, kOther);
    dialog->reject();

    // A restart: another window on the same Graph has the name before it reads anything.
    const int teamReads = w.sim.server.requestCount("/teams/" + kOther);
    const QString kept = QStringLiteral("teamNames/") +
                         QString::fromLatin1(QUrl::toPercentEncoding(originOf(w.sim.base())));
    QTRY_VERIFY(QSettings().value(kept).toString().contains("Marketing")); // within a second
    MainWindow restarted(w.client, w.poller, w.sim.clock);
    QCOMPARE(restarted.starts()->teamNames()->nameOfTeam(kOther), QStringLiteral("Marketing"));
    QCOMPARE(w.sim.server.requestCount("/teams/" + kOther), teamReads);
}

void TestStartWindow::initTestCase()
{
    // Settings go to a throw-away place, never the developer's own, and start empty.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TeamsOpsTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_startwindow"));
    QSettings().clear();
    // As main() does: the English plural forms ("2 requests refused") come from a translation.
    QVERIFY(installTranslations(*QCoreApplication::instance()));
}

void TestStartWindow::anOrgWideTeamIsRefusedBeforeSendingOnceGraphSaidSo()
{
    // Graph's team has no "org-wide" flag: the first clone of one is sent and refused...
    Window w;
    SimTeam everyone;
    everyone.id = kEveryone;
    everyone.displayName = QStringLiteral("Everyone at Contoso");
    everyone.isOrgWide = true;
    w.sim.tenant.addTeam(everyone);
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    QString problem;
    w.window.starts()->startRequests(
        {cloneRequest({kEveryone, "Everyone, again", {}, {}, {}, {}}, problem)});
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(w.banner()->text().contains("Org-wide teams cannot be cloned."),
             qPrintable(w.banner()->text()));
    QCOMPARE(w.sim.server.requestCount(QStringLiteral("/clone")), 1);

    // ...and from then on it is refused in the dialog, before anything is sent.
    CloneDialog *dialog = w.window.starts()->openCloneDialog();
    dialog->setSource(kEveryone);
    dialog->setDisplayName(QStringLiteral("Everyone, once more"));
    QTRY_VERIFY2(w.problem(dialog).contains("org-wide team"), qPrintable(w.problem(dialog)));
    QVERIFY(!w.ok(dialog)->isEnabled());
    dialog->setSource(kTemplate); // other teams are cloned as before
    QTRY_VERIFY(w.ok(dialog)->isEnabled());
    dialog->reject();
    QCOMPARE(w.sim.server.requestCount(QStringLiteral("/clone")), 1);

    // A bulk clone learns it too: another org-wide team, refused in a bulk of two, is stopped
    // in the dialog from then on.
    QSettings().clear();
    CloneDialog *bulkDialog = w.window.starts()->openCloneDialog();
    bulkDialog->setSource(kEveryone);
    bulkDialog->setMany(true, 2);
    bulkDialog->setDisplayName(QStringLiteral("Everyone {n}"));
    QTRY_VERIFY(w.ok(bulkDialog)->isEnabled()); // forgotten: sent again
    QTest::mouseClick(w.ok(bulkDialog), Qt::LeftButton);
    BulkCloner *bulk = bulkDialog->bulk();
    QVERIFY(bulk);
    for (int step = 0; step < 50 && bulk->isRunning(); ++step) {
        w.sim.clock.advance(milliseconds(400));
        QTRY_VERIFY(std::none_of(bulk->items().cbegin(), bulk->items().cend(), [](const auto &i) {
            return i.state == BulkCloner::Item::State::Sending;
        }));
    }
    QCOMPARE(bulk->refused(), 2);
    bulkDialog->reject();
    CloneDialog *again = w.window.starts()->openCloneDialog();
    again->setSource(kEveryone);
    again->setDisplayName(QStringLiteral("Everyone, at last"));
    QTRY_VERIFY2(w.problem(again).contains("org-wide team"), qPrintable(w.problem(again)));
    QVERIFY(!w.ok(again)->isEnabled());
    again->reject();
}

void TestStartWindow::aChannelIsArchivedFromTheTeamCard()
{
    // A finished operation on the template: its card lists the team's channels.
    QJsonObject source = team(kTemplate, "Template");
    source.insert("channels", QJsonArray{"General", "Design"});
    const QString finished = QStringLiteral("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
    WindowOnSimulator w(
        QJsonObject{{"teams", QJsonArray{source}},
                    {"operations", QJsonArray{operation(finished, kTemplate, 0, 0)}}});
    w.window.show();
    w.sim.clock.advance(seconds(1));
    w.poller.watch(w.refOf(kTemplate, finished));
    QTRY_VERIFY(w.store.size() == 1 && w.store.at(0).isTerminal());
    w.store.flush();
    TeamCardDialog *card =
        w.window.openTarget(w.window.proxy()->index(0, OperationTableModel::Target));
    QVERIFY(card);
    auto *channels = card->findChild<QListWidget *>("teamChannels");
    // The card's reads go within the team's budget (3 a second, a poll of it among them): the
    // last waits for the next second.
    const auto listed = [channels] { return channels->isEnabled() && channels->count() > 0; };
    for (int step = 0; step < 10 && !listed(); ++step) {
        QTRY_COMPARE(w.client.requestsInFlight(), 0);
        w.sim.clock.advance(milliseconds(500));
    }
    QTRY_COMPARE(channels->count(), 2);
    auto *archive = card->findChild<QPushButton *>("archiveChannel");
    QVERIFY(!archive->isEnabled()); // nothing chosen yet
    channels->setCurrentRow(1);
    QCOMPARE(channels->currentItem()->text(), QStringLiteral("Design"));
    // The card's reads took this second of the team's budget (4 requests): a POST on the team
    // now would be refused with a Retry-After.
    w.sim.clock.advance(seconds(2));

    // Confirmed by name, sent once, watched at once.
    QString asked;
    whenModalOpens([&asked](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        asked = box->text();
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    });
    QSignalSpy started(w.window.starts(), &StartController::startsFinished);
    QTest::mouseClick(archive, Qt::LeftButton);
    QTRY_COMPARE(started.size(), 1);
    QVERIFY2(asked.contains("Design") && asked.contains("Template"), qPrintable(asked));
    const QString channelId = channels->currentItem()->data(Qt::UserRole).toString();
    QCOMPARE(w.sim.server.requestCount(QStringLiteral("/channels/%1/archive").arg(channelId)), 1);
    QCOMPARE(w.store.size(), 2);
    const QList<const SimOperation *> ofTeam = w.sim.tenant.operationsOf(kTemplate);
    QVERIFY(std::any_of(ofTeam.cbegin(), ofTeam.cend(),
                        [](const SimOperation *op) { return op->type == "archiveChannel"; }));
}

void TestStartWindow::refusalsAreSaidInABanner()
{
    Window w;
    QSignalSpy finished(w.window.starts(), &StartController::startsFinished);
    QString problem;
    // Neither team is archived: both unarchives are refused, each said with Graph's message.
    w.window.starts()->startRequests(
        {unarchiveRequest(kTemplate, problem), unarchiveRequest(kOther, problem)});
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toInt(), 0);
    QCOMPARE(finished.first().at(1).toStringList().size(), 2);
    QVERIFY(w.banner()->isVisible());
    const QString text = w.banner()->text();
    QVERIFY2(text.contains("2 requests refused") && text.contains("the team is not archived") &&
                 text.contains("Team is not archived."),
             qPrintable(text));
    QCOMPARE(w.store.size(), 0);

    // A later start that goes through: the refusals no longer apply, and their message goes.
    w.window.starts()->startRequests({archiveRequest(kTemplate, false, problem)});
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(finished.last().at(0).toInt(), 1);
    QVERIFY2(!w.banner()->isAbout(Banner::Topic::Refusals), qPrintable(w.banner()->text()));
}

QTEST_MAIN(TestStartWindow)
#include "tst_startwindow.moc"
