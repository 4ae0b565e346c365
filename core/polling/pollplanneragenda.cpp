// PollPlanner, part 4: every team's agenda, kept rather than recomputed at every plan.
//
// What a team owes (agendaOf) depends on its records, its state here, and the time. The records
// the store says were edited, the teams whose state changed (team()), and the teams whose agenda
// falls due by the passing of time (validUntil) are computed again; every other team's agenda
// stands. Its due work waits in rank order (m_due), its due times in ordered sets, and its cost
// in the cycle's sums, so plan() and nextPollAt() read them off without walking every record.
#include "polling/pollplanner.h"

#include "model/watchedoperation.h"
#include "store/operationstore.h"

void PollPlanner::refreshAgendas(const OperationStore &store, const QDateTime &now) const
{
    if (m_agendasStore != &store || m_removalsSeen != store.removals()) {
        // A first look, or indexes moved: every agenda from scratch.
        for (int queue = 0; queue < kQueues; ++queue)
            m_due[queue].clear();
        m_agendas.clear();
        m_urgentDues.clear();
        m_regularDues.clear();
        m_pageDues.clear();
        m_validUntil.clear();
        m_costSum = 0;
        m_costs.clear();
        m_changedTeams.clear();
        store.takeEditedForPlanning();
        for (auto it = store.teams().cbegin(); it != store.teams().cend(); ++it)
            m_changedTeams.insert(it.key());
        m_agendasStore = &store;
        m_removalsSeen = store.removals();
        m_recordsSeen = store.size();
    }
    // The store's own key for the team, shared rather than a lower-cased copy per entry kept.
    const auto teamOf = [&store](qsizetype index) {
        const auto team = store.teams().constFind(store.at(index).ref.teamId.toLower());
        return team == store.teams().cend() ? QString() : team.key();
    };
    for (; m_recordsSeen < store.size(); ++m_recordsSeen)
        m_changedTeams.insert(teamOf(m_recordsSeen));
    for (const qsizetype index : store.takeEditedForPlanning()) {
        if (index < store.size())
            m_changedTeams.insert(teamOf(index));
    }
    const qint64 nowMs = now.toMSecsSinceEpoch();
    while (!m_validUntil.empty() && m_validUntil.cbegin()->first <= nowMs) {
        m_changedTeams.insert(m_validUntil.cbegin()->second);
        m_validUntil.erase(m_validUntil.cbegin());
    }
    const QSet<QString> changed = std::exchange(m_changedTeams, {});
    for (const QString &teamKey : changed)
        keepAgenda(store, teamKey, now);
}

void PollPlanner::dropAgenda(const QString &teamKey) const
{
    const auto kept = m_agendas.constFind(teamKey);
    if (kept == m_agendas.cend())
        return;
    for (const auto &[queue, key] : kept->entries)
        m_due[queue].erase(key); // nothing when plan() took it since
    m_urgentDues.erase({kept->urgentDue, teamKey});
    m_regularDues.erase({kept->regularDue, teamKey});
    if (kept->pagePending)
        m_pageDues.erase({kept->pageDue, teamKey});
    m_validUntil.erase({kept->validUntil, teamKey});
    if (kept->cost > 0) {
        m_costSum -= kept->cost;
        if (int &teams = m_costs[kept->cost]; --teams <= 0)
            m_costs.erase(kept->cost);
    }
    m_agendas.erase(kept);
}

void PollPlanner::keepAgenda(const OperationStore &store, const QString &teamKey,
                             const QDateTime &now) const
{
    dropAgenda(teamKey);
    const QList<qsizetype> members = store.indexesOfTeam(teamKey);
    if (members.isEmpty())
        return;
    Agenda agenda = agendaOf(store, teamKey, members, now);
    KeptAgenda kept;
    static_cast<AgendaTimes &>(kept) = agenda;
    kept.entries.reserve(agenda.due.size());
    for (auto &[queue, entry] : agenda.due) {
        kept.entries.append({queue, entry.first});
        m_due[queue].insert_or_assign(entry.first, std::move(entry.second));
    }
    if (kept.urgentDue != kNever)
        m_urgentDues.insert({kept.urgentDue, teamKey});
    if (kept.regularDue != kNever)
        m_regularDues.insert({kept.regularDue, teamKey});
    if (kept.pagePending)
        m_pageDues.insert({kept.pageDue, teamKey});
    if (kept.validUntil != kNever)
        m_validUntil.insert({kept.validUntil, teamKey});
    if (kept.cost > 0) {
        m_costSum += kept.cost;
        ++m_costs[kept.cost];
    }
    m_agendas.insert(teamKey, std::move(kept));
}
