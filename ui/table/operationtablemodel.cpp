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
    return column == Type || column == Target || column == Error;
}

OperationTableModel::SortKey OperationTableModel::sortKey(int row, int column) const
{
    const WatchedOperation &operation = m_store.at(row);
    const Operation *op = operation.latest ? &*operation.latest : nullptr;
    switch (column) {
    case Status:
        return {P::statusRank(operation), {}};
    case Type:
        return {0, op ? op->operationTypeRaw.toLower() : QString()};
    case Target:
        return {0, op ? op->targetResourceLocation : QString()};
    case Attempts:
        return {op ? op->attemptsCount : -1, {}};
    case Error:
        return {0, P::errorText(operation)};
    case Created:
        return {op && op->createdDateTime.isValid() ? op->createdDateTime.toMSecsSinceEpoch() : 0,
                {}};
    case LastAction:
        return {op && op->lastActionDateTime.isValid() ? op->lastActionDateTime.toMSecsSinceEpoch()
                                                       : 0,
                {}};
    case Elapsed:
        return {elapsedMs(operation), {}};
    case NextPoll: // finished ones last; polled ones with no time yet are due now, first
        if (!operation.isPolled())
            return {std::numeric_limits<qint64>::max(), {}};
        return {operation.nextPollAt.isValid() ? operation.nextPollAt.toMSecsSinceEpoch() : 0, {}};
    default:
        return {};
    }
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
    // Built for every row at the first keystroke: one allocation, lower-cased in place.
    const WatchedOperation &operation = m_store.at(row);
    const QString target = operation.latest ? operation.latest->targetResourceLocation : QString();
    const QString error = P::errorText(operation);
    // Not the Location itself: it holds the two ids, the rest is the same for every row.
    const QString *parts[] = {&operation.ref.operationId, &operation.ref.teamId, &target, &error};
    qsizetype size = 0;
    for (const QString *part : parts)
        size += part->size() + 1;
    QString text;
    text.reserve(size);
    for (const QString *part : parts) {
        text.append(*part);
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
        return displayData(operation, column);
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
        if (column == Error) {
            const QString error = P::errorText(operation);
            return error.isEmpty() ? QVariant() : QVariant(error);
        }
        if (column == Status) { // how fresh the row is, and its error if any
            QStringList lines{noteOf(operation.key), P::errorText(operation)};
            lines.removeAll(QString());
            lines.append(
                operation.lastPolledAt.isValid()
                    ? tr("Checked %1 ago")
                          .arg(P::durationText(operation.lastPolledAt.msecsTo(m_clock.now())))
                    : tr("Not checked yet"));
            return lines.join(QLatin1Char('\n'));
        }
        if (column == Target)
            return hasTarget ? tr("%1\nOpen the team this operation produced")
                                   .arg(operation.latest->targetResourceLocation)
                             : P::reasonForNoTarget(operation);
        return QVariant();
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

QVariant OperationTableModel::displayData(const WatchedOperation &operation, int column) const
{
    const Operation *op = operation.latest ? &*operation.latest : nullptr;
    switch (column) {
    case Status: {
        const QString note = noteOf(operation.key);
        return note.isEmpty() ? P::statusText(operation)
                              : tr("%1 · %2").arg(P::statusText(operation), note);
    }
    case Type:
        return op ? P::typeText(*op) : QString();
    case Target:
        if (op && !op->targetResourceLocation.isEmpty()) {
            const QString name =
                m_targetName ? m_targetName(op->targetResourceLocation) : QString();
            return name.isEmpty() ? op->targetResourceLocation : name;
        }
        return QStringLiteral("—");
    case Attempts:
        return op ? QVariant(op->attemptsCount) : QVariant();
    case Error:
        return P::errorText(operation);
    case Created:
        return op ? shortDateTime(op->createdDateTime) : QString();
    case LastAction:
        return op ? shortDateTime(op->lastActionDateTime) : QString();
    case Elapsed:
        return op && op->createdDateTime.isValid() ? P::durationText(elapsedMs(operation))
                                                   : QString();
    case NextPoll: {
        const qint64 ms = msUntilNextPoll(operation);
        if (ms < 0)
            return QStringLiteral("—");
        return operation.inFlight || ms == 0 ? tr("now")
                                             : tr("in %1").arg(P::durationText(ms + 999));
    }
    default:
        return QVariant();
    }
}

QVariant OperationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Status:
        return tr("Status");
    case Type:
        return tr("Type");
    case Target:
        return tr("Target");
    case Attempts:
        return tr("Attempts");
    case Error:
        return tr("Error");
    case Created:
        return tr("Created");
    case LastAction:
        return tr("Last action");
    case Elapsed:
        return tr("Elapsed");
    case NextPoll:
        return tr("Next poll");
    default:
        return QVariant();
    }
}
