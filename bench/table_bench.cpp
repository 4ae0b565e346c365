// table_bench: the operations table with many rows, against a naive table that resets its model
// on every poll and sorts and filters on display text (what a first version of such a tool does).
//
//   QT_QPA_PLATFORM=offscreen build/bench/table_bench [--rows N] [--rounds R] [--verbose]
//
// The view is shown (offscreen) and every figure includes the events it handles and one paint.
// Printed, for TeamsOps' table sorted by status and filtered by type: loading the rows; a poll
// round in which 1 % of the rows changed status (mean and worst), and the same round in the naive
// table; re-sorting by each column (worst); one keystroke in the search box (worst); memory per
// operation; removing rows; and a restart from a stored database until the window is painted,
// then the window's CPU use while nothing changes. The last line is a summary for scripts:
//   table_bench rows=<n> update_ms=<a> reset_update_ms=<b> load_ms=<c> sort_ms=<d>
//   filter_ms=<e> kib_per_op=<f> first_paint_ms=<g>
#include "benchstore.h"
#include "model/clock.h"
#include "residentmemory.h"
#include "store/operationstore.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace {

const QStringList kStatuses{"notStarted", "inProgress", "succeeded", "failed"};
const QDateTime kNow(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);
bool g_verbose = false; // --verbose: every sort and keystroke

