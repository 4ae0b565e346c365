#include "model/clock.h"
#include "store/operationstore.h"
#include "table/operationpresentation.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <functional>

namespace {

WatchedOperation watched(const QString &id, const QString &status, int attempts,
                         const QDateTime &created)
{
    WatchedOperation operation;
    operation.ref = *resolveLocation(QStringLiteral("/teams/team-1/operations/") + id,
                                     QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")))
                         .ref;
    Operation op;
    op.id = id;
    op.statusRaw = status;
    op.status = operationStatusFromString(status);
    op.operationTypeRaw = QStringLiteral("cloneTeam");
    op.operationType = OperationType::CloneTeam;
    op.attemptsCount = attempts;
    op.createdDateTime = created;
    op.lastActionDateTime = created;
    operation.latest = op;
    return operation;
}

// Adds the record, or replaces the stored one through edit() as the poller would change it.
void put(OperationStore &store, const WatchedOperation &operation)
{
    if (store.add(operation))
        return;
    WatchedOperation &stored = *store.edit(operation.ref.key());
    const QString key = stored.key;
    stored = operation;
    stored.key = key;
}

} // namespace

class TestOperationTableModel : public QObject
{
    Q_OBJECT

private slots:
    void insertsAndUpdatesWithoutReset();
    void signalsOnlyTheChangedRow();
    void showsStatusAsWordAndIcon();
    void saysRequestedUntilTheFirstStatusOfWhatItStarted();
    void showsUnknownValuesAsSent();
    void sortsByRawValues();
    void breaksTiesByTheOrderAdded();
    void elapsedStopsAtTheLastActionOfFinishedOperations();
    void statusColoursFollowThePalette();
    void aLargeChangeIsOneLayoutChangeAndKeepsTheSelection();
    void everyShownPropertySignalsItsRow_data();
    void everyShownPropertySignalsItsRow();
    void bulkRemovalIsOneSignalPerRange();

private:
    ManualClock m_clock{QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC)};
};

void TestOperationTableModel::insertsAndUpdatesWithoutReset()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    const QDateTime t0 = m_clock.now().addSecs(-600);
    for (int i = 0; i < 5; ++i)
        put(store, watched(QStringLiteral("op-%1").arg(i), "notStarted", 0, t0));
    QCOMPARE(model.rowCount(), 0); // signalled from the event loop...
    QTRY_COMPARE(model.rowCount(), 5);
    QCOMPARE(inserts.size(), 1); // ...as one insertion
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 5; ++i)
            put(store, watched(QStringLiteral("op-%1").arg(i), "inProgress", round + 1, t0));
        store.flush();
    }
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(inserts.size(), 1);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(model.index(3, OperationTableModel::Attempts).data().toInt(), 3);
}

void TestOperationTableModel::signalsOnlyTheChangedRow()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime t0 = m_clock.now().addSecs(-60);
    for (int i = 0; i < 4; ++i)
        put(store, watched(QStringLiteral("op-%1").arg(i), "inProgress", 1, t0));
    store.flush();
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

    // Records nobody edited say nothing.
    store.flush();
    QCOMPARE(changes.size(), 0);

    put(store, watched(QStringLiteral("op-2"), "succeeded", 1, t0));
    store.flush();
    QCOMPARE(changes.size(), 1);
    const QModelIndex topLeft = changes.first().at(0).toModelIndex();
    const QModelIndex bottomRight = changes.first().at(1).toModelIndex();
    QCOMPARE(topLeft.row(), 2);
    QCOMPARE(bottomRight.row(), 2);
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.column(), OperationTableModel::ColumnCount - 1);

    // A polling problem on one row changes that row only.
    WatchedOperation throttled = watched(QStringLiteral("op-0"), "inProgress", 1, t0);
    throttled.lastFailure = GraphFailure::Throttled;
    throttled.lastFailureMessage = QStringLiteral("throttled (HTTP 429)");
    put(store, throttled);
    store.flush();
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.last().at(0).toModelIndex().row(), 0);
    QVERIFY(model.index(0, OperationTableModel::Error).data().toString().contains("429"));
}

