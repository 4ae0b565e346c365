#pragma once

#include "model/watchedoperation.h"

#include <QAbstractTableModel>

#include <QList>
#include <functional>

class Clock;
class OperationStore;

// The watched operations as table rows: row i is the store's record i. The model keeps no copy
// of any record; it forwards the store's signals, which come once per turn of the event loop:
// one insertion for the new rows, and dataChanged for contiguous runs of changed rows, bracketed
// by changesBegin() / changesEnd() so that a sorted view re-sorts once for all of them
// (OperationSortProxy does). It is never reset on a poll, so selection and scroll position survive.
class OperationTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationTableModel)
public:
    enum Column
    {
        Status,
        Type,
        Target,
        Attempts,
        Error,
        Created,
        LastAction,
        Elapsed,
        NextPoll,
        StartedBy,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1, // the raw, typed value of a cell (sorting, scripts)
        KeyRole,                     // the operation's stable key
        TargetLocationRole,          // targetResourceLocation, empty when there is none
        CategoryRole,                // OperationCategories, as an int
        TypeRole,                    // operationType as sent ("" before the first reply)
        SearchTextRole,              // id, team, target, error and starter, lower-cased (search)
    };

    OperationTableModel(const OperationStore &store, Clock &clock, QObject *parent = nullptr);

    // One cell's value as sorting compares it: a number, or for the text columns a text. What
    // SortRole gives, without a QVariant. Elapsed is measured when asked; Next poll is the time of
    // the next poll (so that keys taken at different moments compare alike).
    struct SortKey
    {
        qint64 number = 0;
        QString text;
    };
    static bool isTextColumn(int column);
    SortKey sortKey(int row, int column) const;
    // The sort order of two rows by one column, the earlier-added breaking ties (rows are in the
    // order operations were added, which restarts keep): equal rows keep their order between polls.
    bool rowLessThan(int left, int right, int column) const;
    // Id, team, target, error and who started it, lower-cased: what the search box looks in.
    QString searchText(int row) const;

    // A few words after a row's status, by key: a succeeded clone's readiness ("Ready",
    // "Channels 7 of 12 — still settling"). noteChanged() repaints that row's status.
    using NoteSource = std::function<QString(const QString &key)>;
    void setStatusNote(NoteSource source) { m_note = std::move(source); }
    void noteChanged(const QString &key);
    QString noteOf(const QString &key) const { return m_note ? m_note(key) : QString(); }
    // The display name of the team at a targetResourceLocation, when known (TeamNames):
    // shown in the Target column, the location in its tooltip. targetNameChanged() repaints
    // the rows with that target.
    using NameSource = std::function<QString(const QString &location)>;
    void setTargetNames(NameSource source) { m_targetName = std::move(source); }
    void targetNameChanged(const QString &location);

    const WatchedOperation *operationAt(int row) const;
    int rowOf(const QString &key) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // One row's cell as the column definitions read it (operationtablemodel.cpp).
    struct Cell;

signals:
    // Around the dataChanged signals of one turn of the event loop.
    void changesBegin();
    void changesEnd();

private:
    struct ColumnDefinition;
    static const ColumnDefinition kColumns[ColumnCount];
    Cell cellOf(int row) const;
    NoteSource m_note;
    NameSource m_targetName;
    void forwardChanges(const QList<qsizetype> &rows);
    qint64 elapsedMs(const WatchedOperation &operation) const;
    qint64 msUntilNextPoll(const WatchedOperation &operation) const;

    const OperationStore &m_store;
    Clock &m_clock;
    int m_rowCount = 0; // the records the store has announced; newer ones are not rows yet
};
