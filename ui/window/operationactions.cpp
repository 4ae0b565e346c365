#include "window/operationactions.h"

#include "model/clock.h"
#include "model/operationexport.h"
#include "polling/operationpoller.h"
#include "store/operationstore.h"
#include "table/operationpresentation.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QIcon>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QSaveFile>
#include <QTableView>

OperationActions::OperationActions(OperationPoller &poller, Clock &clock,
                                   OperationTableModel &model, OperationSortProxy &proxy,
                                   QTableView &table, QWidget *window)
    : QObject(window)
    , m_poller(poller)
    , m_clock(clock)
    , m_model(model)
    , m_proxy(proxy)
    , m_table(table)
    , m_window(window)
    , m_add(new QAction(tr("&Add operations…"), this))
    , m_remove(new QAction(tr("&Remove"), this))
    , m_toggleWatching(new QAction(tr("&Stop / resume watching"), this))
    , m_pollNow(new QAction(tr("&Poll now"), this))
    , m_copyLocation(new QAction(tr("&Copy Location"), this))
    , m_copyJson(new QAction(tr("Copy as &JSON"), this))
    , m_exportCsv(new QAction(tr("Export visible rows as &CSV…"), this))
    , m_exportJson(new QAction(tr("Export visible rows as JS&ON…"), this))
    , m_undo(new QAction(tr("Un&do"), this))
{
    // The desktop theme's icons where it has them, ours otherwise.
    const auto icon = [](const char *themeName, const char *bundled) {
        return QIcon::fromTheme(
            QLatin1String(themeName),
            QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(bundled))));
    };
    m_add->setIcon(icon("list-add", "action-add"));
    m_pollNow->setIcon(icon("view-refresh", "action-poll"));
    m_toggleWatching->setIcon(icon("media-playback-pause", "action-pause"));
    m_remove->setIcon(icon("list-remove", "action-remove"));
    m_add->setShortcut(QKeySequence::New);
    m_remove->setShortcut(QKeySequence::Delete);
    m_toggleWatching->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_pollNow->setShortcut(QKeySequence::Refresh);
    m_copyLocation->setShortcut(QKeySequence::Copy);
    m_copyJson->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_exportCsv->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportJson->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_undo->setObjectName(QStringLiteral("undo"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_undo->setEnabled(false);
    connect(m_undo, &QAction::triggered, this, &OperationActions::undoLast);
    for (QAction *action : {m_add, m_remove, m_toggleWatching, m_pollNow, m_copyLocation,
                            m_copyJson, m_exportCsv, m_exportJson, m_undo}) {
        action->setShortcutContext(Qt::WindowShortcut);
        window->addAction(action);
    }
    connect(m_remove, &QAction::triggered, this, &OperationActions::removeSelected);
    connect(m_toggleWatching, &QAction::triggered, this, &OperationActions::toggleWatchingSelected);
    connect(m_pollNow, &QAction::triggered, this, [this] { emit message(pollSelectedNow()); });
    connect(m_copyLocation, &QAction::triggered, this, &OperationActions::copySelectedLocations);
    connect(m_copyJson, &QAction::triggered, this, &OperationActions::copySelectedJson);
    connect(m_exportCsv, &QAction::triggered, this, [this] { exportWithDialog(false); });
    connect(m_exportJson, &QAction::triggered, this, [this] { exportWithDialog(true); });
    connect(m_table.selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OperationActions::updateEnabled);
    updateEnabled();
}

QList<QAction *> OperationActions::selectionActions() const
{
    return {m_pollNow, m_toggleWatching, m_copyLocation, m_copyJson, m_remove};
}

void OperationActions::updateEnabled()
{
    const bool any = m_table.selectionModel()->hasSelection();
    for (QAction *action : selectionActions())
        action->setEnabled(any);
}

QList<const WatchedOperation *> OperationActions::selected() const
{
    QList<const WatchedOperation *> operations;
    for (const QModelIndex &index : m_table.selectionModel()->selectedRows()) {
        if (const WatchedOperation *op = m_model.operationAt(m_proxy.mapToSource(index).row()))
            operations.append(op);
    }
    return operations;
}

QList<const WatchedOperation *> OperationActions::visible() const
{
    QList<const WatchedOperation *> operations;
    for (int row = 0; row < m_proxy.rowCount(); ++row) {
        const QModelIndex source = m_proxy.mapToSource(m_proxy.index(row, 0));
        if (const WatchedOperation *op = m_model.operationAt(source.row()))
            operations.append(op);
    }
    return operations;
}

void OperationActions::removeSelected()
{
    Undo undo;
    QList<OperationRef> refs;
    for (const WatchedOperation *op : selected()) {
        refs.append(op->ref);
        undo.removed.append(*op); // whole: undone, it comes back as it was
    }
    if (refs.isEmpty())
        return;
    m_poller.unwatch(refs); // one pass, however many
    undo.what = tr("Forgot %n operation(s)", nullptr, int(refs.size()));
    emit message(undo.what);
    pushUndo(std::move(undo));
}

void OperationActions::toggleWatchingSelected()
{
    QList<std::pair<OperationRef, bool>> changes;
    Undo undo;
    for (const WatchedOperation *op : selected()) {
        // Paused ones resume; everything else still polled stops.
        const bool paused = op->watch == WatchedOperation::Watch::Paused;
        changes.append({op->ref, paused});
        undo.wasWatching.append({op->ref, !paused});
    }
    if (changes.isEmpty())
        return;
    for (const auto &[ref, watching] : std::as_const(changes))
        m_poller.setWatching(ref, watching);
    const qsizetype stopped = std::count_if(changes.cbegin(), changes.cend(),
                                            [](const auto &change) { return !change.second; });
    undo.what =
        stopped == changes.size()
            ? tr("Stopped watching %n operation(s)", nullptr, int(stopped))
            : tr("Resumed or stopped watching %n operation(s)", nullptr, int(changes.size()));
    pushUndo(std::move(undo));
}

void OperationActions::pushUndo(Undo undo)
{
    const QString what = undo.what;
    m_undos.append(std::move(undo));
    if (m_undos.size() > kUndoDepth)
        m_undos.removeFirst();
    m_undo->setEnabled(true);
    m_undo->setText(tr("Un&do: %1").arg(what));
    emit undoable(what);
}

void OperationActions::undoLast()
{
    if (m_undos.isEmpty())
        return;
    const Undo undo = m_undos.takeLast();
    OperationStore &store = m_poller.store();
    qsizetype back = 0;
    for (WatchedOperation op : undo.removed) {
        // Nothing of it is in flight now; it is polled again as it was before.
        op.inFlight = false;
        back += store.add(std::move(op)) ? 1 : 0;
    }
    for (const auto &[ref, watching] : undo.wasWatching)
        m_poller.setWatching(ref, watching);
    emit message(back > 0 ? tr("Undone: %n operation(s) back", nullptr, int(back))
                          : tr("Undone: %1").arg(undo.what));
    m_undo->setEnabled(!m_undos.isEmpty());
    m_undo->setText(m_undos.isEmpty() ? tr("Un&do")
                                      : tr("Un&do: %1").arg(m_undos.constLast().what));
    emit undoable(m_undos.isEmpty() ? QString() : m_undos.constLast().what);
}

QString OperationActions::pollSelectedNow()
{
    QDateTime latest;
    int asked = 0;
    QList<OperationRef> refs;
    for (const WatchedOperation *op : selected())
        refs.append(op->ref);
    for (const OperationRef &ref : std::as_const(refs)) {
        const WatchedOperation *op = m_poller.find(ref);
        if (op && op->watch != WatchedOperation::Watch::Active &&
            op->watch != WatchedOperation::Watch::Paused)
            m_poller.retry(ref); // access denied / not found: try again
        const QDateTime when = m_poller.pollNow(ref);
        if (when.isValid()) {
            ++asked;
            latest = latest.isValid() ? std::max(latest, when) : when;
        }
    }
    if (asked == 0)
        return tr("Nothing to poll: the selected operations are finished or not watched.");
    const qint64 wait = std::max<qint64>(0, m_clock.now().msecsTo(latest));
    const QString what = tr("%n operation(s)", nullptr, int(asked));
    return wait < 1000 ? tr("Polling %1 now").arg(what)
                       : tr("Polling %1 within %2 s (Graph asks for 30 s between polls)")
                             .arg(what)
                             .arg((wait + 999) / 1000);
}

void OperationActions::copySelectedLocations()
{
    QStringList lines;
    for (const WatchedOperation *op : selected())
        lines.append(op->ref.location());
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void OperationActions::copySelectedJson()
{
    const QList<const WatchedOperation *> operations = selected();
    if (operations.isEmpty())
        return;
    if (operations.size() == 1) {
        QApplication::clipboard()->setText(
            QString::fromUtf8(QJsonDocument::fromJson(operations.first()->lastReply)
                                  .toJson(QJsonDocument::Indented)));
        return;
    }
    QApplication::clipboard()->setText(QString::fromUtf8(operationsToJson(operations)));
}

bool OperationActions::exportVisible(const QString &path, bool asJson, QString *error)
{
    const QList<const WatchedOperation *> rows = visible();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(asJson ? operationsToJson(rows) : operationsToCsv(rows));
    if (!file.commit()) { // the old file stays as it was
        if (error)
            *error = file.errorString();
        return false;
    }
    emit message(tr("Exported %1 rows to %2").arg(rows.size()).arg(path));
    return true;
}

void OperationActions::exportWithDialog(bool asJson)
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, asJson ? tr("Export as JSON") : tr("Export as CSV"),
        asJson ? QStringLiteral("operations.json") : QStringLiteral("operations.csv"),
        asJson ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportVisible(path, asJson, &error))
        QMessageBox::warning(m_window, tr("Export failed"),
                             tr("Could not write %1: %2").arg(path, error));
}