void TestOperationTableModel::showsStatusAsWordAndIcon()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    const QDateTime t0 = m_clock.now();
    const QStringList statuses{"notStarted", "inProgress", "succeeded", "failed"};
    const QStringList words{"Not started", "In progress", "Succeeded", "Failed"};
    QSet<qint64> icons;
    for (int i = 0; i < statuses.size(); ++i) {
        put(store, watched(statuses[i], statuses[i], 1, t0));
        store.flush();
        const QModelIndex status = model.index(i, OperationTableModel::Status);
        QCOMPARE(status.data().toString(), words[i]);
        const QIcon icon = status.data(Qt::DecorationRole).value<QIcon>();
        QVERIFY(!icon.isNull());
        icons.insert(icon.cacheKey());
    }
    QCOMPARE(icons.size(), 4); // a distinct picture per status, not a recoloured one
}

void TestOperationTableModel::saysRequestedUntilTheFirstStatusOfWhatItStarted()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    WatchedOperation pasted = watched("pasted", "inProgress", 1, m_clock.now());
    pasted.latest.reset();
    WatchedOperation started = watched("started", "inProgress", 1, m_clock.now());
    started.latest.reset();
    started.startedHere = true;
    put(store, pasted);
    put(store, started);
    store.flush();
    QCOMPARE(model.index(0, OperationTableModel::Status).data().toString(),
             QStringLiteral("Waiting for first poll"));
    QCOMPARE(model.index(1, OperationTableModel::Status).data().toString(),
             QStringLiteral("Requested"));
    // Then its real status.
    started.latest = watched("started", "notStarted", 0, m_clock.now()).latest;
    put(store, started);
    store.flush();
    QCOMPARE(model.index(1, OperationTableModel::Status).data().toString(),
             QStringLiteral("Not started"));
}

void TestOperationTableModel::showsUnknownValuesAsSent()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    WatchedOperation odd = watched("odd", "running", 2, m_clock.now());
    odd.latest->operationTypeRaw = QStringLiteral("String");
    odd.latest->operationType = OperationType::Unrecognized;
    put(store, odd);
    store.flush();
    QCOMPARE(model.index(0, OperationTableModel::Status).data().toString(),
             QStringLiteral("running"));
    QCOMPARE(model.index(0, OperationTableModel::Type).data().toString(), QStringLiteral("String"));
}

void TestOperationTableModel::sortsByRawValues()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime t0 = m_clock.now();
    // As text, "10" < "2" < "9"; as numbers 2 < 9 < 10.
    put(store, watched("a", "inProgress", 10, t0.addSecs(-30)));
    put(store, watched("b", "inProgress", 2, t0.addSecs(-3000)));
    put(store, watched("c", "failed", 9, t0.addSecs(-300)));
    store.flush();
    proxy.sort(OperationTableModel::Attempts, Qt::AscendingOrder);
    auto attemptsInOrder = [&] {
        QList<int> values;
        for (int row = 0; row < proxy.rowCount(); ++row)
            values.append(proxy.index(row, OperationTableModel::Attempts).data().toInt());
        return values;
    };
    QCOMPARE(attemptsInOrder(), QList<int>({2, 9, 10}));

    // Oldest first: b (created 50 min ago), c (5 min), a (30 s).
    proxy.sort(OperationTableModel::Created, Qt::AscendingOrder);
    QCOMPARE(attemptsInOrder(), QList<int>({2, 9, 10}));
    proxy.sort(OperationTableModel::Created, Qt::DescendingOrder);
    QCOMPARE(attemptsInOrder(), QList<int>({10, 9, 2}));

    // The sort follows updates: "a" failing moves it after the in-progress one.
    proxy.sort(OperationTableModel::Status, Qt::AscendingOrder);
    QCOMPARE(proxy.index(2, OperationTableModel::Status).data().toString(),
             QStringLiteral("Failed"));
    put(store, watched("b", "succeeded", 2, t0.addSecs(-3000)));
    store.flush();
    QCOMPARE(proxy.index(0, OperationTableModel::Status).data().toString(),
             QStringLiteral("In progress"));
    QCOMPARE(proxy.index(1, OperationTableModel::Status).data().toString(),
             QStringLiteral("Succeeded"));
}

void TestOperationTableModel::breaksTiesByTheOrderAdded()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    const QDateTime t0 = m_clock.now();
    for (const char *id : {"d", "b", "c", "a"})
        put(store, watched(QString::fromLatin1(id), "inProgress", 1, t0));
    store.flush();
    proxy.sort(OperationTableModel::Attempts, Qt::AscendingOrder);
    QStringList keys;
    for (int row = 0; row < proxy.rowCount(); ++row)
        keys.append(
            proxy.index(row, 0).data(OperationTableModel::KeyRole).toString().section('/', 1));
    QCOMPARE(keys, QStringList({"d", "b", "c", "a"})); // as added, which a restart keeps
    proxy.sort(OperationTableModel::Attempts, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data(OperationTableModel::KeyRole).toString(),
             QStringLiteral("team-1/a"));
}

