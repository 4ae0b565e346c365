// The store of watched operations and the counts kept from its signals; no network, no widgets.
#include "store/operationcounts.h"
#include "store/operationstore.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QtTest>

namespace {

const QUrl kBase(QStringLiteral("https://graph.microsoft.com/v1.0"));

WatchedOperation record(int team, int id, const QString &status = QString(),
                        const QString &type = QStringLiteral("cloneTeam"))
{
    WatchedOperation op;
    op.ref =
        *resolveLocation(QStringLiteral("/teams/Team-%1/operations/Op-%2").arg(team).arg(id), kBase)
             .ref;
    if (!status.isEmpty()) {
        Operation snapshot;
        snapshot.id = op.ref.operationId;
        snapshot.statusRaw = status;
        snapshot.status = operationStatusFromString(status);
        snapshot.operationTypeRaw = type;
        snapshot.operationType = operationTypeFromString(type);
        op.latest = snapshot;
    }
    return op;
}

QString key(int team, int id)
{
    return QStringLiteral("team-%1/op-%2").arg(team).arg(id);
}

// The counts as a walk of every record would give them.
void compareWithAWalk(const OperationCounts &counts, const OperationStore &store)
{
    QHash<int, int> categories;
    QHash<QString, int> types;
    int outcomes[3] = {0, 0, 0};
    for (const WatchedOperation &op : store.records()) {
        const OperationCategories c = categoriesOf(op);
        for (const auto category : {OperationCategory::NotStarted, OperationCategory::InProgress,
                                    OperationCategory::Succeeded, OperationCategory::Failed,
                                    OperationCategory::NeedsAttention}) {
            if (c.testFlag(category))
                ++categories[int(category)];
        }
        if (op.latest && !op.latest->operationTypeRaw.isEmpty())
            ++types[op.latest->operationTypeRaw];
        ++outcomes[int(outcomeOf(op))];
    }
    QCOMPARE(counts.total(), int(store.size()));
    for (const auto category : {OperationCategory::NotStarted, OperationCategory::InProgress,
                                OperationCategory::Succeeded, OperationCategory::Failed,
                                OperationCategory::NeedsAttention})
        QCOMPARE(counts.count(category), categories.value(int(category)));
    QCOMPARE(counts.types(), types);
    QCOMPARE(counts.count(OperationOutcome::Pending), outcomes[0]);
    QCOMPARE(counts.count(OperationOutcome::Succeeded), outcomes[1]);
    QCOMPARE(counts.count(OperationOutcome::NotSucceeded), outcomes[2]);
}

} // namespace

class TestOperationStore : public QObject
{
    Q_OBJECT

private slots:
    void addsOnceByKeyAndIndexesTeams();
    void signalsOncePerTurn();
    void removalIsLinearAndKeepsIndexesRight();
    void countsFollowEveryChange();
    void outcomeIsOneClassification();
};

void TestOperationStore::addsOnceByKeyAndIndexesTeams()
{
    OperationStore store;
    QVERIFY(store.add(record(1, 1)));
    QVERIFY(!store.add(record(1, 1)));
    QVERIFY(store.add(record(1, 2)));
    QVERIFY(store.add(record(2, 1)));
    QCOMPARE(store.size(), 3);
    QCOMPARE(store.at(0).key, key(1, 1)); // filled in, lower case
    QCOMPARE(store.indexOf(key(2, 1)), 2);
    QCOMPARE(store.indexesOfTeam(QStringLiteral("team-1")), QList<qsizetype>({0, 1}));
    QVERIFY(!store.edit(key(3, 3)));
}

void TestOperationStore::signalsOncePerTurn()
{
    OperationStore store;
    QSignalSpy added(&store, &OperationStore::added);
    QSignalSpy changed(&store, &OperationStore::changed);
    for (int i = 0; i < 100; ++i)
        store.add(record(1, i));
    store.edit(key(1, 5))->polls = 1; // not yet announced: no change to tell
    QCOMPARE(added.size(), 0);
    QVERIFY(added.wait());
    QCOMPARE(added.size(), 1);
    QCOMPARE(added.first().at(0).value<qsizetype>(), 0);
    QCOMPARE(added.first().at(1).value<qsizetype>(), 99);
    QCOMPARE(changed.size(), 0);

    // Edits of one turn, in any order and repeated, arrive once, ascending.
    store.edit(key(1, 70))->polls = 1;
    store.edit(key(1, 3))->polls = 1;
    store.edit(key(1, 70))->polls = 2;
    store.edit(4).polls = 1;
    QVERIFY(changed.wait());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QList<qsizetype>>(), QList<qsizetype>({3, 4, 70}));
    QCOMPARE(store.at(70).polls, 2);
}

