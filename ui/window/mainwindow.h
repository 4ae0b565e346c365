#pragma once

#include "dialogs/teamcarddialog.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class AddDialog;
class SharedStoreDialog;
class Banner;
class Clock;
class DetailsPane;
class FilterSidebar;
class GraphClient;
class Notifier;
class OperationActions;
class OperationCounts;
class OperationPoller;
class OperationSortProxy;
class OperationTableModel;
class OperationTableView;
class OverviewStrip;
class PollState;
class PollStatusBar;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTableView;
class SignInController;
class SignInManager;
class StartController;
class StartJournal;
class StoreController;
class StoreSaver;
class WelcomePage;

// The dashboard: the operations table, a banner for what the admin must know (demo tenant, missing
// token, sign-in needed), and a status bar with the poll schedule and what the last poll found.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    MainWindow(GraphClient &client, OperationPoller &poller, Clock &clock,
               QWidget *parent = nullptr);

    // How "Open in Teams" opens links; QDesktopServices::openUrl unless a test replaces it.
    void setUrlOpener(TeamCardDialog::UrlOpener opener) { m_urlOpener = std::move(opener); }
    const TeamCardDialog::UrlOpener &urlOpener() const { return m_urlOpener; }
    // How the sign-in page is opened; the same as other links unless set (the demo tenant
    // answers it in-process).
    void setSignInUrlOpener(TeamCardDialog::UrlOpener opener)
    {
        m_signInUrlOpener = std::move(opener);
    }
    const TeamCardDialog::UrlOpener &signInUrlOpener() const
    {
        return m_signInUrlOpener ? m_signInUrlOpener : m_urlOpener;
    }

    // The Account menu and everything the window says of signing in (SignInController).
    void attachSignIn(SignInManager &signIn);
    // What the window says of the store on disk (StoreController); with the store's journal of
    // starts, each start request is saved there before it is sent.
    void attachStore(StoreSaver &saver, const QString &path, StartJournal *journal = nullptr);
    SignInController *signIn() const { return m_signIn; }
    StartController *starts() const { return m_starts; }

    GraphClient &client() const { return m_client; }
    OperationPoller &poller() const { return m_poller; }
    Clock &clock() const { return m_clock; }
    OperationTableModel *model() const { return m_model; }
    OperationSortProxy *proxy() const { return m_proxy; }
    OverviewStrip *overview() const { return m_overview; }
    QTableView *table() const;
    FilterSidebar *sidebar() const { return m_sidebar; }
    OperationCounts *counts() const { return m_counts; }
    DetailsPane *details() const { return m_details; }
    OperationActions *actions() const { return m_actions; }
    Notifier *notifier() const { return m_notifier; }
    WelcomePage *welcome() const { return m_welcome; }
    Banner *banner() const { return m_banner; }
    PollStatusBar *pollStatus() const { return m_pollStatus; }
    PollState *pollState() const { return m_pollState; }

    // The welcome page shows while nothing is watched.
    bool isShowingWelcome() const;
    // The demo tenant: its welcome page does not offer the demo again, its clones settle sooner.
    void setDemo(bool demo);
    // Help → Keyboard shortcuts and Help → About, as shown.
    QString shortcutsText() const;
    QString aboutText() const;

    // Opens (or raises) the target card of the operation at a row of the table's model.
    TeamCardDialog *openTarget(const QModelIndex &proxyIndex);
    // Selects and shows an operation (from a notification, say); false when it is not there.
    bool selectOperation(const QString &key);
    // The details pane shows the current row again (its status, timeline and note).
    void refreshDetails();
    void refreshDetailsSoon(); // once, at the next turn of the event loop
    // Opens "Add operations"; the dialog adds what it can and stays open on bad lines.
    AddDialog *openAddDialog();
    // Settings → Shared store (a team's PostgreSQL store), opened non-modally.
    SharedStoreDialog *openSharedStoreDialog();
    // Header (order, sizes, sort, hidden columns), window geometry, splitters and settings.
    void saveLayout() const;
    void restoreLayout();
    // The selected operation's key, and selecting it again after a restart if it is there.
    QString currentKey() const;
    bool restoreSelection();

signals:
    void teamCardOpened(TeamCardDialog *card);
    // "Try the demo tenant" on the welcome page.
    void demoRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildPanes();
    void buildMenus();
    void buildToolBar();
    void connectFilters();
    void refreshCounts();
    void showWelcomeWhenEmpty();
    void showNotice(const QString &key, const QString &text);
    void tokenRefused(const QString &why);

    GraphClient &m_client;
    OperationPoller &m_poller;
    Clock &m_clock;
    OperationCounts *m_counts;
    PollState *m_pollState;
    OperationTableModel *m_model;
    OperationSortProxy *m_proxy;
    OperationTableView *m_table;
    FilterSidebar *m_sidebar;
    DetailsPane *m_details;
    OverviewStrip *m_overview;
    WelcomePage *m_welcome;
    QStackedWidget *m_tableOrWelcome = nullptr;
    OperationActions *m_actions = nullptr;
    Notifier *m_notifier;
    QLineEdit *m_search;
    QSplitter *m_mainSplitter;
    QSplitter *m_rightSplitter;
    QString m_notificationKey;
    Banner *m_banner;
    PollStatusBar *m_pollStatus = nullptr;
    QTimer m_tick;
    bool m_detailsQueued = false;
    TeamCardDialog::UrlOpener m_urlOpener;
    TeamCardDialog::UrlOpener m_signInUrlOpener;
    QHash<QString, QPointer<TeamCardDialog>> m_openCards;
    SignInController *m_signIn = nullptr;
    StartController *m_starts = nullptr;
    StoreController *m_store = nullptr;
};