void TestOperationTableModel::elapsedStopsAtTheLastActionOfFinishedOperations()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    const QDateTime created = m_clock.now().addSecs(-3600);
    put(store, watched("running", "inProgress", 1, created));
    WatchedOperation done = watched("done", "succeeded", 1, created);
    done.latest->lastActionDateTime = created.addSecs(125);
    put(store, done);
    store.flush();
    QCOMPARE(model.index(0, OperationTableModel::Elapsed).data().toString(),
             QStringLiteral("1 h 00 min"));
    QCOMPARE(model.index(1, OperationTableModel::Elapsed).data().toString(),
             QStringLiteral("2 min 05 s"));
    QCOMPARE(model.index(1, OperationTableModel::Elapsed)
                 .data(OperationTableModel::SortRole)
                 .toLongLong(),
             125000);
    m_clock.advance(std::chrono::minutes(5));
    QCOMPARE(model.index(0, OperationTableModel::Elapsed).data().toString(),
             QStringLiteral("1 h 05 min"));
    QCOMPARE(model.index(1, OperationTableModel::Elapsed).data().toString(),
             QStringLiteral("2 min 05 s"));
}

void TestOperationTableModel::statusColoursFollowThePalette()
{
    // Darker than the status hue on a light base, lighter on a dark one: contrast either way.
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    for (const char *status : {"succeeded", "failed", "inProgress"}) {
        const WatchedOperation op = watched("x", QString::fromLatin1(status), 1, m_clock.now());
        const QColor onLight = OperationPresentation::statusColour(op, light);
        const QColor onDark = OperationPresentation::statusColour(op, dark);
        QVERIFY2(onLight.lightness() < 128, status);
        QVERIFY2(onDark.lightness() > onLight.lightness() + 40, status);
    }
    // Waiting states use the palette's own text colour.
    const WatchedOperation waiting = watched("w", "notStarted", 0, m_clock.now());
    QCOMPARE(OperationPresentation::statusColour(waiting, dark), dark.color(QPalette::Text));
}

void TestOperationTableModel::aLargeChangeIsOneLayoutChangeAndKeepsTheSelection()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(OperationTableModel::Status);
    const QDateTime t0 = m_clock.now();
    for (int i = 0; i < 1000; ++i)
        put(store, watched(QStringLiteral("op-%1").arg(i), "notStarted", 0, t0));
    store.flush();
    const QPersistentModelIndex selected = proxy.index(10, 0);
    const QString key = selected.data(OperationTableModel::KeyRole).toString();
    QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy changes(&proxy, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&proxy, &QAbstractItemModel::modelReset);
    // Half the table moves on: one layout change of the proxy, not 500 re-sorts, and no reset.
    for (int i = 0; i < 1000; i += 2)
        put(store, watched(QStringLiteral("op-%1").arg(i), "inProgress", 1, t0));
    store.flush();
    QCOMPARE(layouts.size(), 1);
    QCOMPARE(changes.size(), 0);
    QCOMPARE(resets.size(), 0);
    QVERIFY(selected.isValid());
    QCOMPARE(selected.data(OperationTableModel::KeyRole).toString(), key); // still the same row
    // The proxy re-sorted: the in-progress ones now come after the not-started ones.
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("Not started"));
    QCOMPARE(proxy.index(999, 0).data().toString(), QStringLiteral("In progress"));
}

using Edit = std::function<void(WatchedOperation &)>;
Q_DECLARE_METATYPE(Edit)

