// A second process for tst_operationdatabase: writes poll rounds into a store the way the app
// does (an OperationStore and a StoreSaver), and prints "committed N" after round N is on disk.
//
//   storewriter PATH PREFIX ROUNDS   (ROUNDS 0: until killed)
//   storewriter PATH --poll PREFIX N a poller: watches PREFIX/op-0..N-1 and, every 20 ms, counts
//                                    a poll of each one it watches (paused ones not), saves,
//                                    and follows the other processes; prints "round R: watched
//                                    W, paused P" after each save, until killed
//   storewriter PATH --hold          another program holding the file: takes SQLite's
//                                    exclusive lock, prints "holding", and keeps it until a
//                                    line (or the end) arrives on stdin
//
// Round N adds three operations PREFIX/N-0..2 ("inProgress") and moves round N-1's to
// "succeeded": after round N is committed, rounds 1..N-1 are succeeded and round N in progress.
#include "model/clock.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>
#include <QTimer>

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

// As a backup tool or `sqlite3` in a transaction would: nobody else reads or writes meanwhile.
int hold(const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"));
    db.setDatabaseName(path);
    if (!db.open())
        return 2;
    QSqlQuery query(db);
    for (const char *statement :
         {"PRAGMA locking_mode=EXCLUSIVE", "BEGIN EXCLUSIVE", "SELECT count(*) FROM sqlite_master",
          "CREATE TABLE IF NOT EXISTS held (id INTEGER)", "DROP TABLE held"}) {
        if (!query.exec(QString::fromLatin1(statement))) {
            QTextStream(stderr) << statement << ": " << query.lastError().text() << Qt::endl;
            return 3;
        }
    }
    QTextStream(stdout) << "holding" << Qt::endl;
    QTextStream(stdin).readLine(); // until told, or until the test ends
    query.exec(QStringLiteral("COMMIT"));
    return 0;
}

int poll(QCoreApplication &app, const QString &path, const QString &prefix, int count)
{
    OperationDatabase database;
    if (const OperationDatabase::OpenResult opened = database.open(path); !opened.ok) {
        QTextStream(stderr) << opened.error << Qt::endl;
        return 2;
    }
    SystemClock clock;
    OperationStore store;
    StoreSaver saver(database, store, clock);
    saver.restore();
    for (int i = 0; i < count; ++i) {
        WatchedOperation op;
        op.ref.teamId = prefix;
        op.ref.operationId = QStringLiteral("op-%1").arg(i);
        op.ref.graphBase = QUrl(QStringLiteral("http://127.0.0.1:1/v1.0"));
        op.setLocation(op.ref.location());
        op.addedAt = clock.now();
        op.latest = snapshot(op.ref.operationId, QStringLiteral("inProgress"));
        store.add(std::move(op));
    }
    saver.followOthers(std::chrono::milliseconds(10));
    int round = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        int paused = 0;
        for (qsizetype i = 0; i < store.size(); ++i) {
            if (store.at(i).watch == WatchedOperation::Watch::Paused) {
                ++paused;
                continue;
            }
            WatchedOperation &op = store.edit(i);
            ++op.polls;
            op.lastPolledAt = clock.now();
        }
        if (saver.saveNow()) {
            QTextStream(stdout) << "round " << ++round << ": watched " << store.size()
                                << ", paused " << paused << Qt::endl;
        }
    });
    tick.start(20);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 3 && args.at(2) == QLatin1String("--hold"))
        return hold(args.at(1));
    if (args.size() == 5 && args.at(2) == QLatin1String("--poll"))
        return poll(app, args.at(1), args.at(3), args.at(4).toInt());
    if (args.size() != 4)
        return 1;
    const QString prefix = args.at(2);
    const int rounds = args.at(3).toInt();
    QTextStream out(stdout);

    OperationDatabase database;
    if (const OperationDatabase::OpenResult opened = database.open(args.at(1)); !opened.ok) {
        QTextStream(stderr) << opened.error << Qt::endl;
        return 2;
    }
    SystemClock clock;
    OperationStore store;
    StoreSaver saver(database, store, clock);
    for (int round = 1; rounds == 0 || round <= rounds; ++round) {
        const QDateTime now = clock.now();
        for (int i = 0; i < 3; ++i) {
            WatchedOperation op;
            op.ref.teamId = prefix;
            op.ref.operationId = QStringLiteral("%1-%2").arg(round).arg(i);
            op.ref.graphBase = QUrl(QStringLiteral("http://127.0.0.1:1/v1.0"));
            op.setLocation(op.ref.location());
            op.addedAt = now;
            op.latest = snapshot(op.ref.operationId, QStringLiteral("inProgress"));
            op.history.append({now,
                               QStringLiteral("inProgress"),
                               OperationStatus::InProgress,
                               1,
                               std::nullopt,
                               QString(),
                               {}});
            store.add(std::move(op));
        }
        for (int i = 0; round > 1 && i < 3; ++i) {
            const QString key =
                QStringLiteral("%1/%2-%3").arg(prefix.toLower()).arg(round - 1).arg(i);
            WatchedOperation *op = store.edit(key);
            op->latest = snapshot(op->ref.operationId, QStringLiteral("succeeded"));
            op->history.append({now,
                                QStringLiteral("succeeded"),
                                OperationStatus::Succeeded,
                                1,
                                std::nullopt,
                                QString(),
                                {}});
        }
        while (!saver.saveNow()) {
            // Another process holds the file: try again (the busy timeout already waited).
        }
        out << "committed " << round << Qt::endl;
    }
    return 0;
}
