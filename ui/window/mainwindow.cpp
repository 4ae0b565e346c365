#include "window/mainwindow.h"

#include "dialogs/adddialog.h"
#include "dialogs/sharedstoredialog.h"
#include "graph/graphclient.h"
#include "model/clock.h"
#include "panes/detailspane.h"
#include "panes/filtersidebar.h"
#include "panes/overviewstrip.h"
#include "panes/welcomepage.h"
#include "polling/operationpoller.h"
#include "polling/pollstate.h"
#include "polling/teamoperations.h"
#include "start/clonereadinesstracker.h"
#include "store/operationcounts.h"
#include "store/storelocation.h"
#include "table/emptyviewnotice.h"
#include "table/operationpresentation.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"
#include "table/operationtableview.h"
#include "window/banner.h"
#include "window/notifier.h"
#include "window/operationactions.h"
#include "window/pollstatusbar.h"
#include "window/signincontroller.h"
#include "window/startcontroller.h"
#include "window/storecontroller.h"

#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace {

// Keyboard focus to a pane: itself when it takes focus, else its first child that does.
void focusFirstIn(QWidget *pane)
{
    if (pane->focusPolicy() & Qt::TabFocus) {
        pane->setFocus(Qt::ShortcutFocusReason);
        return;
    }
    for (QWidget *child : pane->findChildren<QWidget *>()) {
        if ((child->focusPolicy() & Qt::TabFocus) && child->isVisibleTo(pane) &&
            child->isEnabled()) {
            child->setFocus(Qt::ShortcutFocusReason);
            return;
        }
    }
    pane->setFocus(Qt::ShortcutFocusReason);
}

// The link of a finished operation's notice, to its row.
constexpr const char *kShowNoticeLink = "teamsops:show-notice";
// The link in the message of what was just removed or stopped.
constexpr const char *kUndoLink = "teamsops:undo";
const QString kSelectionKey = QStringLiteral("selection/current");
} // namespace

MainWindow::MainWindow(GraphClient &client, OperationPoller &poller, Clock &clock, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_poller(poller)
    , m_clock(clock)
    , m_counts(new OperationCounts(poller.store(), this))
    , m_pollState(new PollState(poller, *m_counts, clock, this))
    , m_model(new OperationTableModel(poller.store(), clock, this))
    , m_proxy(new OperationSortProxy(this))
    , m_table(nullptr)
    , m_sidebar(new FilterSidebar(this))
    , m_details(new DetailsPane(this))
    , m_overview(new OverviewStrip(*m_counts, poller, *m_pollState, clock, this))
    , m_welcome(new WelcomePage(this))
    , m_notifier(new Notifier(poller, this))
    , m_search(new QLineEdit(this))
    , m_mainSplitter(new QSplitter(Qt::Horizontal, this))
    , m_rightSplitter(new QSplitter(Qt::Vertical, this))
    , m_banner(new Banner(this))
    , m_urlOpener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    setWindowTitle(tr("TeamsOps"));
    setWindowIcon(OperationPresentation::appIcon());
    // 1400×880 where it fits, else nine tenths of the screen it opens on: at 2× on a 2560×1440
    // screen (1280×720 logical) it once opened larger than the screen.
    const QSize wanted(1400, 880);
    resize(screen() ? wanted.boundedTo(screen()->availableGeometry().size() * 0.9) : wanted);

    m_proxy->setSourceModel(m_model);
    m_table = new OperationTableView(m_proxy, this);
    // Tab leaves the table for the next pane (arrows move within it), not its next cell.
    m_table->setTabKeyNavigation(false);
    // The pane that has the keyboard says so plainly, in the theme's highlight colour (light,
    // dark or high contrast), not with the style's faint dotted rectangle alone.
    setStyleSheet(QStringLiteral("#operationsTable:focus, #filterSidebar:focus "
                                 "{ border: 2px solid palette(highlight); }"));
    connect(m_table, &OperationTableView::targetRequested, this,
            [this](const QModelIndex &index) { openTarget(index); });
    m_pollStatus = new PollStatusBar(poller, *m_pollState, *m_counts, *statusBar(), *m_banner);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(buildPanes(), 1);
    setCentralWidget(central);
    // Over the table, not above it: a message never moves a row under the pointer.
    m_banner->floatOver(m_tableOrWelcome);

    m_actions = new OperationActions(poller, clock, *m_model, *m_proxy, *m_table, this);
    connect(m_actions->add(), &QAction::triggered, this, &MainWindow::openAddDialog);
    connect(m_actions, &OperationActions::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    // What was just removed or stopped can be taken back from its message too.
    connect(m_actions, &OperationActions::undoable, this, [this](const QString &what) {
        if (what.isEmpty()) {
            m_banner->clear(Banner::Topic::Undo);
            return;
        }
        m_banner->showMessage(
            QStringLiteral("%1. <a href='%2'>%3</a> (%4)")
                .arg(what.toHtmlEscaped(), QLatin1String(kUndoLink), tr("Undo"),
                     QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)),
            Banner::Kind::Info, Banner::Topic::Undo);
    });
    // The window's own links in messages: a finished operation's notice (when there is no
    // system tray) to its row, and Undo.
    connect(m_banner, &Banner::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String(kShowNoticeLink)) {
            selectOperation(m_notificationKey);
            m_banner->clear(Banner::Topic::Notice);
        } else if (link == QLatin1String(kUndoLink)) {
            m_actions->undoLast();
        }
    });
    m_starts = new StartController(*this);
    buildMenus();
    buildToolBar();
    connectFilters();

    connect(m_notifier, &Notifier::inWindowNotice, this, &MainWindow::showNotice);
    connect(m_notifier, &Notifier::activated, this, &MainWindow::selectOperation);
    connect(&poller, &OperationPoller::authenticationRequired, this, &MainWindow::tokenRefused);

    // Once a second: the countdown, the counts, and the two columns that move with the clock.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        m_pollStatus->refresh();
        m_overview->refresh();
        m_table->repaintClockColumns();
        // A running operation's timeline grows with the clock; a finished one's does not.
        if (const WatchedOperation *shown = m_poller.store().find(m_details->shownKey());
            shown && !shown->isTerminal()) {
            refreshDetails();
        }
    });
    m_tick.start();
    m_pollStatus->refresh();
    restoreLayout();
}

