#pragma once

#include "model/watchedoperation.h"

#include <QList>
#include <QObject>
#include <QString>

#include <utility>

class Clock;
class OperationPoller;
class OperationSortProxy;
class OperationTableModel;
class QAction;
class QTableView;
class QWidget;

// What the admin can do to the selected operations (several at once): forget them, stop or
// resume watching, poll now, copy their Locations or JSON, and export the visible rows.
// Each is a QAction with a shortcut, shared by the toolbar, the menus and the context menu.
class OperationActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationActions)
public:
    OperationActions(OperationPoller &poller, Clock &clock, OperationTableModel &model,
                     OperationSortProxy &proxy, QTableView &table, QWidget *window);

    QAction *add() const { return m_add; }
    QAction *remove() const { return m_remove; }
    QAction *toggleWatching() const { return m_toggleWatching; }
    QAction *pollNow() const { return m_pollNow; }
    QAction *copyLocation() const { return m_copyLocation; }
    QAction *copyJson() const { return m_copyJson; }
    QAction *exportCsv() const { return m_exportCsv; }
    QAction *exportJson() const { return m_exportJson; }
    // Takes back the last remove or stop/resume (Ctrl+Z); disabled when there is none.
    QAction *undo() const { return m_undo; }
    QList<QAction *> selectionActions() const;

    QList<const WatchedOperation *> selected() const;
    QList<const WatchedOperation *> visible() const; // in the table's order

    void removeSelected();
    void toggleWatchingSelected();
    QString pollSelectedNow(); // says when the polls will run
    void copySelectedLocations();
    void copySelectedJson();
    bool exportVisible(const QString &path, bool asJson, QString *error = nullptr);
    void undoLast();

signals:
    void message(const QString &text); // for the status bar
    // Something was done that undo() takes back: said with a way to undo it (the window puts
    // it in a message with an Undo link); `text` empty when nothing is left to undo.
    void undoable(const QString &text);

private:
    // What undoLast() takes back: operations removed (whole, history and all), or the watching
    // each had before a stop or resume.
    struct Undo
    {
        QString what; // "Forgot 3 operations"
        QList<WatchedOperation> removed;
        QList<std::pair<OperationRef, bool>> wasWatching;
    };
    static constexpr int kUndoDepth = 20;
    void pushUndo(Undo undo);
    void updateEnabled();
    void exportWithDialog(bool asJson);

    OperationPoller &m_poller;
    Clock &m_clock;
    OperationTableModel &m_model;
    OperationSortProxy &m_proxy;
    QTableView &m_table;
    QWidget *m_window;
    QAction *m_add;
    QAction *m_remove;
    QAction *m_toggleWatching;
    QAction *m_pollNow;
    QAction *m_copyLocation;
    QAction *m_copyJson;
    QAction *m_exportCsv;
    QAction *m_exportJson;
    QAction *m_undo;
    QList<Undo> m_undos; // the last one last
};