void TestOperationTableModel::everyShownPropertySignalsItsRow_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<bool>("needsAttention"); // what the "Needs attention" filter says after
    QTest::newRow("status") << Edit([](WatchedOperation &op) {
        op.latest->statusRaw = QStringLiteral("succeeded");
        op.latest->status = OperationStatus::Succeeded;
    }) << false;
    QTest::newRow("stop watching")
        << Edit([](WatchedOperation &op) { op.watch = WatchedOperation::Watch::Paused; }) << true;
    QTest::newRow("not found") << Edit([](WatchedOperation &op) {
        op.watch = WatchedOperation::Watch::NotFound;
    }) << true;
    QTest::newRow("access denied")
        << Edit([](WatchedOperation &op) { op.watch = WatchedOperation::Watch::AccessDenied; })
        << true;
    QTest::newRow("attempts") << Edit([](WatchedOperation &op) { op.latest->attemptsCount = 7; })
                              << false;
    QTest::newRow("error") << Edit([](WatchedOperation &op) {
        op.latest->error = OperationError{QStringLiteral("Conflict"), QStringLiteral("Taken.")};
    }) << false;
    QTest::newRow("target") << Edit([](WatchedOperation &op) {
        op.latest->targetResourceLocation = QStringLiteral("/teams('new')");
    }) << false;
    QTest::newRow("next poll") << Edit([](WatchedOperation &op) {
        op.nextPollAt = op.nextPollAt.addSecs(90);
    }) << false;
    QTest::newRow("poll failure") << Edit([](WatchedOperation &op) {
        op.lastFailure = GraphFailure::Throttled;
        op.lastFailureMessage = QStringLiteral("throttled (HTTP 429)");
    }) << true;
}

void TestOperationTableModel::everyShownPropertySignalsItsRow()
{
    QFETCH(Edit, edit);
    QFETCH(bool, needsAttention);
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy attention;
    attention.setSourceModel(&model);
    attention.setCategory(OperationCategory::NeedsAttention);
    QAbstractItemModelTester modelTester(&model,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&attention,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 5; ++i) {
        WatchedOperation op =
            watched(QStringLiteral("op-%1").arg(i), "inProgress", 1, m_clock.now().addSecs(-60));
        op.nextPollAt = m_clock.now().addSecs(10);
        store.add(op);
    }
    store.flush();
    QCOMPARE(attention.rowCount(), 0);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

    edit(*store.edit(QStringLiteral("team-1/op-3")));
    store.flush();
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().at(0).toModelIndex().row(), 3);
    QCOMPARE(changes.first().at(1).toModelIndex().row(), 3);
    QCOMPARE(attention.rowCount(), needsAttention ? 1 : 0); // the filter followed
}

void TestOperationTableModel::bulkRemovalIsOneSignalPerRange()
{
    OperationStore store;
    OperationTableModel model(store, m_clock);
    OperationSortProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(OperationTableModel::Status);
    // The tester checks the model; on the sorted proxy each of its thousands of scattered
    // removals would be checked one by one, minutes for a test.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime t0 = m_clock.now();
    for (int i = 0; i < 30000; ++i)
        store.add(watched(QStringLiteral("op-%1").arg(i), i % 2 ? "inProgress" : "failed", 1, t0));
    store.flush();
    QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    // 20 000 rows in three runs: three removals, last first.
    QStringList keys;
    for (const auto &[first, last] : {std::pair{0, 4999}, {10000, 19999}, {25000, 29999}}) {
        for (int i = first; i <= last; ++i)
            keys.append(QStringLiteral("team-1/op-%1").arg(i));
    }
    QCOMPARE(store.remove(keys), 20000);
    QCOMPARE(removals.size(), 3);
    QCOMPARE(removals.at(0).at(1).toInt(), 25000);
    QCOMPARE(removals.at(2).at(2).toInt(), 4999);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(model.rowCount(), 10000);
    QCOMPARE(proxy.rowCount(), 10000);
    QCOMPARE(model.rowOf(QStringLiteral("team-1/op-5000")), 0);
    QCOMPARE(model.rowOf(QStringLiteral("team-1/op-20000")), 5000);
    QCOMPARE(model.rowOf(QStringLiteral("team-1/op-10000")), -1);

    // Thousands of scattered rows (what "select all failed, Delete" gives): one reset.
    keys.clear();
    for (int i = 5000; i < 30000; i += 2)
        keys.append(QStringLiteral("team-1/op-%1").arg(i));
    QCOMPARE(store.remove(keys), 5000);
    QCOMPARE(removals.size(), 3);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.rowCount(), 5000);
    for (int row = 0; row < model.rowCount(); row += 997)
        QCOMPARE(model.index(row, OperationTableModel::Status).data().toString(),
                 QStringLiteral("In progress"));
}

QTEST_MAIN(TestOperationTableModel)
#include "tst_operationtablemodel.moc"
