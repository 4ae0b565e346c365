#pragma once

#include "operationpoller.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

class Clock;

// The watched operations as table rows, addressed by OperationRef::key(). Rows are inserted once
// and then updated in place; the model is never reset on a poll, so selection and scroll position
// survive. What arrives during one turn of the event loop is signalled together: one insertion
// for the new rows, and dataChanged for contiguous runs of changed rows (or one layout change
// when a large share of the table changed at once, which a sorted proxy handles far faster).
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
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1, // the raw, typed value of a cell (sorting, scripts)
        KeyRole,                     // the operation's stable key
        TargetLocationRole,          // targetResourceLocation, empty when there is none
        CategoryRole,                // OperationCategories, as an int
        TypeRole,                    // operationType as sent ("" before the first reply)
        SearchTextRole,              // id, team, target and error, lower-cased, for the search box
    };

    explicit OperationTableModel(Clock &clock, QObject *parent = nullptr);

    // Follows a poller: rows for operations it adds, updates for what it observes.
    void bindTo(OperationPoller &poller);
    // Inserts a row for a new key, or updates the row in place. Signals go out from the event
    // loop, or at flushPending(); only rows whose shown content changed are signalled.
    void upsert(const WatchedOperation &operation);
    void flushPending();
    static constexpr qsizetype kBulkChangeMinimum = 200;
    void remove(const QString &key);

    const WatchedOperation *operationAt(int row) const;
    // The sort order of two rows by one column's raw values, the key breaking ties. What SortRole
    // gives, without building a QVariant per comparison (a sort makes millions of them).
    bool rowLessThan(int left, int right, int column) const;
    int rowOf(const QString &key) const { return m_rowByKey.value(key, -1); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const WatchedOperation &operation, int column) const;
    QVariant sortData(const WatchedOperation &operation, int column) const;
    qint64 elapsedMs(const WatchedOperation &operation) const;
    qint64 msUntilNextPoll(const WatchedOperation &operation) const;

    Clock &m_clock;
    QList<WatchedOperation> m_rows;
    QStringList m_keys; // m_rows[i].ref.key(), computed once
    QHash<QString, int> m_rowByKey;
    QList<WatchedOperation> m_pendingInserts;
    QHash<QString, qsizetype> m_pendingIndex;
    QSet<int> m_changedRows;
    QTimer m_flushTimer;
};
