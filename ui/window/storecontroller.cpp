#include "window/storecontroller.h"

#include "store/storesaver.h"
#include "window/banner.h"
#include "window/mainwindow.h"

#include <QDir>
#include <QInputDialog>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>

namespace {
const QString kRetentionKey = QStringLiteral("store/retentionDays");
constexpr int kDefaultRetentionDays = 30;
} // namespace

int StoreController::retentionDays()
{
    return QSettings().value(kRetentionKey, kDefaultRetentionDays).toInt();
}

StoreController::StoreController(MainWindow &window, StoreSaver &saver, const QString &path)
    : QObject(&window)
    , m_window(window)
    , m_saver(saver)
{
    const QString where = QDir::toNativeSeparators(path).toHtmlEscaped();
    Banner *banner = window.banner();
    QStatusBar *statusBar = window.statusBar();
    connect(&saver, &StoreSaver::savingFailed, this, [banner, where](const QString &why) {
        banner->showMessage(
            tr("<b>Saving fails</b> (%1). Watching goes on: changes are kept in memory "
               "and saved to %2 as soon as it can be written again.")
                .arg(why.toHtmlEscaped(), where),
            Banner::Kind::Warning, Banner::Topic::Saving);
    });
    connect(&saver, &StoreSaver::savingResumed, this, [banner, statusBar] {
        banner->clear(Banner::Topic::Saving);
        statusBar->showMessage(tr("Saving works again: everything is on disk."), 10000);
    });
    connect(&saver, &StoreSaver::followingFailed, this, [banner, where](const QString &why) {
        banner->showMessage(
            tr("<b>%1 cannot be read</b> (%2). What other admins and processes see may be "
               "missing here until it can be read again.")
                .arg(where, why.toHtmlEscaped()),
            Banner::Kind::Warning, Banner::Topic::Following);
    });
    connect(&saver, &StoreSaver::followingResumed, this, [banner, statusBar] {
        banner->clear(Banner::Topic::Following);
        statusBar->showMessage(tr("The store can be read again: the list is up to date."), 10000);
    });
    connect(&saver, &StoreSaver::pickedUp, this, [statusBar](qsizetype added, qsizetype forgotten) {
        QStringList parts;
        if (added > 0)
            parts.append(tr("%n operation(s) added", nullptr, int(added)));
        if (forgotten > 0)
            parts.append(tr("%1 forgotten").arg(forgotten));
        statusBar->showMessage(tr("%1 by another TeamsOps on this store").arg(parts.join(tr(", "))),
                               10000);
    });
    addRetentionSetting();
}

void StoreController::addRetentionSetting()
{
    QMenu *settings = nullptr;
    for (QAction *action : m_window.menuBar()->actions()) {
        if (action->menu() && action->objectName() == QLatin1String("settingsMenu"))
            settings = action->menu();
    }
    if (!settings)
        return;
    QAction *retention = settings->addAction(tr("&Keep finished operations…"));
    retention->setObjectName(QStringLiteral("retentionSetting"));
    connect(retention, &QAction::triggered, this, [this] {
        bool ok = false;
        const int days = QInputDialog::getInt(
            &m_window, tr("Keep finished operations"),
            tr("Forget succeeded and failed operations this many days after their last change:"),
            retentionDays(), 1, 3650, 1, &ok);
        if (!ok)
            return;
        QSettings().setValue(kRetentionKey, days);
        const qsizetype forgotten = m_saver.pruneFinishedOlderThan(std::chrono::hours(24 * days));
        m_window.statusBar()->showMessage(
            tr("%n finished operation(s) forgotten", nullptr, int(forgotten)), 10000);
    });
}