WatchedOperation makeOperation(int i, const QString &status)
{
    WatchedOperation op;
    op.ref = *resolveLocation(QStringLiteral("/teams/team-%1/operations/op-%2").arg(i % 500).arg(i),
                              QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")))
                  .ref;
    op.setLocation(op.ref.location());
    Operation snapshot;
    snapshot.id = op.ref.operationId;
    snapshot.statusRaw = status;
    snapshot.status = operationStatusFromString(status);
    snapshot.operationTypeRaw = QStringLiteral("cloneTeam");
    snapshot.operationType = OperationType::CloneTeam;
    snapshot.attemptsCount = 1 + i % 3;
    snapshot.createdDateTime = kNow.addSecs(-i);
    snapshot.lastActionDateTime = snapshot.createdDateTime;
    op.latest = snapshot;
    return op;
}

void setStatus(WatchedOperation &op, const QString &status)
{
    op.latest->statusRaw = status;
    op.latest->status = operationStatusFromString(status);
}

// The rows each poll round changes, and their new statuses: the same for both tables.
struct Round
{
    QList<int> rows;
    QStringList statuses;
};

QList<Round> makeRounds(int rows, int count, QRandomGenerator &random)
{
    QList<Round> rounds;
    for (int r = 0; r < count; ++r) {
        Round round;
        for (int k = 0; k < std::max(1, rows / 100); ++k) {
            round.rows.append(int(random.bounded(rows)));
            round.statuses.append(kStatuses[random.bounded(4)]);
        }
        rounds.append(round);
    }
    return rounds;
}

double msOf(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// Lets the view handle what was signalled and paint once: what the admin waits for.
void settle(QTableView &view)
{
    QCoreApplication::processEvents();
    view.viewport()->repaint();
}

QTableView *showView(QAbstractItemModel *model)
{
    auto *view = new QTableView;
    view->setModel(model);
    view->setSortingEnabled(true);
    view->sortByColumn(OperationTableModel::Status, Qt::AscendingOrder);
    view->resize(1200, 800);
    view->show();
    return view;
}

struct Figures
{
    double loadMs = 0, addMs = 0, updateMeanMs = 0, updateWorstMs = 0, sortWorstMs = 0,
           keystrokeWorstMs = 0;
    int sortWorstColumn = 0;
    double kibPerOp = 0, totalKibPerOp = 0;
    bool selectionKept = false, orderKept = false;
};

bool isSorted(const OperationSortProxy &proxy, const OperationTableModel &model, int column)
{
    for (int row = 1; row < proxy.rowCount(); ++row) {
        const int a = proxy.mapToSource(proxy.index(row - 1, 0)).row();
        const int b = proxy.mapToSource(proxy.index(row, 0)).row();
        if (model.rowLessThan(b, a, column))
            return false;
    }
    return true;
}

Figures runTeamsOps(int rows, const QList<Round> &rounds, ManualClock &clock)
{
    Figures f;
    const qint64 kibBefore = residentKiB();
    OperationStore store;
    OperationTableModel model(store, clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setType(QStringLiteral("cloneTeam")); // filtered: every row is checked, all pass
    std::unique_ptr<QTableView> view(showView(&proxy));
    settle(*view);

    QElapsedTimer timer;
    timer.start();
    store.reserve(rows);
    for (int i = 0; i < rows; ++i)
        store.add(makeOperation(i, kStatuses[i % 2]));
    f.addMs = msOf(timer);
    timer.restart();
    store.flush(); // what the event loop does after the poller's answers
    settle(*view);
    f.loadMs = msOf(timer);

    const auto apply = [&](const Round &round) {
        for (int k = 0; k < round.rows.size(); ++k)
            setStatus(store.edit(round.rows[k]), round.statuses[k]); // as the poller records
        timer.restart();
        store.flush();
        settle(*view);
        return msOf(timer);
    };
    // Warm-up: two rounds, then memory.
    apply(rounds.value(0));
    apply(rounds.value(1));
    const qint64 kibAfter = residentKiB();
    f.kibPerOp = double(kibAfter - kibBefore) / rows;
    f.totalKibPerOp = double(kibAfter) / rows;

    view->selectRow(std::min(1234, rows - 1));
    const QString selected = view->currentIndex().data(OperationTableModel::KeyRole).toString();
    QList<double> times;
    for (const Round &round : rounds)
        times.append(apply(round));
    f.updateMeanMs = std::accumulate(times.begin(), times.end(), 0.0) / double(times.size());
    f.updateWorstMs = *std::max_element(times.begin(), times.end());
    f.selectionKept =
        view->currentIndex().data(OperationTableModel::KeyRole).toString() == selected;
    f.orderKept = isSorted(proxy, model, OperationTableModel::Status) && proxy.rowCount() == rows;

    for (int column = 0; column < OperationTableModel::ColumnCount; ++column) {
        timer.restart();
        view->sortByColumn(column, Qt::AscendingOrder);
        settle(*view);
        if (g_verbose)
            std::printf("sort by column %d: %.1f ms\n", column, msOf(timer));
        if (msOf(timer) > f.sortWorstMs) {
            f.sortWorstMs = msOf(timer);
            f.sortWorstColumn = column;
        }
    }
    view->sortByColumn(OperationTableModel::Status, Qt::AscendingOrder);
    settle(*view);

    // Typing "op-4242" and deleting it again, one keystroke at a time.
    const QString typed = QStringLiteral("op-4242");
    QStringList keystrokes;
    for (int n = 1; n <= typed.size(); ++n)
        keystrokes.append(typed.left(n));
    for (int n = typed.size() - 1; n >= 0; --n)
        keystrokes.append(typed.left(n));
    for (const QString &text : std::as_const(keystrokes)) {
        timer.restart();
        proxy.setSearchText(text);
        settle(*view);
        if (g_verbose)
            std::printf("search \"%s\": %.1f ms, %d rows\n", qPrintable(text), msOf(timer),
                        proxy.rowCount());
        f.keystrokeWorstMs = std::max(f.keystrokeWorstMs, msOf(timer));
    }
    return f;
}

// The naive table: one list, reset on every poll, sorted and filtered on display text.
class ResettingModel final : public QAbstractTableModel
{
public:
    void replaceAll(const QList<WatchedOperation> &operations)
    {
        beginResetModel();
        m_rows = operations;
        endResetModel();
    }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : OperationTableModel::ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        const WatchedOperation &op = m_rows.at(index.row());
        switch (index.column()) {
        case OperationTableModel::Status:
            return op.latest->statusRaw;
        case OperationTableModel::Created:
            return op.latest->createdDateTime.toString(Qt::ISODate);
        default:
            return op.ref.operationId;
        }
    }

private:
    QList<WatchedOperation> m_rows;
};

double runNaive(int rows, const QList<Round> &rounds, bool *selectionKept)
{
    ResettingModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterKeyColumn(-1);
    std::unique_ptr<QTableView> view(showView(&proxy));
    QList<WatchedOperation> operations;
    for (int i = 0; i < rows; ++i)
        operations.append(makeOperation(i, kStatuses[i % 2]));
    model.replaceAll(operations);
    settle(*view);
    view->selectRow(std::min(1234, rows - 1));
    const QString selected = view->currentIndex().data().toString();
    double total = 0;
    QElapsedTimer timer;
    for (const Round &round : rounds) {
        for (int k = 0; k < round.rows.size(); ++k)
            setStatus(operations[round.rows[k]], round.statuses[k]);
        timer.restart();
        model.replaceAll(operations);
        settle(*view);
        total += msOf(timer);
    }
    *selectionKept = view->currentIndex().isValid() && view->currentIndex().data() == selected;
    return total / double(rounds.size());
}

// Removing operations from a sorted table, as "select all, Delete" does: every row at once (one
// contiguous range), every other row (scattered), and, as the baseline, the same rows one removal
// at a time (what the first version did: each removal renumbered every row).
double timeRemoval(int rows, ManualClock &clock, int step, bool oneByOne)
{
    OperationStore store;
    OperationTableModel model(store, clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(OperationTableModel::Status);
    QStringList keys;
    for (int i = 0; i < rows; ++i) {
        store.add(makeOperation(i, kStatuses[i % 2]));
        if (i % step == 0)
            keys.append(store.at(i).key);
    }
    store.flush();
    QElapsedTimer timer;
    timer.start();
    if (oneByOne) {
        for (const QString &key : std::as_const(keys))
            store.remove({key});
    } else {
        store.remove(keys);
    }
    const double ms = msOf(timer);
    if (proxy.rowCount() != rows - keys.size())
        qFatal("removal left %d rows", proxy.rowCount());
    return ms;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's settings: not the user's
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("rows"), QStringLiteral("Rows (default 100000)."),
                        QStringLiteral("N"), QStringLiteral("100000")},
                       {QStringLiteral("rounds"), QStringLiteral("Poll rounds (default 10)."),
                        QStringLiteral("R"), QStringLiteral("10")},
                       {QStringLiteral("verbose"),
                        QStringLiteral("Print the time of every sort and keystroke.")}});
    parser.process(app);
    g_verbose = parser.isSet(QStringLiteral("verbose"));
    const int rows = std::max(10, parser.value(QStringLiteral("rows")).toInt());
    const int roundCount = std::max(2, parser.value(QStringLiteral("rounds")).toInt());

    ManualClock clock(kNow);
    QRandomGenerator random(7);
    const QList<Round> rounds = makeRounds(rows, roundCount, random);

    const Figures ours = runTeamsOps(rows, rounds, clock);
    bool naiveKept = false;
    const double naiveMs = runNaive(rows, rounds, &naiveKept);
    std::printf("%d rows, poll rounds of %d changed rows, sorted by status, filtered by type\n",
                rows, int(rounds.first().rows.size()));
    std::printf("load: %.1f ms into the view (adding to the store before: %.1f ms)\n", ours.loadMs,
                ours.addMs);
    std::printf("round: TeamsOps %.2f ms mean, %.2f ms worst (selection kept: %s, order kept: "
                "%s); reset %.1f ms mean (selection kept: %s): %.1fx\n",
                ours.updateMeanMs, ours.updateWorstMs, ours.selectionKept ? "yes" : "no",
                ours.orderKept ? "yes" : "no", naiveMs, naiveKept ? "yes" : "no",
                naiveMs / std::max(0.001, ours.updateMeanMs));
    std::printf("re-sort: worst %.1f ms (column %d); search keystroke: worst %.1f ms\n",
                ours.sortWorstMs, ours.sortWorstColumn, ours.keystrokeWorstMs);
    std::printf("memory: %.2f KiB per operation for the store, model, view (%.2f KiB with the "
                "whole process)\n",
                ours.kibPerOp, ours.totalKibPerOp);

    const int oneByOneRows = std::min(rows, 4000);
    const double allMs = timeRemoval(rows, clock, 1, false);
    const double scatteredMs = timeRemoval(rows, clock, 2, false);
    const double oneByOneMs = timeRemoval(oneByOneRows, clock, 1, true);
    const double atOnceSmall = timeRemoval(oneByOneRows, clock, 1, false);
    std::printf("removal, sorted table: all %d rows %.0f ms; every other row %.0f ms; %d rows one "
                "at a time %.0f ms vs %.1f ms at once (%.0fx)\n",
                rows, allMs, scatteredMs, oneByOneRows, oneByOneMs, atOnceSmall,
                oneByOneMs / std::max(0.001, atOnceSmall));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("operations.sqlite"));
    writeSampleStore(path, rows, clock);
    const RestartFigures restart = restartAndPaint(path, clock, false, 3);
    std::printf("restart: open %lld ms, restore %lld ms, %d rows painted at %lld ms; idle CPU "
                "afterwards %.1f %%\n",
                restart.openMs, restart.restoreMs, restart.rowsShown, restart.firstPaintMs,
                restart.idleCpuShare * 100);

    std::printf("table_bench rows=%d update_ms=%.2f reset_update_ms=%.1f load_ms=%.0f sort_ms=%.0f "
                "filter_ms=%.1f kib_per_op=%.2f first_paint_ms=%lld\n",
                rows, ours.updateMeanMs, naiveMs, ours.loadMs, ours.sortWorstMs,
                ours.keystrokeWorstMs, ours.kibPerOp, restart.firstPaintMs);
    return 0;
}
