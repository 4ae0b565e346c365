#pragma once

#include "start/teamrequests.h"
#include "teamcarddialog.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class AddDialog;
class CloneDialog;
class CloneReadinessTracker;
class CreateTeamDialog;
class OperationStarter;
class Clock;
class DetailsPane;
class FilterSidebar;
class GraphClient;
class Notifier;
class OperationActions;
class OperationCounts;
class OperationPoller;
class OperationSortProxy;
class OverviewStrip;
class QStackedWidget;
class WelcomePage;
class OperationTableModel;
class QLabel;
class QMenu;
class QLineEdit;
class QSplitter;
class QTableView;
struct PollRound;

class DeviceCodeDialog;
class SignInManager;
class StoreSaver;

// The dashboard: the operations table, a banner for what the admin must know (demo tenant, missing
// token, sign-in needed), and a status bar with the poll schedule and what the last poll found.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    enum class BannerKind
    {
        Info,
        Warning
    };

    MainWindow(GraphClient &client, OperationPoller &poller, Clock &clock,
               QWidget *parent = nullptr);

    void showBanner(const QString &text, BannerKind kind);
    // Who the app talks to Graph as, for the status bar ("Not signed in" when empty).
    void setAccount(const QString &account);
    // How "Open in Teams" opens links; QDesktopServices::openUrl unless a test replaces it.
    void setUrlOpener(TeamCardDialog::UrlOpener opener) { m_urlOpener = std::move(opener); }
    // How the sign-in page is opened; the same as other links unless set (the demo tenant
    // answers it in-process).
    void setSignInUrlOpener(TeamCardDialog::UrlOpener opener)
    {
        m_signInUrlOpener = std::move(opener);
    }

    OperationTableModel *model() const { return m_model; }
    OperationSortProxy *proxy() const { return m_proxy; }
    OverviewStrip *overview() const { return m_overview; }
    // The welcome page shows while nothing is watched.
    bool isShowingWelcome() const;
    // The demo tenant: its welcome page does not offer the demo again.
    void setDemo(bool demo);
    // Help → Keyboard shortcuts and Help → About, as shown.
    QString shortcutsText() const;
    QString aboutText() const;
    QTableView *table() const { return m_table; }
    FilterSidebar *sidebar() const { return m_sidebar; }
    OperationCounts *counts() const { return m_counts; }
    DetailsPane *details() const { return m_details; }
    OperationActions *actions() const { return m_actions; }
    Notifier *notifier() const { return m_notifier; }

    // Opens (or raises) the target card of the operation at a row of the table's model.
    TeamCardDialog *openTarget(const QModelIndex &proxyIndex);
    // Selects and shows an operation (from a notification, say); false when it is not there.
    bool selectOperation(const QString &key);
    // Opens "Add operations"; the dialog adds what it can and stays open on bad lines.
    AddDialog *openAddDialog();
    // Header (order, sizes, sort, hidden columns), window geometry, splitters and settings.
    void saveLayout() const;
    void restoreLayout();

    // mainwindowstore.cpp: what the window says about the store on disk, and the selection
    // kept across restarts.
    // Shows saving failures (banner), recoveries and another process's additions (status bar),
    // and offers Settings → Keep finished operations.
    void attachStore(StoreSaver &saver, const QString &path);
    // Selects the operation that was selected when the window last closed, if it is there.
    bool restoreSelection();
    QString currentKey() const;
    // How many days finished operations are kept (QSettings, default 30).
    static int retentionDays();

    // mainwindowsignin.cpp: the Account menu (sign in with the browser or a device code, sign
    // out, sign-in settings), the welcome page's sign-in, who is signed in in the status bar,
    // and the "Sign in again" banner when the sign-in is lost (polling stays paused meanwhile).
    void attachSignIn(SignInManager &signIn);
    DeviceCodeDialog *deviceCodeDialog() const;

    // mainwindowstart.cpp: starting operations. Each accepted request is watched at once.
    CloneDialog *openCloneDialog();
    CreateTeamDialog *openCreateTeamDialog();
    // Archive (or unarchive) the selected operations' teams, once the admin confirms them.
    void confirmArchive(bool archive);
    // The teams of the selected operations: a finished clone's or create's new team, else the
    // team the operation acts on.
    QStringList selectedTeams() const;
    void startRequests(const QList<TeamRequest> &requests);
    CloneReadinessTracker *readiness() const { return m_readiness; }
    WelcomePage *welcome() const { return m_welcome; }
    void hideBanner();

signals:
    void teamCardOpened(TeamCardDialog *card);
    // "Try the demo tenant" on the welcome page.
    void demoRequested();
    // A batch of start requests is done: how many were accepted, and why the others were not.
    void startsFinished(int accepted, const QStringList &refusals);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar(); // mainwindowstatusbar.cpp, with the functions that fill it
    void refreshStatusBar();
    void refreshCounts();
    void refreshDetails();
    void showWelcomeWhenEmpty();
    void showRound(const PollRound &round);
    void showNotice(const QString &key, const QString &text);
    void buildStartActions(QMenu *operations); // mainwindowstart.cpp
    void startNext();
    // Watches an operation this window started; it says "Requested" until first read.
    void markStartedHere(const OperationRef &ref, const QString &location);
    void refreshAccount(); // mainwindowsignin.cpp
    void showSignInNeeded(const QString &why);
    void startSignIn(bool deviceCode);

    GraphClient &m_client;
    OperationPoller &m_poller;
    Clock &m_clock;
    OperationCounts *m_counts;
    OperationTableModel *m_model;
    OperationSortProxy *m_proxy;
    QTableView *m_table;
    FilterSidebar *m_sidebar;
    DetailsPane *m_details;
    OverviewStrip *m_overview;
    WelcomePage *m_welcome = nullptr;
    QStackedWidget *m_tableOrWelcome = nullptr;
    OperationActions *m_actions = nullptr;
    Notifier *m_notifier;
    QLineEdit *m_search;
    QSplitter *m_mainSplitter;
    QSplitter *m_rightSplitter;
    QLabel *m_notification; // in-window notice when there is no system tray
    QString m_notificationKey;
    QLabel *m_banner;
    bool m_bannerIsAboutSaving = false;
    QLabel *m_notice; // offline, or throttled: shown only while it lasts
    QLabel *m_scheduleLabel;
    QLabel *m_paceLabel; // only while Graph has asked us to slow down
    QLabel *m_lastPollLabel;
    QLabel *m_countsLabel;
    QLabel *m_accountLabel;
    QTimer m_tick;
    QDateTime m_nextPollAt;
    TeamCardDialog::UrlOpener m_urlOpener;
    TeamCardDialog::UrlOpener m_signInUrlOpener;
    QHash<QString, QPointer<TeamCardDialog>> m_openCards;
    SignInManager *m_signIn = nullptr;
    QPointer<DeviceCodeDialog> m_deviceCodeDialog;
    QMenu *m_accountMenu = nullptr;
    bool m_bannerIsAboutSignIn = false;
    OperationStarter *m_starter = nullptr;
    CloneReadinessTracker *m_readiness = nullptr;
    QList<TeamRequest> m_startQueue;
    QStringList m_startRefusals;
    int m_startAccepted = 0;
};
