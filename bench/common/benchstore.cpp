#include "benchstore.h"

#include "graph/graphclient.h"
#include "model/clock.h"
#include "polling/operationpoller.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"
#include "table/operationtablemodel.h"
#include "window/mainwindow.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTableView>
#include <QTimer>

#include <memory>

#include <sys/resource.h>

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 11, 25), QTime(9, 0), Qt::UTC);

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace

WatchedOperation sampleStoredOperation(int i)
{
    WatchedOperation op;
    op.ref.teamId = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-%1").arg(i % 500, 12, 10, QChar('0'));
    op.ref.operationId = QStringLiteral("1f0e2d3c-4b5a-4968-8776-%1").arg(i, 12, 10, QChar('0'));
    op.ref.graphBase = sharedGraphBase(QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")));
    op.setLocation(op.ref.location());
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
    op.nextPollAt = kStart.addSecs(3600);
    op.lastPolledAt = kStart.addSecs(60);
    op.polls = 3;
    op.history = {
        {kStart, QStringLiteral("notStarted"), OperationStatus::NotStarted, 0, {}, {}, {}},
        {kStart.addSecs(60),
         QStringLiteral("inProgress"),
         OperationStatus::InProgress,
         1,
         {},
         {},
         {}}};
    return op;
}

void writeSampleStore(const QString &path, int rows, Clock &clock)
{
    OperationDatabase database;
    database.open(path);
    OperationStore store;
    StoreSaver saver(database, store, clock);
    for (int i = 0; i < rows; ++i)
        store.add(sampleStoredOperation(i));
    saver.saveNow();
}

RestartFigures restartAndPaint(const QString &path, Clock &clock, bool restoreIntoWindow,
                               int idleSeconds)
{
    RestartFigures f;
    QElapsedTimer timer;
    timer.start();
    OperationDatabase database;
    f.opened = database.open(path).ok;
    f.openMs = timer.elapsed();
    GraphClient client(QUrl(QStringLiteral("https://graph.microsoft.com/v1.0")),
                       [] { return QString(); });
    // In the order app/gui/main.cpp builds them: restored first, so the table starts full.
    OperationStore store;
    StoreSaver saver(database, store, clock);
    std::unique_ptr<OperationPoller> poller;
    std::unique_ptr<MainWindow> window;
    const auto build = [&] {
        poller = std::make_unique<OperationPoller>(client, clock, store);
        window = std::make_unique<MainWindow>(client, *poller, clock);
    };
    if (restoreIntoWindow)
        build();
    const qint64 beforeRestore = timer.elapsed();
    f.restored = saver.restore();
    f.restoreMs = timer.elapsed() - beforeRestore;
    if (!restoreIntoWindow)
        build();
    window->resize(1400, 880);
    window->show();
    QCoreApplication::processEvents();
    window->table()->viewport()->repaint();
    f.firstPaintMs = timer.elapsed();
    f.rowsShown = window->table()->model()->rowCount();
    if (idleSeconds > 0) {
        // One second first: what the window does once after start (such as building the search
        // box's texts) is not idling.
        QEventLoop settling;
        QTimer::singleShot(1000, &settling, &QEventLoop::quit);
        settling.exec();
        const double cpuBefore = cpuSeconds();
        QElapsedTimer wall;
        wall.start();
        QEventLoop idle;
        QTimer::singleShot(idleSeconds * 1000, &idle, &QEventLoop::quit);
        idle.exec();
        f.idleCpuShare = (cpuSeconds() - cpuBefore) / (double(wall.elapsed()) / 1000.0);
    }
    return f;
}