void TestOperationStore::removalIsLinearAndKeepsIndexesRight()
{
    OperationStore store;
    for (int i = 0; i < 10; ++i)
        store.add(record(i % 2, i));
    store.flush();
    QSignalSpy aboutToGo(&store, &OperationStore::aboutToBeRemoved);
    QSignalSpy gone(&store, &OperationStore::removed);
    // Pending edits are told under the old numbers before anything moves.
    QSignalSpy changed(&store, &OperationStore::changed);
    store.edit(key(1, 9))->polls = 3;
    QCOMPARE(store.remove({key(0, 2), key(1, 3), key(0, 8), QStringLiteral("nobody/none")}), 3);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QList<qsizetype>>(), QList<qsizetype>({9}));
    QCOMPARE(gone.size(), 2); // [8, 8] then [2, 3]
    QCOMPARE(aboutToGo.at(0).at(0).value<qsizetype>(), 8);
    QCOMPARE(gone.at(1).at(0).value<qsizetype>(), 2);
    QCOMPARE(gone.at(1).at(1).value<qsizetype>(), 3);
    QCOMPARE(store.size(), 7);
    QCOMPARE(store.indexOf(key(1, 9)), 6);
    QCOMPARE(store.at(6).polls, 3);
    QCOMPARE(store.indexesOfTeam(QStringLiteral("team-0")), QList<qsizetype>({0, 2, 4}));
    QCOMPARE(store.remove({key(0, 2)}), 0); // already gone

    // Many scattered records go in one pass, announced as a reset.
    OperationStore big;
    for (int i = 0; i < 1000; ++i)
        big.add(record(i % 7, i));
    big.flush();
    QSignalSpy resets(&big, &OperationStore::wasReset);
    QStringList odd;
    for (int i = 1; i < 1000; i += 2)
        odd.append(key(i % 7, i));
    QCOMPARE(big.remove(odd), 500);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(big.size(), 500);
    for (qsizetype i = 0; i < big.size(); ++i) {
        QCOMPARE(big.at(i).ref.operationId, QStringLiteral("Op-%1").arg(2 * i));
        QCOMPARE(big.indexOf(big.at(i).key), i);
    }
}

void TestOperationStore::countsFollowEveryChange()
{
    OperationStore store;
    const QStringList statuses{"notStarted", "inProgress", "succeeded", "failed", "running", ""};
    const QStringList types{"cloneTeam", "archiveTeam", "teamifyGroup"};
    for (int i = 0; i < 300; ++i)
        store.add(record(i % 11, i, statuses[i % 6], types[i % 3]));
    OperationCounts counts(store); // made before the records were announced
    QSignalSpy countsChanged(&counts, &OperationCounts::countsChanged);
    store.flush();
    QCOMPARE(countsChanged.size(), 1);
    compareWithAWalk(counts, store);

    QRandomGenerator random(42);
    for (int round = 0; round < 20; ++round) {
        for (int n = 0; n < 25; ++n) {
            WatchedOperation &op = store.edit(qsizetype(random.bounded(int(store.size()))));
            switch (random.bounded(4)) {
            case 0:
                op.watch = WatchedOperation::Watch(random.bounded(4));
                break;
            case 1:
                op.lastFailure = random.bounded(2) ? GraphFailure::Throttled : GraphFailure::None;
                break;
            case 2:
                if (op.latest) {
                    op.latest->statusRaw = statuses[random.bounded(5)];
                    op.latest->status = operationStatusFromString(op.latest->statusRaw);
                }
                break;
            default:
                if (op.latest)
                    op.latest->operationTypeRaw = types[random.bounded(3)];
                break;
            }
        }
        store.flush();
        compareWithAWalk(counts, store);
        QStringList doomed;
        for (int n = 0; n < (round % 5 == 4 ? 60 : 3); ++n)
            doomed.append(store.at(random.bounded(int(store.size()))).key);
        store.remove(doomed); // a few ranges, or many (a reset)
        compareWithAWalk(counts, store);
    }
}

void TestOperationStore::outcomeIsOneClassification()
{
    WatchedOperation moving = record(1, 1, QStringLiteral("inProgress"));
    QCOMPARE(outcomeOf(moving), OperationOutcome::Pending);
    QCOMPARE(outcomeOf(record(1, 1)), OperationOutcome::Pending); // not read yet
    QCOMPARE(outcomeOf(record(1, 1, QStringLiteral("succeeded"))), OperationOutcome::Succeeded);
    QCOMPARE(outcomeOf(record(1, 1, QStringLiteral("failed"))), OperationOutcome::NotSucceeded);
    QCOMPARE(outcomeOf(record(1, 1, QStringLiteral("running"))), OperationOutcome::Pending);
    // Stopped before its first answer (a 403, or the admin): no snapshot to read, still counted.
    WatchedOperation unread = record(1, 2);
    unread.watch = WatchedOperation::Watch::Paused;
    QCOMPARE(outcomeOf(unread), OperationOutcome::NotSucceeded);
    moving.watch = WatchedOperation::Watch::AccessDenied;
    QCOMPARE(outcomeOf(moving), OperationOutcome::NotSucceeded);
    QVERIFY(categoriesOf(moving).testFlag(OperationCategory::NeedsAttention));
    QVERIFY(categoriesOf(moving).testFlag(OperationCategory::InProgress));
}

QTEST_GUILESS_MAIN(TestOperationStore)
#include "tst_operationstore.moc"
