// The sorted, filtered view of the operations table: after any sequence of additions, edits,
// removals, sorts and filters it shows exactly what sorting and filtering every row from scratch
// would, keeps the model/view contract (QAbstractItemModelTester, a real QTableView) and moves
// the selection with its row.
#include "model/clock.h"
#include "model/operationcategory.h"
#include "store/operationstore.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

#include <algorithm>

namespace {

const QStringList kStatuses{"notStarted", "inProgress", "succeeded", "failed", "running"};
const QStringList kTypes{"cloneTeam", "archiveTeam", "unarchiveTeam"};

WatchedOperation operation(int id, QRandomGenerator &random, const QDateTime &now)
{
    WatchedOperation op;
    op.ref = *resolveLocation(
                  QStringLiteral("/teams/team-%1/operations/op-%2").arg(random.bounded(5)).arg(id),
                  QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")))
                  .ref;
    op.setLocation(op.ref.location());
    Operation s;
    s.id = op.ref.operationId;
    s.statusRaw = kStatuses[random.bounded(int(kStatuses.size()))];
    s.status = operationStatusFromString(s.statusRaw);
    s.operationTypeRaw = kTypes[random.bounded(int(kTypes.size()))];
    s.operationType = operationTypeFromString(s.operationTypeRaw);
    s.attemptsCount = random.bounded(4);
    s.createdDateTime = now.addSecs(-random.bounded(5000));
    s.lastActionDateTime = s.createdDateTime.addSecs(random.bounded(100));
    if (random.bounded(4) == 0)
        s.error = OperationError{QStringLiteral("Conflict"),
                                 QStringLiteral("Error %1").arg(random.bounded(3))};
    if (random.bounded(3) == 0)
        s.targetResourceLocation = QStringLiteral("/teams('t-%1')").arg(random.bounded(7));
    op.latest = s;
    op.nextPollAt = now.addSecs(random.bounded(60));
    return op;
}

// What the proxy must show: the rows that pass, sorted from scratch.
QList<int> expectedRows(const OperationTableModel &model, int column, Qt::SortOrder order,
                        OperationCategory category, const QString &type, const QString &search)
{
    QList<int> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const WatchedOperation &op = *model.operationAt(row);
        if (category != OperationCategory::All && !categoriesOf(op).testFlag(category))
            continue;
        if (!type.isEmpty() && op.latest->operationTypeRaw != type)
            continue;
        if (!model.searchText(row).contains(search.trimmed().toLower()))
            continue;
        rows.append(row);
    }
    if (column >= 0) {
        std::sort(rows.begin(), rows.end(), [&](int a, int b) {
            return order == Qt::AscendingOrder ? model.rowLessThan(a, b, column)
                                               : model.rowLessThan(b, a, column);
        });
    }
    return rows;
}

QList<int> shownRows(const OperationSortProxy &proxy)
{
    QList<int> rows;
    for (int row = 0; row < proxy.rowCount(); ++row)
        rows.append(proxy.mapToSource(proxy.index(row, 0)).row());
    return rows;
}

} // namespace

class TestOperationSortProxy : public QObject
{
    Q_OBJECT

private slots:
    void matchesSortingFromScratchAfterAnyChange();
    void aRoundOfChangesIsOneLayoutChangeOrOnlyDataChanged();
    void selectionFollowsItsRowAndLeavesWithIt();
    void narrowerSearchAndWiderSearchAgree();

private:
    ManualClock m_clock{QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC)};
};

void TestOperationSortProxy::matchesSortingFromScratchAfterAnyChange()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTableView view;
    view.setModel(&proxy);
    view.resize(800, 400);
    view.show();
    QRandomGenerator random(2026);
    int nextId = 0;
    int column = -1;
    Qt::SortOrder order = Qt::AscendingOrder;
    OperationCategory category = OperationCategory::All;
    QString type;
    QString search;
    const auto check = [&](int step, const char *what) {
        const QList<int> expected = expectedRows(model, column, order, category, type, search);
        if (shownRows(proxy) != expected)
            QFAIL(qPrintable(QStringLiteral("step %1 (%2): %3 rows shown, %4 expected, or "
                                            "another order")
                                 .arg(step)
                                 .arg(QLatin1String(what))
                                 .arg(proxy.rowCount())
                                 .arg(expected.size())));
        QCOMPARE(view.verticalHeader()->count(), proxy.rowCount());
    };
    for (int step = 0; step < 400; ++step) {
        const int action = random.bounded(9);
        const char *what = "";
        if (action <= 1 || store.size() < 5) {
            what = "add";
            for (int n = random.bounded(1, 40); n > 0; --n)
                store.add(operation(nextId++, random, m_clock.now()));
            store.flush();
        } else if (action <= 4) {
            what = "edit";
            for (int n = random.bounded(1, 30); n > 0; --n) {
                const WatchedOperation fresh = operation(0, random, m_clock.now());
                WatchedOperation &op = store.edit(random.bounded(int(store.size())));
                op.latest = fresh.latest;
                op.latest->id = op.ref.operationId;
                op.nextPollAt = fresh.nextPollAt;
                if (random.bounded(5) == 0)
                    op.watch = WatchedOperation::Watch::Paused;
            }
            store.flush();
        } else if (action == 5) {
            what = "remove";
            QStringList keys;
            const bool many = random.bounded(4) == 0; // scattered: past the removal ranges
            for (int n = many ? 80 : random.bounded(1, 5); n > 0; --n)
                keys.append(store.at(random.bounded(int(store.size()))).key);
            store.remove(keys);
        } else if (action == 6) {
            what = "sort";
            column = random.bounded(-1, OperationTableModel::ColumnCount);
            order = random.bounded(2) ? Qt::AscendingOrder : Qt::DescendingOrder;
            proxy.sort(column, order);
        } else if (action == 7) {
            what = "category or type";
            const OperationCategory categories[] = {
                OperationCategory::All, OperationCategory::InProgress, OperationCategory::Failed,
                OperationCategory::NeedsAttention};
            category = categories[random.bounded(4)];
            type = random.bounded(2) ? QString() : kTypes[random.bounded(int(kTypes.size()))];
            proxy.setCategory(category);
            proxy.setType(type);
        } else {
            what = "search";
            const QStringList searches{"", "op-1", "op-12", "OP-", "error 1", "t-3", "team-2"};
            search = searches[random.bounded(int(searches.size()))];
            proxy.setSearchText(search);
        }
        check(step, what);
        if (QTest::currentTestFailed())
            return;
    }
    QVERIFY(proxy.rowCount() > 0); // the run ended with something to compare
}

