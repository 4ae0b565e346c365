#include "table/operationtablemodel.h"

#include "model/clock.h"
#include "model/operationcategory.h"
#include "store/operationstore.h"
#include "table/operationpresentation.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <limits>

namespace P = OperationPresentation;

namespace {

QString shortDateTime(const QDateTime &time)
{
    if (!time.isValid())
        return QString();
    return QLocale().toString(time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

// One cell's row, with what the column definitions may ask of the model.
struct OperationTableModel::Cell
{
    const OperationTableModel &model;
    const WatchedOperation &operation;
    const Operation *op; // the latest snapshot, if any

    QString note() const { return model.noteOf(operation.key); }
    bool hasTarget() const { return op && !op->targetResourceLocation.isEmpty(); }
    qint64 elapsedMs() const { return model.elapsedMs(operation); }
    qint64 msUntilNextPoll() const { return model.msUntilNextPoll(operation); }
    QDateTime now() const { return model.m_clock.now(); }
    QString targetName() const
    {
        return hasTarget() && model.m_targetName ? model.m_targetName(op->targetResourceLocation)
                                                 : QString();
    }
};

// Each column once: its title, whether it sorts as text, the raw value it sorts by, the text
// it shows and its tooltip. Adding a column is one enum value and one entry here.
struct OperationTableModel::ColumnDefinition
{
    const char *title;
    bool sortsAsText;
    SortKey (*sortKey)(const Cell &);
    QVariant (*display)(const Cell &);
    QVariant (*toolTip)(const Cell &);
};

namespace {
using Cell = OperationTableModel::Cell;
using SortKey = OperationTableModel::SortKey;

qint64 msSinceEpoch(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

QVariant noToolTip(const Cell &)
{
    return QVariant();
}

QVariant statusToolTip(const Cell &cell) // how fresh the row is, and its error if any
{
    QStringList lines{cell.note(), P::errorText(cell.operation)};
    lines.removeAll(QString());
    const QDateTime polled = cell.operation.lastPolledAt;
    lines.append(polled.isValid() ? OperationTableModel::tr("Checked %1 ago")
                                        .arg(P::durationText(polled.msecsTo(cell.now())))
                                  : OperationTableModel::tr("Not checked yet"));
    return lines.join(QLatin1Char('\n'));
}

QVariant nextPollText(const Cell &cell)
{
    const qint64 ms = cell.msUntilNextPoll();
    if (ms < 0)
        return QStringLiteral("—");
    return cell.operation.inFlight || ms == 0
               ? OperationTableModel::tr("now")
               : OperationTableModel::tr("in %1").arg(P::durationText(ms + 999));
}

} // namespace

const OperationTableModel::ColumnDefinition
    OperationTableModel::kColumns[OperationTableModel::ColumnCount] = {
        {QT_TR_NOOP("Status"), false,
         [](const Cell &c) { return SortKey{P::statusRank(c.operation), {}}; },
         [](const Cell &c) -> QVariant {
             const QString note = c.note();
             return note.isEmpty() ? P::statusText(c.operation)
                                   : tr("%1 · %2").arg(P::statusText(c.operation), note);
         },
         statusToolTip},
        {QT_TR_NOOP("Type"), true,
         [](const Cell &c) { return SortKey{0, c.op ? c.op->operationTypeRaw.toLower() : QString()}; },
         [](const Cell &c) -> QVariant { return c.op ? P::typeText(*c.op) : QString(); },
         noToolTip},
        {QT_TR_NOOP("Target"), true,
         [](const Cell &c) { return SortKey{0, c.op ? c.op->targetResourceLocation : QString()}; },
         [](const Cell &c) -> QVariant {
             if (!c.hasTarget())
                 return QStringLiteral("—");
             const QString name = c.targetName();
             return name.isEmpty() ? c.op->targetResourceLocation : name;
         },
         [](const Cell &c) -> QVariant {
             return c.hasTarget() ? tr("%1\nOpen the team this operation produced")
                                        .arg(c.op->targetResourceLocation)
                                  : P::reasonForNoTarget(c.operation);
         }},
        {QT_TR_NOOP("Attempts"), false,
         [](const Cell &c) { return SortKey{c.op ? c.op->attemptsCount : -1, {}}; },
         [](const Cell &c) { return c.op ? QVariant(c.op->attemptsCount) : QVariant(); },
         noToolTip},
        {QT_TR_NOOP("Error"), true,
         [](const Cell &c) { return SortKey{0, P::errorText(c.operation)}; },
         [](const Cell &c) -> QVariant { return P::errorText(c.operation); },
         [](const Cell &c) -> QVariant {
             const QString error = P::errorText(c.operation);
             return error.isEmpty() ? QVariant() : QVariant(error);
         }},
        {QT_TR_NOOP("Created"), false,
         [](const Cell &c) { return SortKey{c.op ? msSinceEpoch(c.op->createdDateTime) : 0, {}}; },
         [](const Cell &c) -> QVariant {
             return c.op ? shortDateTime(c.op->createdDateTime) : QString();
         },
         noToolTip},
        {QT_TR_NOOP("Last action"), false,
         [](const Cell &c) {
             return SortKey{c.op ? msSinceEpoch(c.op->lastActionDateTime) : 0, {}};
         },
         [](const Cell &c) -> QVariant {
             return c.op ? shortDateTime(c.op->lastActionDateTime) : QString();
         },
         noToolTip},
        {QT_TR_NOOP("Elapsed"), false, [](const Cell &c) { return SortKey{c.elapsedMs(), {}}; },
         [](const Cell &c) -> QVariant {
             return c.op && c.op->createdDateTime.isValid() ? P::durationText(c.elapsedMs())
                                                            : QString();
         },
         noToolTip},
        // Finished ones last; polled ones with no time yet are due now, first.
        {QT_TR_NOOP("Next poll"), false,
         [](const Cell &c) {
             if (!c.operation.isPolled())
                 return SortKey{std::numeric_limits<qint64>::max(), {}};
             return SortKey{msSinceEpoch(c.operation.nextPollAt), {}};
         },
         nextPollText, noToolTip},
        // Who first watched it (a team sharing a store): an account, "pasted" or "CLI".
        {QT_TR_NOOP("Started by"), true,
         [](const Cell &c) { return SortKey{0, c.operation.startedBy.toLower()}; },
         [](const Cell &c) -> QVariant { return c.operation.startedBy; },
         [](const Cell &c) -> QVariant {
             return c.operation.startedOn.isEmpty()
                        ? QVariant()
                        : QVariant(tr("on %1").arg(c.operation.startedOn));
         }},
};

OperationTableModel::OperationTableModel(const OperationStore &store, Clock &clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_clock(clock)
    , m_rowCount(int(store.announcedCount()))
{
    connect(&store, &OperationStore::added, this, [this](qsizetype first, qsizetype last) {
        beginInsertRows(QModelIndex(), int(first), int(last));
        m_rowCount = int(last) + 1;
        endInsertRows();
    });
    connect(&store, &OperationStore::changed, this, &OperationTableModel::forwardChanges);
    connect(&store, &OperationStore::aboutToBeRemoved, this,
            [this](qsizetype first, qsizetype last) {
                beginRemoveRows(QModelIndex(), int(first), int(last));
            });
    connect(&store, &OperationStore::removed, this, [this](qsizetype first, qsizetype last) {
        m_rowCount -= int(last - first + 1);
        endRemoveRows();
    });
    connect(&store, &OperationStore::aboutToBeReset, this, [this] { beginResetModel(); });
    connect(&store, &OperationStore::wasReset, this, [this] {
        m_rowCount = int(m_store.announcedCount());
        endResetModel();
    });
}

void OperationTableModel::forwardChanges(const QList<qsizetype> &rows)
{
    // Contiguous runs of changed rows (they come in ascending order), one signal each.
    emit changesBegin();
    qsizetype start = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i == rows.size() || rows[i] != rows[i - 1] + 1) {
            emit dataChanged(index(int(rows[start]), 0), index(int(rows[i - 1]), ColumnCount - 1));
            start = i;
        }
    }
    emit changesEnd();
}

void OperationTableModel::noteChanged(const QString &key)
{
    const int row = rowOf(key);
    if (row < 0)
        return;
    emit changesBegin();
    emit dataChanged(index(row, Status), index(row, Status));
    emit changesEnd();
}

void OperationTableModel::targetNameChanged(const QString &location)
{
    // Once per team name learnt: one pass over the rows, each with that target repainted.
    bool began = false;
    for (int row = 0; row < rowCount(); ++row) {
        const WatchedOperation &operation = m_store.at(row);
        if (!operation.latest || operation.latest->targetResourceLocation != location)
            continue;
        if (!began) {
            emit changesBegin();
            began = true;
        }
        emit dataChanged(index(row, Target), index(row, Target));
    }
    if (began)
        emit changesEnd();
}

int OperationTableModel::rowOf(const QString &key) const
{
    const qsizetype index = m_store.indexOf(key);
    return index < m_rowCount ? int(index) : -1;
}

bool OperationTableModel::isTextColumn(int column)
{
    return column >= 0 && column < ColumnCount && kColumns[column].sortsAsText;
}

OperationTableModel::Cell OperationTableModel::cellOf(int row) const
{
    const WatchedOperation &operation = m_store.at(row);
    return Cell{*this, operation, operation.latest ? &*operation.latest : nullptr};
}

OperationTableModel::SortKey OperationTableModel::sortKey(int row, int column) const
{
    if (column < 0 || column >= ColumnCount)
        return {};
    return kColumns[column].sortKey(cellOf(row));
}

bool OperationTableModel::rowLessThan(int left, int right, int column) const
{
    const SortKey a = sortKey(left, column);
    const SortKey b = sortKey(right, column);
    const int order = isTextColumn(column) ? QString::compare(a.text, b.text)
                                           : (a.number < b.number ? -1 : (b.number < a.number));
    return order != 0 ? order < 0 : left < right;
}

QString OperationTableModel::searchText(int row) const
{
    // What the row shows, as it shows it (status, type, the target's name, the error, who
    // started it), and the ids and target Location behind it. Not the operation's Location
    // itself: it holds the two ids, the rest is the same for every row. Built for every row at
    // the first keystroke: one allocation, lower-cased in place.
    const WatchedOperation &operation = m_store.at(row);
    const Operation *latest = operation.latest ? &*operation.latest : nullptr;
    const Cell cell{*this, operation, latest};
    const QString target = latest ? latest->targetResourceLocation : QString();
    const QString parts[] = {P::statusText(operation), latest ? P::typeText(*latest) : QString(),
                             cell.targetName(),        P::errorText(operation),
                             operation.startedBy,      operation.ref.operationId,
                             operation.ref.teamId,     target};
    qsizetype size = 0;
    for (const QString &part : parts)
        size += part.size() + 1;
    QString text;
    text.reserve(size);
    for (const QString &part : parts) {
        text.append(part);
        text.append(QLatin1Char(' '));
    }
    return std::move(text).toLower();
}

const WatchedOperation *OperationTableModel::operationAt(int row) const
{
    return row >= 0 && row < m_rowCount ? &m_store.at(row) : nullptr;
}

int OperationTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int OperationTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 OperationTableModel::elapsedMs(const WatchedOperation &operation) const
{
    if (!operation.latest || !operation.latest->createdDateTime.isValid())
        return 0;
    const Operation &op = *operation.latest;
    // A finished operation's clock stopped at its last action.
    const QDateTime end =
        op.isTerminal() && op.lastActionDateTime.isValid() ? op.lastActionDateTime : m_clock.now();
    return op.createdDateTime.msecsTo(end);
}

qint64 OperationTableModel::msUntilNextPoll(const WatchedOperation &operation) const
{
    if (!operation.isPolled())
        return -1;
    return std::max<qint64>(0, m_clock.now().msecsTo(operation.nextPollAt));
}

QVariant OperationTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const WatchedOperation &operation = m_store.at(index.row());
    const int column = index.column();
    const bool hasTarget = operation.latest && !operation.latest->targetResourceLocation.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return kColumns[column].display(cellOf(index.row()));
    case SortRole: {
        const SortKey key = sortKey(index.row(), column);
        return isTextColumn(column) ? QVariant(key.text) : QVariant(key.number);
    }
    case KeyRole:
        return operation.key;
    case CategoryRole:
        return int(categoriesOf(operation));
    case TypeRole:
        return operation.latest ? operation.latest->operationTypeRaw : QString();
    case SearchTextRole:
        return searchText(index.row());
    case TargetLocationRole:
        return hasTarget ? operation.latest->targetResourceLocation : QString();
    case Qt::DecorationRole:
        return column == Status ? QVariant(P::statusIcon(operation)) : QVariant();
    case Qt::ToolTipRole:
        return kColumns[column].toolTip(cellOf(index.row()));
    case Qt::ForegroundRole:
        if (column == Target && hasTarget)
            return QGuiApplication::palette().brush(QPalette::Link);
        if (column == Status)
            return P::statusColour(operation, QGuiApplication::palette());
        return QVariant();
    case Qt::FontRole:
        if (column == Target && hasTarget) {
            QFont font;
            font.setUnderline(true);
            return font;
        }
        if (column == Error && !(operation.latest && operation.latest->error) &&
            operation.lastFailure != GraphFailure::None) {
            QFont font;
            font.setItalic(true); // a polling problem, not the operation's own error
            return font;
        }
        return QVariant();
    case Qt::TextAlignmentRole:
        if (column == Attempts)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    default:
        return QVariant();
    }
}

QVariant OperationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section < 0 || section >= ColumnCount)
        return QVariant();
    return tr(kColumns[section].title);
}
