// table_bench: the operations table with 100 000 rows, against a naive table that resets its
// model on every poll and sorts on display text (what a first version of such a tool does).
//
//   table_bench [--rows N] [--rounds R]
//
// Each poll round changes the status of 2 % of the rows. Printed: milliseconds to load the rows,
// to apply the rounds with the table sorted by status, and to filter by a search text; and how
// much of the view's state (the selected row) survives a round.
#include "clock.h"
#include "operationsortproxy.h"
#include "operationstore.h"
#include "operationtablemodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <cstdio>

namespace {

const QStringList kStatuses{"notStarted", "inProgress", "succeeded", "failed"};

WatchedOperation makeOperation(int i, const QString &status, const QDateTime &created)
{
    WatchedOperation op;
    op.ref = *resolveLocation(QStringLiteral("/teams/team-%1/operations/op-%2").arg(i % 500).arg(i),
                              QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")))
                  .ref;
    Operation snapshot;
    snapshot.id = op.ref.operationId;
    snapshot.statusRaw = status;
    snapshot.status = operationStatusFromString(status);
    snapshot.operationTypeRaw = QStringLiteral("cloneTeam");
    snapshot.operationType = OperationType::CloneTeam;
    snapshot.attemptsCount = 1 + i % 3;
    snapshot.createdDateTime = created.addSecs(-i);
    snapshot.lastActionDateTime = snapshot.createdDateTime;
    op.latest = snapshot;
    return op;
}

// The naive table: one list, reset on every poll.
class ResettingModel final : public QAbstractTableModel
{
public:
    explicit ResettingModel(Clock &clock)
        : m_inner(m_unused, clock)
    {}
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
    OperationStore m_unused;
    OperationTableModel m_inner; // unused; keeps the two builds alike
    QList<WatchedOperation> m_rows;
};

// TeamsOps' table as the window builds it: store, model, sorting proxy and view, by status.
struct SortedTable
{
    explicit SortedTable(Clock &clock)
        : model(store, clock)
    {
        proxy.setSourceModel(&model);
        view.setModel(&proxy);
        view.setSortingEnabled(true);
        view.sortByColumn(OperationTableModel::Status, Qt::AscendingOrder);
    }
    OperationStore store;
    OperationTableModel model;
    OperationSortProxy proxy;
    QTableView view;
};

struct Figures
{
    double loadMs = 0, roundsMs = 0, filterMs = 0;
    bool selectionKept = false;
};

Figures runTeamsOps(const QList<WatchedOperation> &initial,
                    const QList<QList<WatchedOperation>> &rounds, ManualClock &clock)
{
    Figures f;
    SortedTable table(clock);
    OperationStore &store = table.store;
    OperationSortProxy &proxy = table.proxy;
    QTableView &view = table.view;
    QElapsedTimer timer;
    timer.start();
    for (const WatchedOperation &op : initial)
        store.add(op);
    store.flush(); // what the event loop does after the poller's answers
    f.loadMs = double(timer.nsecsElapsed()) / 1e6;
    view.selectRow(1234);
    const QString selected = view.currentIndex().data(OperationTableModel::KeyRole).toString();
    timer.restart();
    for (const QList<WatchedOperation> &round : rounds) {
        for (const WatchedOperation &op : round)
            store.edit(op.ref.key())->latest = op.latest; // as the poller records an answer
        store.flush();
    }
    f.roundsMs = double(timer.nsecsElapsed()) / 1e6;
    f.selectionKept = view.currentIndex().data(OperationTableModel::KeyRole).toString() == selected;
    timer.restart();
    proxy.setSearchText(QStringLiteral("op-4242"));
    f.filterMs = double(timer.nsecsElapsed()) / 1e6;
    return f;
}

Figures runNaive(const QList<WatchedOperation> &initial,
                 const QList<QList<WatchedOperation>> &rounds, ManualClock &clock)
{
    Figures f;
    ResettingModel model(clock);
    QSortFilterProxyModel proxy; // sorts and filters on display text
    proxy.setSourceModel(&model);
    proxy.setFilterKeyColumn(-1);
    QTableView view;
    view.setModel(&proxy);
    view.setSortingEnabled(true);
    view.sortByColumn(OperationTableModel::Status, Qt::AscendingOrder);
    QList<WatchedOperation> rows = initial;
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < rows.size(); ++i)
        index.insert(rows[i].ref.key(), i);
    QElapsedTimer timer;
    timer.start();
    model.replaceAll(rows);
    f.loadMs = double(timer.nsecsElapsed()) / 1e6;
    view.selectRow(1234);
    const QString selected = view.currentIndex().data().toString();
    timer.restart();
    for (const QList<WatchedOperation> &round : rounds) {
        for (const WatchedOperation &op : round)
            rows[index.value(op.ref.key())] = op;
        model.replaceAll(rows);
    }
    f.roundsMs = double(timer.nsecsElapsed()) / 1e6;
    f.selectionKept =
        view.currentIndex().isValid() && view.currentIndex().data().toString() == selected;
    timer.restart();
    proxy.setFilterFixedString(QStringLiteral("op-4242"));
    f.filterMs = double(timer.nsecsElapsed()) / 1e6;
    return f;
}

// Removing operations from a sorted table, as "select all, Delete" does: every row at once (one
// contiguous range), every other row (scattered: one pass and a reset), and, as the baseline, the
// same rows one removal at a time (what the first version did: each removal renumbered every row).
struct Removal
{
    double allMs = 0, scatteredMs = 0, oneByOneMs = 0;
    int oneByOneRows = 0;
};

double timeRemoval(const QList<WatchedOperation> &rows, ManualClock &clock, int step, bool oneByOne)
{
    SortedTable table(clock);
    OperationStore &store = table.store;
    const OperationSortProxy &proxy = table.proxy;
    for (const WatchedOperation &op : rows)
        store.add(op);
    store.flush();
    QStringList keys;
    for (qsizetype i = 0; i < rows.size(); i += step)
        keys.append(rows.at(i).ref.key());
    QElapsedTimer timer;
    timer.start();
    if (oneByOne) {
        for (const QString &key : std::as_const(keys))
            store.remove({key});
    } else {
        store.remove(keys);
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (proxy.rowCount() != rows.size() - keys.size())
        qFatal("removal left %d rows", proxy.rowCount());
    return ms;
}

Removal runRemoval(const QList<WatchedOperation> &initial, ManualClock &clock)
{
    Removal r;
    r.allMs = timeRemoval(initial, clock, 1, false);
    r.scatteredMs = timeRemoval(initial, clock, 2, false);
    // One at a time is quadratic: measured on at most 4 000 rows, compared at that size.
    r.oneByOneRows = int(std::min<qsizetype>(initial.size(), 4000));
    r.oneByOneMs = timeRemoval(initial.first(r.oneByOneRows), clock, 1, true);
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("rows"), QStringLiteral("Rows (default 100000)."),
                        QStringLiteral("N"), QStringLiteral("100000")},
                       {QStringLiteral("rounds"), QStringLiteral("Poll rounds (default 10)."),
                        QStringLiteral("R"), QStringLiteral("10")}});
    parser.process(app);
    const int rows = parser.value(QStringLiteral("rows")).toInt();
    const int roundCount = parser.value(QStringLiteral("rounds")).toInt();

    ManualClock clock(QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC));
    QRandomGenerator random(7);
    QList<WatchedOperation> initial;
    for (int i = 0; i < rows; ++i)
        initial.append(makeOperation(i, kStatuses[random.bounded(2)], clock.now()));
    QList<QList<WatchedOperation>> rounds;
    for (int r = 0; r < roundCount; ++r) {
        QList<WatchedOperation> changed;
        for (int k = 0; k < rows / 50; ++k) {
            const int i = int(random.bounded(rows));
            changed.append(makeOperation(i, kStatuses[random.bounded(4)], clock.now()));
        }
        rounds.append(changed);
    }

    const Figures ours = runTeamsOps(initial, rounds, clock);
    const Figures naive = runNaive(initial, rounds, clock);
    std::printf("%d rows, %d poll rounds of %d changed rows each, table sorted by status\n", rows,
                roundCount, rows / 50);
    std::printf("%-22s %10s %12s %10s %16s\n", "table", "load ms", "rounds ms", "filter ms",
                "selection kept");
    for (const auto &[name, f] : {std::pair{"TeamsOps", ours}, std::pair{"naive (reset)", naive}})
        std::printf("%-22s %10.0f %12.0f %10.0f %16s\n", name, f.loadMs, f.roundsMs, f.filterMs,
                    f.selectionKept ? "yes" : "no");
    const Removal removal = runRemoval(initial, clock);
    const double allAtSmallSize = timeRemoval(initial.first(removal.oneByOneRows), clock, 1, false);
    std::printf("removal, sorted table: all %d rows %.0f ms; every other row %.0f ms; "
                "%d rows one at a time %.0f ms vs %.1f ms at once (%.0fx)\n",
                rows, removal.allMs, removal.scatteredMs, removal.oneByOneRows, removal.oneByOneMs,
                allAtSmallSize, removal.oneByOneMs / std::max(0.001, allAtSmallSize));
    std::printf("table_bench rows=%d rounds_ratio_naive_over_teamsops=%.2f remove_all_ms=%.0f "
                "remove_scattered_ms=%.0f\n",
                rows, naive.roundsMs / std::max(0.001, ours.roundsMs), removal.allMs,
                removal.scatteredMs);
    return 0;
}