void TestOperationSortProxy::aRoundOfChangesIsOneLayoutChangeOrOnlyDataChanged()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(OperationTableModel::Status);
    QRandomGenerator random(5);
    for (int i = 0; i < 2000; ++i) {
        WatchedOperation op = operation(i, random, m_clock.now());
        op.latest->statusRaw = QStringLiteral("inProgress");
        op.latest->status = OperationStatus::InProgress;
        store.add(op);
    }
    store.flush();
    QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy changes(&proxy, &QAbstractItemModel::dataChanged);

    // Attempts go up: nothing moves when sorted by status, so only the rows are repainted.
    for (int i = 0; i < 2000; i += 50)
        store.edit(i).latest->attemptsCount += 1;
    store.flush();
    QCOMPARE(layouts.size(), 0);
    QCOMPARE(changes.size(), 40);

    // 40 finish: they move, in one layout change for all of them.
    changes.clear();
    for (int i = 0; i < 2000; i += 50) {
        store.edit(i).latest->statusRaw = QStringLiteral("succeeded");
        store.edit(i).latest->status = OperationStatus::Succeeded;
    }
    store.flush();
    QCOMPARE(layouts.size(), 1);
    QCOMPARE(changes.size(), 0);
    QCOMPARE(shownRows(proxy), expectedRows(model, OperationTableModel::Status, Qt::AscendingOrder,
                                            OperationCategory::All, {}, {}));
}

void TestOperationSortProxy::selectionFollowsItsRowAndLeavesWithIt()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    QTableView view;
    view.setModel(&proxy);
    view.setSelectionBehavior(QAbstractItemView::SelectRows);
    view.setSortingEnabled(true);
    view.sortByColumn(OperationTableModel::Status, Qt::AscendingOrder);
    QRandomGenerator random(9);
    for (int i = 0; i < 300; ++i) {
        WatchedOperation op = operation(i, random, m_clock.now());
        op.latest->statusRaw = QStringLiteral("notStarted");
        op.latest->status = OperationStatus::NotStarted;
        store.add(op);
    }
    store.flush();
    view.selectRow(3);
    const QString key = view.currentIndex().data(OperationTableModel::KeyRole).toString();
    // It finishes: it moves to the end of the table, still selected and current.
    WatchedOperation &selected = *store.edit(key);
    selected.latest->statusRaw = QStringLiteral("succeeded");
    selected.latest->status = OperationStatus::Succeeded;
    store.flush();
    QCOMPARE(view.currentIndex().row(), proxy.rowCount() - 1);
    QCOMPARE(view.currentIndex().data(OperationTableModel::KeyRole).toString(), key);
    QCOMPARE(view.selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view.selectionModel()->selectedRows().first().row(), proxy.rowCount() - 1);

    // Filtered out, it is no longer selected; filtered in again, nothing else became selected.
    proxy.setCategory(OperationCategory::NotStarted);
    QCOMPARE(proxy.rowCount(), 299);
    QVERIFY(view.selectionModel()->selectedRows().isEmpty());
    proxy.setCategory(OperationCategory::All);
    QCOMPARE(proxy.rowCount(), 300);
    QVERIFY(view.selectionModel()->selectedRows().isEmpty());
}

void TestOperationSortProxy::narrowerSearchAndWiderSearchAgree()
{
    // Typing letter by letter looks only at the rows shown; the result must be what the whole
    // text typed at once gives, and deleting letters must bring the rows back.
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy typed;
    typed.setSourceModel(&model);
    OperationSortProxy pasted;
    pasted.setSourceModel(&model);
    QRandomGenerator random(11);
    for (int i = 0; i < 500; ++i)
        store.add(operation(i, random, m_clock.now()));
    store.flush();
    const QString text = QStringLiteral("op-12");
    for (int n = 1; n <= text.size(); ++n)
        typed.setSearchText(text.left(n));
    pasted.setSearchText(text);
    QCOMPARE(shownRows(typed), shownRows(pasted));
    QCOMPARE(typed.rowCount(), 11); // op-12 and op-120 … op-129
    // A poll changes one of them while searching: still found.
    store.edit(12).latest->attemptsCount += 1;
    store.flush();
    QCOMPARE(typed.rowCount(), 11);
    for (int n = text.size() - 1; n >= 0; --n)
        typed.setSearchText(text.left(n));
    QCOMPARE(typed.rowCount(), 500);
}

QTEST_MAIN(TestOperationSortProxy)
#include "tst_operationsortproxy.moc"
