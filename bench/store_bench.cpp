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
#include "benchstore.h"
#include "model/clock.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 11, 25), QTime(9, 0), Qt::UTC);

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
            store.add(sampleStoredOperation(i));
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
    const RestartFigures restart = restartAndPaint(path, clock, intoWindow);
    out << "restart: open " << restart.openMs << " ms, restore " << restart.restored
        << " operations " << restart.restoreMs << " ms, window painted with " << restart.rowsShown
        << " rows at " << restart.firstPaintMs << " ms" << (restart.opened ? "" : " (open failed)")
        << "\n";
    out << "store_bench rows=" << rows << " save_all_ms=" << saveAll << " round_ms=" << round
        << " round_per_row_ms=" << roundPerRow << " open_ms=" << restart.openMs
        << " restore_ms=" << restart.restoreMs << " first_paint_ms=" << restart.firstPaintMs
        << Qt::endl;
    return 0;
}
