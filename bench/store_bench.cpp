// store_bench: the store on disk with many operations. How long saving takes (all at once, and
// one poll round of 1 % changes, against the same round written one transaction per row), and
// how long a restart takes until the window with every operation is painted.
//
//   QT_QPA_PLATFORM=offscreen build/bench/store_bench [--rows N]
//
// Wall-clock milliseconds: they vary from run to run and machine to machine. The last line is a
// summary for scripts:
//   store_bench rows=<n> save_all_ms=<a> round_ms=<b> round_per_row_ms=<c> open_ms=<d>
//   restore_ms=<e> first_paint_ms=<f>
#include "clock.h"
#include "graphclient.h"
#include "mainwindow.h"
#include "operationdatabase.h"
#include "operationpoller.h"
#include "operationstore.h"
#include "operationtablemodel.h"
#include "storesaver.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 11, 25), QTime(9, 0), Qt::UTC);

// A clone as the store holds one after a few polls: a snapshot, two changes, the raw reply.
WatchedOperation sampleOperation(int i)
{
    WatchedOperation op;
    op.ref.teamId = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-%1").arg(i % 500, 12, 10, QChar('0'));
    op.ref.operationId = QStringLiteral("1f0e2d3c-4b5a-4968-8776-%1").arg(i, 12, 10, QChar('0'));
    op.ref.url = QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/teams/%1/operations/%2")
                          .arg(op.ref.teamId, op.ref.operationId));
    op.locationText = op.ref.location();
    op.addedAt = kStart;
    Operation s;
    s.id = op.ref.operationId;
    s.operationTypeRaw = QStringLiteral("cloneTeam");
    s.operationType = OperationType::CloneTeam;
    s.statusRaw = QStringLiteral("inProgress");
    s.status = OperationStatus::InProgress;
    s.createdDateTime = kStart;
    s.lastActionDateTime = kStart.addSecs(60);
    s.attemptsCount = 1;
    op.latest = s;
    op.lastReply = QStringLiteral(R"({"id":"%1","operationType":"cloneTeam","status":"inProgress",)"
                                  R"("createdDateTime":"2026-11-25T09:00:00Z","attemptsCount":1})")
                       .arg(s.id)
                       .toUtf8();
    // Not due for an hour: the bench measures the store and the window, not polls.
    op.nextPollAt = kStart.addSecs(3600);
    op.lastPolledAt = kStart.addSecs(60);
    op.polls = 3;
    op.history = {
        {kStart, QStringLiteral("notStarted"), OperationStatus::NotStarted, 0, {}, {}},
        {kStart.addSecs(60), QStringLiteral("inProgress"), OperationStatus::InProgress, 1, {}, {}}};
    return op;
}

qint64 msSince(const QElapsedTimer &timer)
{
    return timer.elapsed();
}

// One poll round: 1 % of the operations gain a change.
QStringList changeOnePercent(OperationStore &store, int round)
{
    QStringList keys;
    const qsizetype step = 100;
    for (qsizetype i = round; i < store.size(); i += step) {
        WatchedOperation &op = store.edit(i);
        op.polls += 1;
        op.latest->attemptsCount += 1;
        op.history.append({kStart.addSecs(120 + round),
                           QStringLiteral("inProgress"),
                           OperationStatus::InProgress,
                           op.latest->attemptsCount,
                           {},
                           {}});
        keys.append(op.key);
    }
    return keys;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's settings: not the user's
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rows"), QStringLiteral("Operations (default 100000)."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("restore-into-window"),
                      QStringLiteral("Build the window first and restore into it (the other "
                                     "order, for comparison).")});
    parser.process(app);
    const bool intoWindow = parser.isSet(QStringLiteral("restore-into-window"));
    const int rows = std::max(100, parser.value(QStringLiteral("rows")).toInt());
    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    ManualClock clock(kStart);

    qint64 saveAll = 0;
    qint64 round = 0;
    qint64 roundPerRow = 0;
    {
        OperationDatabase database;
        database.open(path);
        OperationStore store;
        StoreSaver saver(database, store, clock);
        for (int i = 0; i < rows; ++i)
            store.add(sampleOperation(i));
        QElapsedTimer timer;
        timer.start();
        saver.saveNow();
        saveAll = msSince(timer);

        // The same kind of round, written as the app does (one transaction) and one row per
        // transaction (the baseline the issue rules out).
        changeOnePercent(store, 1);
        timer.restart();
        saver.saveNow();
        round = msSince(timer);
        const QStringList keys = changeOnePercent(store, 2);
        store.flush();
        timer.restart();
        for (const QString &key : keys) {
            const WatchedOperation *op = store.find(key);
            database.commit({{{op, op->history.size() - 1}}, {}, std::nullopt});
        }
        roundPerRow = msSince(timer);
        saver.saveNow(); // (nothing left: each row already went)
    }
    out << rows << " operations, 1 % changed per poll round\n";
    out << "save all: " << saveAll << " ms; a round in one transaction: " << round
        << " ms; the same round one transaction per row: " << roundPerRow << " ms ("
        << QString::number(double(roundPerRow) / std::max<qint64>(1, round), 'f', 1) << "x)\n";

    // A restart: open the file, read everything, build and paint the window.
    QElapsedTimer timer;
    timer.start();
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(path);
    const qint64 openMs = msSince(timer);
    GraphClient client(QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")),
                       [] { return QString(); });
    // In the order app/gui/main.cpp builds them: restored first, so the table starts full.
    OperationStore store;
    StoreSaver saver(database, store, clock);
    std::unique_ptr<OperationPoller> poller;
    std::unique_ptr<MainWindow> built;
    if (intoWindow) {
        poller = std::make_unique<OperationPoller>(client, clock, store);
        built = std::make_unique<MainWindow>(client, *poller, clock);
    }
    const qint64 beforeRestore = msSince(timer);
    const qsizetype restored = saver.restore();
    const qint64 restoreMs = msSince(timer) - beforeRestore;
    if (!intoWindow) {
        poller = std::make_unique<OperationPoller>(client, clock, store);
        built = std::make_unique<MainWindow>(client, *poller, clock);
    }
    MainWindow &window = *built;
    window.resize(1400, 880);
    window.show();
    QCoreApplication::processEvents();
    window.table()->viewport()->repaint();
    const qint64 firstPaint = msSince(timer);
    out << "restart: open " << openMs << " ms, restore " << restored << " operations " << restoreMs
        << " ms, window painted with " << window.model()->rowCount() << " rows at " << firstPaint
        << " ms" << (opened.ok ? "" : " (open failed)") << "\n";
    out << "store_bench rows=" << rows << " save_all_ms=" << saveAll << " round_ms=" << round
        << " round_per_row_ms=" << roundPerRow << " open_ms=" << openMs
        << " restore_ms=" << restoreMs << " first_paint_ms=" << firstPaint << Qt::endl;
    return 0;
}
