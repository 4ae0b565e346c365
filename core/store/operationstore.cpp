#include "store/operationstore.h"

#include <QTimer>

#include <algorithm>

OperationStore::OperationStore(QObject *parent)
    : QObject(parent)
{}

const WatchedOperation *OperationStore::find(const QString &key) const
{
    const auto it = m_indexByKey.constFind(key);
    return it == m_indexByKey.cend() ? nullptr : &m_records.at(*it);
}

void OperationStore::reserve(qsizetype size)
{
    m_records.reserve(size);
    m_indexByKey.reserve(size);
    m_isChanged.reserve(std::size_t(size));
    m_editedForPlanning.reserve(std::size_t(size));
}

bool OperationStore::add(WatchedOperation record)
{
    record.key = record.ref.key();
    if (m_indexByKey.contains(record.key))
        return false;
    const qsizetype index = m_records.size();
    m_indexByKey.insert(record.key, index);
    m_indexesByTeam[record.ref.teamId.toLower()].append(index);
    m_records.append(std::move(record));
    m_isChanged.push_back(false);
    m_editedForPlanning.push_back(false);
    scheduleFlush();
    return true;
}

WatchedOperation *OperationStore::edit(const QString &key)
{
    const auto it = m_indexByKey.constFind(key);
    return it == m_indexByKey.cend() ? nullptr : &edit(*it);
}

WatchedOperation &OperationStore::edit(qsizetype index)
{
    markChanged(index);
    if (!m_editedForPlanning[size_t(index)]) {
        m_editedForPlanning[size_t(index)] = true;
        m_editedList.append(index);
    }
    return m_records[index];
}

QList<qsizetype> OperationStore::takeEditedForPlanning() const
{
    QList<qsizetype> edited;
    edited.swap(m_editedList);
    for (const qsizetype index : std::as_const(edited))
        m_editedForPlanning[size_t(index)] = false;
    return edited;
}

void OperationStore::markChanged(qsizetype index)
{
    // A record not yet announced is announced whole: no change of it to signal.
    if (index >= m_announced || m_isChanged[size_t(index)])
        return;
    m_isChanged[size_t(index)] = true;
    m_changed.append(index);
    scheduleFlush();
}

void OperationStore::scheduleFlush()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QTimer::singleShot(0, this, [this] {
        if (m_flushQueued)
            flush();
    });
}

void OperationStore::flush()
{
    m_flushQueued = false;
    if (m_announced < m_records.size()) {
        const qsizetype first = m_announced;
        m_announced = m_records.size();
        emit added(first, m_announced - 1);
    }
    if (m_changed.isEmpty())
        return;
    QList<qsizetype> indexes;
    indexes.swap(m_changed);
    for (const qsizetype index : std::as_const(indexes))
        m_isChanged[size_t(index)] = false;
    std::sort(indexes.begin(), indexes.end());
    emit changed(indexes);
}

qsizetype OperationStore::remove(const QStringList &keys)
{
    // Row numbers are about to move: first say everything pending under the old numbers.
    flush();
    std::vector<bool> doomed(size_t(m_records.size()), false);
    qsizetype count = 0;
    for (const QString &key : keys) {
        const qsizetype index = indexOf(key);
        if (index >= 0 && !doomed[size_t(index)]) {
            doomed[size_t(index)] = true;
            ++count;
        }
    }
    if (count == 0)
        return 0;
    ++m_removals; // before any signal: whoever plans from a handler starts over

    // Contiguous ranges, last first, so the indexes of those still to go do not move.
    QList<std::pair<qsizetype, qsizetype>> ranges;
    for (qsizetype i = m_records.size() - 1; i >= 0; --i) {
        if (!doomed[size_t(i)])
            continue;
        qsizetype first = i;
        while (first > 0 && doomed[size_t(first - 1)])
            --first;
        ranges.append({first, i});
        i = first;
    }

    const bool asReset = ranges.size() > kMaxRemovalRanges;
    if (!asReset) {
        for (const auto &[first, last] : std::as_const(ranges)) {
            emit aboutToBeRemoved(first, last);
            m_records.remove(first, last - first + 1);
            m_isChanged.erase(m_isChanged.begin() + first, m_isChanged.begin() + last + 1);
            m_announced = m_records.size();
            emit removed(first, last);
        }
    } else {
        emit aboutToBeReset();
        // One pass: keep the survivors in order.
        qsizetype kept = 0;
        for (qsizetype i = 0; i < m_records.size(); ++i) {
            if (doomed[size_t(i)])
                continue;
            if (kept != i)
                m_records[kept] = std::move(m_records[i]);
            ++kept;
        }
        m_records.resize(kept);
        m_isChanged.assign(size_t(kept), false);
        m_announced = kept;
    }
    // Indexes moved: the planner reads every record again.
    m_editedForPlanning.assign(size_t(m_records.size()), false);
    m_editedList.clear();
    rebuildIndexes();
    if (asReset)
        emit wasReset();
    return count;
}

void OperationStore::rebuildIndexes()
{
    m_indexByKey.clear();
    m_indexesByTeam.clear();
    m_indexByKey.reserve(m_records.size());
    for (qsizetype i = 0; i < m_records.size(); ++i) {
        m_indexByKey.insert(m_records.at(i).key, i);
        m_indexesByTeam[m_records.at(i).ref.teamId.toLower()].append(i);
    }
}
