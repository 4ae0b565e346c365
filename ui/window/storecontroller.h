#pragma once

#include <QObject>

class MainWindow;
class StoreSaver;

// What the window says about the store on disk: saving failures and recoveries (a banner that goes
// when saving works again), operations another TeamsOps added or forgot (the status bar), and
// Settings → Keep finished operations.
class StoreController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreController)
public:
    StoreController(MainWindow &window, StoreSaver &saver, const QString &path);

    // How many days finished operations are kept (QSettings, default 30).
    static int retentionDays();

private:
    void addRetentionSetting();

    MainWindow &m_window;
    StoreSaver &m_saver;
};