QWidget *MainWindow::buildPanes()
{
    // Table first: the overview and the table take most of the height; the details below start
    // small (their properties scroll) and the split is remembered.
    auto *tablePane = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_overview);
    tableLayout->addWidget(m_table, 1);
    // A first start, with nothing watched, shows the welcome page instead of an empty table.
    m_tableOrWelcome = new QStackedWidget(this);
    m_tableOrWelcome->addWidget(m_welcome);
    m_tableOrWelcome->addWidget(tablePane);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->addWidget(m_tableOrWelcome);
    m_rightSplitter->addWidget(m_details);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);
    // The table keeps fifteen rows or more at 1400×880; the details get the rest, enough for a
    // failure's error, its hint, the properties and the timeline without scrolling.
    m_rightSplitter->setSizes({540, 360});
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(m_sidebar);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes(
        {fontMetrics().horizontalAdvance(QStringLiteral("Needs attention (0000)")) + 40, 1000});
    return m_mainSplitter;
}

void MainWindow::connectFilters()
{
    // Filters: the sidebar's category, type or starter, and the search box.
    connect(m_sidebar, &FilterSidebar::filterChanged, this,
            [this](OperationCategory category, const QString &type, const QString &startedBy) {
                m_proxy->setCategory(category);
                m_proxy->setType(type);
                m_proxy->setStartedBy(startedBy);
                m_overview->showFilter(category, type.isEmpty() && startedBy.isEmpty());
            });
    connect(m_overview, &OverviewStrip::categoryChosen, m_sidebar, &FilterSidebar::select);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &OperationSortProxy::setSearchText);
    // A search or filter that hides every row says so, with a way back.
    auto *nothingShown = new EmptyViewNotice(m_table, m_model);
    const auto sayWhatHides = [this, nothingShown] {
        nothingShown->setHiddenBy(m_search->text(), m_proxy->isFiltered());
    };
    connect(m_search, &QLineEdit::textChanged, nothingShown, sayWhatHides);
    connect(m_sidebar, &FilterSidebar::filterChanged, nothingShown, sayWhatHides);
    connect(nothingShown, &EmptyViewNotice::clearSearchRequested, m_search, &QLineEdit::clear);
    connect(nothingShown, &EmptyViewNotice::showAllRequested, m_sidebar,
            [this] { m_sidebar->select(OperationCategory::All); });
    // The counts follow the store once per turn of the event loop; showing them walks no rows.
    connect(m_counts, &OperationCounts::countsChanged, this, [this] {
        m_sidebar->showCounts(*m_counts);
        refreshCounts();
        showWelcomeWhenEmpty();
    });
    connect(m_welcome, &WelcomePage::addRequested, this, &MainWindow::openAddDialog);
    connect(m_welcome, &WelcomePage::demoRequested, this, &MainWindow::demoRequested);
    showWelcomeWhenEmpty();
    m_sidebar->showCounts(*m_counts);
    refreshCounts();

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::refreshDetails);
    // Changes of the operation shown rebuild the pane once per turn of the event loop; a poll
    // round's thousand other changes do not touch it. A removal may take the operation away.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int shown = m_model->rowOf(m_details->shownKey());
                if (shown >= topLeft.row() && shown <= bottomRight.row())
                    refreshDetailsSoon();
            });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::refreshDetailsSoon);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::refreshDetailsSoon);
    connect(m_details, &DetailsPane::supportDetailsRequested, m_starts,
            &StartController::copySupportDetails);
    connect(m_details, &DetailsPane::openTargetRequested, this, [this](const QString &key) {
        const int row = m_model->rowOf(key);
        if (row >= 0)
            openTarget(m_proxy->mapFromSource(m_model->index(row, 0)));
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu menu(this);
        menu.addActions(m_actions->selectionActions());
        menu.addSeparator();
        menu.addAction(m_actions->add());
        menu.exec(m_table->viewport()->mapToGlobal(at));
    });
}

