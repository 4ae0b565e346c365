// A second process for tst_operationdatabase: writes poll rounds into a store the way the app
// does (an OperationStore and a StoreSaver), and prints "committed N" after round N is on disk.
//
//   storewriter PATH PREFIX ROUNDS   (ROUNDS 0: until killed)
//
// Round N adds three operations PREFIX/N-0..2 ("inProgress") and moves round N-1's to
// "succeeded": after round N is committed, rounds 1..N-1 are succeeded and round N in progress.
#include "model/clock.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace {

Operation snapshot(const QString &id, const QString &status)
{
    Operation op;
    op.id = id;
    op.operationTypeRaw = QStringLiteral("cloneTeam");
    op.operationType = OperationType::CloneTeam;
    op.statusRaw = status;
    op.status = operationStatusFromString(status);
    op.attemptsCount = 1;
    return op;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return 1;
    const QString prefix = args.at(2);
    const int rounds = args.at(3).toInt();
    QTextStream out(stdout);

    OperationDatabase database;
    if (!database.open(args.at(1)).ok)
        return 2;
    SystemClock clock;
    OperationStore store;
    StoreSaver saver(database, store, clock);
    for (int round = 1; rounds == 0 || round <= rounds; ++round) {
        const QDateTime now = clock.now();
        for (int i = 0; i < 3; ++i) {
            WatchedOperation op;
            op.ref.teamId = prefix;
            op.ref.operationId = QStringLiteral("%1-%2").arg(round).arg(i);
            op.ref.url = QUrl(QStringLiteral("http://127.0.0.1:1/v1.0/teams/%1/operations/%2")
                                  .arg(prefix, op.ref.operationId));
            op.locationText = op.ref.location();
            op.addedAt = now;
            op.latest = snapshot(op.ref.operationId, QStringLiteral("inProgress"));
            op.history.append({now, QStringLiteral("inProgress"), OperationStatus::InProgress, 1,
                               std::nullopt, QString()});
            store.add(std::move(op));
        }
        for (int i = 0; round > 1 && i < 3; ++i) {
            const QString key =
                QStringLiteral("%1/%2-%3").arg(prefix.toLower()).arg(round - 1).arg(i);
            WatchedOperation *op = store.edit(key);
            op->latest = snapshot(op->ref.operationId, QStringLiteral("succeeded"));
            op->history.append({now, QStringLiteral("succeeded"), OperationStatus::Succeeded, 1,
                                std::nullopt, QString()});
        }
        while (!saver.saveNow()) {
            // Another process holds the file: try again (the busy timeout already waited).
        }
        out << "committed " << round << Qt::endl;
    }
    return 0;
}
