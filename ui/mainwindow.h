#pragma once

#include "teamcarddialog.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class Clock;
class GraphClient;
class OperationPoller;
class OperationSortProxy;
class OperationTableModel;
class QLabel;
class QTableView;
struct PollRound;

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
    // How "Open in Teams" opens links; QDesktopServices::openUrl unless a test replaces it.
    void setUrlOpener(TeamCardDialog::UrlOpener opener) { m_urlOpener = std::move(opener); }

    OperationTableModel *model() const { return m_model; }
    OperationSortProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }

    // Opens (or raises) the target card of the operation at a row of the table's model.
    TeamCardDialog *openTarget(const QModelIndex &proxyIndex);

signals:
    void teamCardOpened(TeamCardDialog *card);

private:
    void refreshStatusBar();
    void showRound(const PollRound &round);

    GraphClient &m_client;
    OperationPoller &m_poller;
    Clock &m_clock;
    OperationTableModel *m_model;
    OperationSortProxy *m_proxy;
    QTableView *m_table;
    QLabel *m_banner;
    QLabel *m_notice; // offline, or throttled: shown only while it lasts
    QLabel *m_scheduleLabel;
    QLabel *m_lastPollLabel;
    QLabel *m_countsLabel;
    QTimer m_tick;
    TeamCardDialog::UrlOpener m_urlOpener;
    QHash<QString, QPointer<TeamCardDialog>> m_openCards;
};