void MainWindow::tokenRefused(const QString &why)
{
    if (m_signIn) {
        m_signIn->tokenRefused(why);
    } else {
        m_banner->showMessage(
            tr("<b>Microsoft Graph refused the access token</b> (%1). Polling is paused and "
               "nothing is lost: set a fresh token in TEAMSOPS_TOKEN and start TeamsOps again.")
                .arg(why.toHtmlEscaped()),
            Banner::Kind::Warning);
    }
    m_pollStatus->refresh();
}

void MainWindow::attachSignIn(SignInManager &signIn)
{
    m_signIn = new SignInController(*this, signIn);
}

void MainWindow::attachStore(StoreSaver &saver, const QString &path, StartJournal *journal)
{
    m_store = new StoreController(*this, saver, path);
    m_starts->setJournal(journal);
    // A team's store: who started what is worth a column, in the room of Created (Elapsed says
    // as much, and the details the time); either can be shown again from the header's menu.
    if (StoreLocation::looksLikeServer(path)) {
        m_table->setColumnHidden(OperationTableModel::StartedBy, false);
        m_table->setColumnHidden(OperationTableModel::Created, true);
    }
}

QTableView *MainWindow::table() const
{
    return m_table;
}

void MainWindow::refreshCounts()
{
    m_pollStatus->refreshCounts();
}

void MainWindow::showWelcomeWhenEmpty()
{
    const bool empty = m_counts->total() == 0;
    m_tableOrWelcome->setCurrentIndex(empty ? 0 : 1);
    m_details->setVisible(!empty);
}

bool MainWindow::isShowingWelcome() const
{
    return m_tableOrWelcome->currentWidget() == m_welcome;
}

void MainWindow::setDemo(bool demo)
{
    // The demo's time runs faster: its clones settle within seconds.
    if (demo)
        m_starts->readiness()->setSpacing(std::chrono::seconds(5));
    m_welcome->setDemoOffered(!demo);
}

QString MainWindow::shortcutsText() const
{
    QStringList lines;
    for (const QAction *action : findChildren<QAction *>()) {
        if (action->shortcut().isEmpty())
            continue;
        QString name = action->text().remove(QLatin1Char('&'));
        if (name.isEmpty())
            name = action->toolTip();
        lines.append(QStringLiteral("%1\t%2").arg(
            action->shortcut().toString(QKeySequence::NativeText), name));
    }
    lines.sort();
    lines.removeDuplicates();
    return lines.join(QLatin1Char('\n'));
}

