// What the window says about the store on disk: saving failures and recoveries, operations
// another TeamsOps added, how long finished operations are kept; and the selection kept across
// restarts.
#include "mainwindow.h"

#include "operationpresentation.h"
#include "operationsortproxy.h"
#include "operationtablemodel.h"
#include "store/storesaver.h"

#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>

namespace {
const QString kRetentionKey = QStringLiteral("store/retentionDays");
const QString kSelectionKey = QStringLiteral("selection/current");
constexpr int kDefaultRetentionDays = 30;
} // namespace

int MainWindow::retentionDays()
{
    return QSettings().value(kRetentionKey, kDefaultRetentionDays).toInt();
}

void MainWindow::attachStore(StoreSaver &saver, const QString &path)
{
    const QString where = QDir::toNativeSeparators(path).toHtmlEscaped();
    connect(&saver, &StoreSaver::savingFailed, this, [this, where](const QString &why) {
        showBanner(tr("<b>Saving fails</b> (%1). Watching goes on: changes are kept in memory "
                      "and saved to %2 as soon as it can be written again.")
                       .arg(why.toHtmlEscaped(), where),
                   BannerKind::Warning);
        m_bannerIsAboutSaving = true;
    });
    connect(&saver, &StoreSaver::savingResumed, this, [this] {
        if (m_bannerIsAboutSaving)
            m_banner->hide();
        statusBar()->showMessage(tr("Saving works again: everything is on disk."), 10000);
    });
    connect(&saver, &StoreSaver::pickedUp, this, [this](qsizetype added, qsizetype forgotten) {
        QStringList parts;
        if (added > 0)
            parts.append(tr("%n operation(s) added", nullptr, int(added)));
        if (forgotten > 0)
            parts.append(tr("%1 forgotten").arg(forgotten));
        statusBar()->showMessage(
            tr("%1 by another TeamsOps on this store").arg(parts.join(tr(", "))), 10000);
    });

    QMenu *settings = nullptr;
    for (QAction *action : menuBar()->actions()) {
        if (action->menu() && action->objectName() == QLatin1String("settingsMenu"))
            settings = action->menu();
    }
    if (!settings)
        return;
    QAction *retention = settings->addAction(tr("&Keep finished operations…"));
    retention->setObjectName(QStringLiteral("retentionSetting"));
    connect(retention, &QAction::triggered, this, [this, &saver] {
        bool ok = false;
        const int days = QInputDialog::getInt(
            this, tr("Keep finished operations"),
            tr("Forget succeeded and failed operations this many days after their last change:"),
            retentionDays(), 1, 3650, 1, &ok);
        if (!ok)
            return;
        QSettings().setValue(kRetentionKey, days);
        const qsizetype forgotten = saver.pruneFinishedOlderThan(std::chrono::hours(24 * days));
        statusBar()->showMessage(tr("%n finished operation(s) forgotten", nullptr, int(forgotten)),
                                 10000);
    });
}

QString MainWindow::currentKey() const
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const WatchedOperation *operation =
        current.isValid() ? m_model->operationAt(current.row()) : nullptr;
    return operation ? operation->key : QString();
}

bool MainWindow::restoreSelection()
{
    const QString key = QSettings().value(kSelectionKey).toString();
    return !key.isEmpty() && selectOperation(key);
}