QString MainWindow::aboutText() const
{
    return tr("<p><b>TeamsOps %1</b> watches Microsoft Teams asynchronous operations "
              "(clones, archives, team creation) through Microsoft Graph.</p>"
              "<p>Graph endpoint in use: <tt>%2</tt></p><p>Built with Qt %3.</p>")
        .arg(QStringLiteral(TEAMSOPS_VERSION), m_client.baseUrl().toString().toHtmlEscaped(),
             QString::fromLatin1(qVersion()));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_actions->add());
    file->addSeparator();
    file->addAction(m_actions->exportCsv());
    file->addAction(m_actions->exportJson());
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *operations = menuBar()->addMenu(tr("&Operation"));
    operations->addActions(m_actions->selectionActions());
    operations->addAction(m_actions->undo());
    m_starts->addActionsTo(operations);
    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    settings->menuAction()->setObjectName(QStringLiteral("settingsMenu"));
    QAction *notify = settings->addAction(tr("Desktop &notifications"));
    notify->setObjectName(QStringLiteral("notificationsSetting"));
    notify->setCheckable(true);
    notify->setChecked(m_notifier->isEnabled());
    connect(notify, &QAction::toggled, m_notifier, &Notifier::setEnabled);
    QAction *shared =
        settings->addAction(tr("Shared &store…"), this, &MainWindow::openSharedStoreDialog);
    shared->setObjectName(QStringLiteral("sharedStoreSetting"));

    // Each pane a keystroke away (Tab moves between them; the table no longer keeps it).
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->menuAction()->setObjectName(QStringLiteral("viewMenu"));
    const auto goTo = [this, view](const QString &text, const QKeySequence &keys, QWidget *pane,
                                   const QString &name) {
        QAction *action = view->addAction(text, this, [pane] { focusFirstIn(pane); });
        action->setShortcut(keys);
        action->setObjectName(name);
    };
    goTo(tr("&Filters"), QKeySequence(Qt::CTRL | Qt::Key_1), m_sidebar,
         QStringLiteral("goToFilters"));
    goTo(tr("Operations &table"), QKeySequence(Qt::CTRL | Qt::Key_2), m_table,
         QStringLiteral("goToTable"));
    goTo(tr("&Details"), QKeySequence(Qt::CTRL | Qt::Key_3), m_details,
         QStringLiteral("goToDetails"));
    goTo(tr("&Search"), QKeySequence::Find, m_search, QStringLiteral("goToSearch"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = help->addAction(tr("&Keyboard shortcuts"));
    shortcuts->setObjectName(QStringLiteral("shortcutsHelp"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    connect(shortcuts, &QAction::triggered, this, [this] {
        QMessageBox box(QMessageBox::NoIcon, tr("Keyboard shortcuts"), shortcutsText(),
                        QMessageBox::Close, this);
        box.exec();
    });
    QAction *about = help->addAction(tr("&About TeamsOps"));
    about->setObjectName(QStringLiteral("aboutHelp"));
    connect(about, &QAction::triggered, this,
            [this] { QMessageBox::about(this, tr("About TeamsOps"), aboutText()); });
}

void MainWindow::buildToolBar()
{
    QToolBar *toolbar = addToolBar(tr("Operations"));
    toolbar->setObjectName(QStringLiteral("toolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon); // the icon, and still the word
    toolbar->addAction(m_actions->add());
    toolbar->addAction(m_actions->pollNow());
    toolbar->addAction(m_actions->toggleWatching());
    toolbar->addAction(m_actions->remove());
    toolbar->addSeparator();
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setAccessibleName(tr("Search operations"));
    m_search->setPlaceholderText(tr("Search status, type, team, target or error (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 56);
    toolbar->addWidget(m_search);
}

void MainWindow::refreshDetailsSoon()
{
    if (m_detailsQueued)
        return;
    m_detailsQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_detailsQueued = false;
        refreshDetails();
    });
}

void MainWindow::refreshDetails()
{
    const QModelIndex current = m_table->currentIndex();
    const WatchedOperation *op =
        current.isValid() ? m_model->operationAt(m_proxy->mapToSource(current).row()) : nullptr;
    if (op) {
        m_details->showOperation(*op, m_clock.now());
        // A started clone's readiness, step by step; the table shows only what is missing.
        const std::optional<CloneReadiness> readiness = m_starts->readiness()->readiness(op->key);
        m_details->setNote(readiness ? readiness->detailedText() : m_model->noteOf(op->key));
    } else {
        m_details->clear();
        m_details->setNote(QString());
    }
}

bool MainWindow::selectOperation(const QString &key)
{
    const int row = m_model->rowOf(key);
    if (row < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) { // filtered out: show everything rather than hide what was asked for
        m_sidebar->select(OperationCategory::All);
        m_search->clear();
        index = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    raise();
    activateWindow();
    return index.isValid();
}

SharedStoreDialog *MainWindow::openSharedStoreDialog()
{
    auto *dialog = new SharedStoreDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SharedStoreDialog::saved, this, [this](const QString &url) {
        statusBar()->showMessage(
            url.isEmpty() ? tr("From the next start, TeamsOps keeps its store in your own file.")
                          : tr("From the next start, TeamsOps keeps its store in %1.").arg(url),
            15000);
    });
    dialog->open();
    return dialog;
}

AddDialog *MainWindow::openAddDialog()
{
    auto *dialog = new AddDialog(m_client.baseUrl(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddDialog::addRequested, this,
            [this](const QList<LocationList::Good> &locations) {
                int added = 0;
                for (const LocationList::Good &good : locations)
                    added += m_poller.watch(good.ref, good.text) ? 1 : 0;
                statusBar()->showMessage(tr("Added %1; %2 watched already")
                                             .arg(tr("%n operation(s)", nullptr, added))
                                             .arg(locations.size() - added),
                                         8000);
            });
    connect(dialog, &AddDialog::watchTeamRequested, this, [this](const QString &teamId) {
        statusBar()->showMessage(tr("Listing the operations of team %1…").arg(teamId));
        watchTeamOperations(
            m_client, m_poller, teamId, this, [this](const TeamWatchResult &result) {
                statusBar()->showMessage(
                    result.error.isEmpty() ? tr("Team %1: %2, %3 new")
                                                 .arg(result.teamId)
                                                 .arg(tr("%n operation(s)", nullptr, result.listed))
                                                 .arg(result.added)
                                           : tr("Could not list team %1's operations: %2")
                                                 .arg(result.teamId, result.error),
                    12000);
            });
    });
    dialog->show();
    return dialog;
}

void MainWindow::showNotice(const QString &key, const QString &text)
{
    m_notificationKey = key;
    m_banner->showMessage(
        QStringLiteral("%1 &nbsp; <a href='%2'>%3</a>")
            .arg(text.toHtmlEscaped(), QLatin1String(kShowNoticeLink), tr("Show")),
        Banner::Kind::Info, Banner::Topic::Notice);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("table/header"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("splitter/main"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("splitter/right"), m_rightSplitter->saveState());
    settings.setValue(QStringLiteral("notifications/enabled"), m_notifier->isEnabled());
    settings.setValue(kSelectionKey, currentKey());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_table->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("table/header")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("splitter/main")).toByteArray());
    m_rightSplitter->restoreState(settings.value(QStringLiteral("splitter/right")).toByteArray());
    const bool notify = settings.value(QStringLiteral("notifications/enabled"), true).toBool();
    m_notifier->setEnabled(notify);
    if (auto *action = findChild<QAction *>(QStringLiteral("notificationsSetting")))
        action->setChecked(notify);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

TeamCardDialog *MainWindow::openTarget(const QModelIndex &proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    const WatchedOperation *operation = m_model->operationAt(source.row());
    if (!operation)
        return nullptr;
    const QString key = operation->ref.key();
    TeamCardDialog *open = m_openCards.value(key);
    if (open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto *card = new TeamCardDialog(m_client, *operation, m_urlOpener, this);
    card->setAttribute(Qt::WA_DeleteOnClose);
    connect(card, &TeamCardDialog::channelArchiveRequested, m_starts,
            &StartController::confirmChannelArchive);
    m_openCards.insert(key, card);
    card->show();
    emit teamCardOpened(card);
    return card;
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
