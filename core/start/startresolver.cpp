#include "start/startresolver.h"

#include "graph/graphclient.h"
#include "graph/graphpages.h"
#include "model/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace std::chrono;

namespace {

// A runaway nextLink chain is not followed for ever.
constexpr int kMaxPages = 50;

QString operationLocation(const QString &teamId, const QString &operationId)
{
    return QStringLiteral("/teams('%1')/operations('%2')").arg(teamId, operationId);
}

} // namespace

StartResolver::StartResolver(GraphClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_again.setSingleShot(true);
    const auto lookIfDue = [this] {
        if (m_againAt.isValid() && m_clock.now() >= m_againAt) {
            m_againAt = QDateTime();
            look();
        } else if (m_againAt.isValid()) {
            m_again.start(int(std::max<qint64>(0, m_clock.now().msecsTo(m_againAt))));
        }
    };
    connect(&m_again, &QTimer::timeout, this, lookIfDue);
    connect(&m_clock, &Clock::jumped, this, lookIfDue); // a moved clock (tests) looks at once
}

seconds StartResolver::graceLeft(const StartRecord &start, const QDateTime &now)
{
    const QDateTime end = start.sentAt.addSecs(duration_cast<seconds>(kGracePeriod).count());
    return seconds(std::max<qint64>(0, now.secsTo(end)));
}

void StartResolver::resolve(const StartRecord &start, seconds lookFor, AtDeadline atDeadline,
                            Handler done)
{
    Q_ASSERT(!m_done);
    m_start = start;
    m_atDeadline = atDeadline;
    m_deadline = m_clock.now().addSecs(lookFor.count());
    m_done = std::move(done);
    m_looks = 0;
    m_waitingForAName = false;
    m_claimed.clear();
    if (m_journal) {
        if (const auto answered = m_journal->acceptedByLocation()) {
            for (auto it = answered->cbegin(); it != answered->cend(); ++it) {
                const LocationResolution resolved = resolveLocation(it.key(), m_client.baseUrl());
                if (resolved.ref)
                    m_claimed.insert(resolved.ref->key());
            }
        }
    }
    look();
}

QString StartResolver::expectedType() const
{
    if (m_start.kind == QLatin1String("clone"))
        return QStringLiteral("cloneTeam");
    if (m_start.kind == QLatin1String("archive"))
        return QStringLiteral("archiveTeam");
    if (m_start.kind == QLatin1String("unarchive"))
        return QStringLiteral("unarchiveTeam");
    if (m_start.kind == QLatin1String("create"))
        return QStringLiteral("createTeam");
    if (m_start.kind == QLatin1String("teamify"))
        return QStringLiteral("teamifyGroup");
    if (m_start.kind == QLatin1String("archive-channel"))
        return QStringLiteral("archiveChannel");
    if (m_start.kind == QLatin1String("unarchive-channel"))
        return QStringLiteral("unarchiveChannel");
    // The seed's "create teamsAsyncOperation": the type its body names.
    return QJsonDocument::fromJson(m_start.body)
        .object()
        .value(QLatin1String("operationType"))
        .toString();
}

QString StartResolver::requestedName() const
{
    return QJsonDocument::fromJson(m_start.body)
        .object()
        .value(QLatin1String("displayName"))
        .toString();
}

void StartResolver::look()
{
    ++m_looks;
    m_namedSo.clear();
    const QString name = requestedName();
    const bool byName =
        m_start.kind == QLatin1String("clone") || m_start.kind == QLatin1String("create");
    if (!byName || name.isEmpty()) {
        if (m_start.teamId.isEmpty()) {
            lookAgainOrGiveUp(tr("the request names no team to look in"));
            return;
        }
        listOperations({m_start.teamId}, {});
        return;
    }
    // The teams of that name: a create's operation is under its new team; a clone's new team
    // has the name asked for.
    QUrl url = m_client.resolve(QStringLiteral("/teams"));
    QUrlQuery query;
    QString quoted = name;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    query.addQueryItem(QStringLiteral("$filter"),
                       QStringLiteral("displayName eq '%1'").arg(quoted));
    url.setQuery(query);
    m_client.get(url, this, [this](const GraphReply &reply) {
        const QJsonArray teams =
            QJsonDocument::fromJson(reply.body).object().value(QLatin1String("value")).toArray();
        if (!reply.ok()) {
            lookAgainOrGiveUp(
                tr("the teams named so could not be listed (%1)").arg(reply.describe()));
            return;
        }
        QStringList named;
        for (const QJsonValue &team : teams)
            named.append(team.toObject().value(QLatin1String("id")).toString());
        named.removeAll(QString());
        const QStringList toList =
            m_start.kind == QLatin1String("create") ? named : QStringList{m_start.teamId};
        if (toList.isEmpty()) {
            decide({}, {});
            return;
        }
        m_namedSo = QSet<QString>(named.cbegin(), named.cend());
        listOperations(toList, {});
    });
}

void StartResolver::listOperations(const QStringList &teamIds, QList<Candidate> found)
{
    if (teamIds.isEmpty()) {
        decide(found, m_namedSo);
        return;
    }
    fetchPage(
        m_client.resolve(QStringLiteral("/teams/%1/operations?$top=100").arg(teamIds.first())),
        teamIds, kMaxPages, std::move(found));
}

void StartResolver::fetchPage(const QUrl &url, const QStringList &teamIds, int pagesLeft,
                              QList<Candidate> found)
{
    m_client.get(url, this, [this, teamIds, pagesLeft, found](const GraphReply &reply) mutable {
        const QString teamId = teamIds.first();
        const OperationListPage page = readOperationListPage(reply.body);
        if (!reply.ok() || !page.readable) {
            lookAgainOrGiveUp(tr("the operations of team %1 could not be listed (%2)")
                                  .arg(teamId, reply.ok() ? tr("unreadable") : reply.describe()));
            return;
        }
        const QDateTime earliest =
            m_start.sentAt.addSecs(-duration_cast<seconds>(kClockSkew).count());
        for (const OperationListPage::Entry &entry : page.entries) {
            const Operation &op = entry.operation;
            const LocationResolution ref =
                resolveLocation(operationLocation(teamId, op.id), m_client.baseUrl());
            if (!ref.ref || m_claimed.contains(ref.ref->key()) ||
                op.operationTypeRaw.compare(expectedType(), Qt::CaseInsensitive) != 0 ||
                !op.createdDateTime.isValid() || op.createdDateTime < earliest)
                continue;
            found.append({*ref.ref, op.createdDateTime, op.targetResourceId});
        }
        if (page.nextLink.isValid() && pagesLeft > 1) {
            fetchPage(page.nextLink, teamIds, pagesLeft - 1, std::move(found));
            return;
        }
        listOperations(teamIds.mid(1), std::move(found));
    });
}

void StartResolver::decide(const QList<Candidate> &candidates, const QSet<QString> &teamsNamedSo)
{
    QList<Candidate> confirmed;
    QList<Candidate> possible;
    for (const Candidate &candidate : candidates) {
        // A clone that names its team: it must be a team of the requested name.
        if (m_start.kind == QLatin1String("clone") && !candidate.targetTeamId.isEmpty()) {
            if (teamsNamedSo.contains(candidate.targetTeamId))
                confirmed.append(candidate);
            continue;
        }
        (m_start.kind == QLatin1String("clone") ? possible : confirmed).append(candidate);
    }
    const auto earliest = [](const QList<Candidate> &list) {
        return *std::min_element(
            list.cbegin(), list.cend(),
            [](const Candidate &a, const Candidate &b) { return a.createdAt < b.createdAt; });
    };
    if (!confirmed.isEmpty() || (possible.size() == 1 && !m_onlyNamedClones)) {
        const Candidate found = !confirmed.isEmpty() ? earliest(confirmed) : possible.first();
        Outcome outcome;
        outcome.kind = Outcome::Kind::Found;
        outcome.ref = found.ref;
        outcome.location = operationLocation(found.ref.teamId, found.ref.operationId);
        outcome.message =
            tr("found at Graph: it started (operation %1, created %2)")
                .arg(found.ref.operationId, found.createdAt.toUTC().toString(Qt::ISODate));
        finish(outcome);
        return;
    }
    if (m_onlyNamedClones && !possible.isEmpty()) {
        if (!m_waitingForAName) {
            m_waitingForAName = true;
            m_deadline = std::max(
                m_deadline, m_clock.now().addSecs(duration_cast<seconds>(kCloneNameWait).count()));
        }
        lookAgainOrGiveUp(tr("%n clone(s) of the template started then and name no team yet; "
                             "waiting for their names rather than sending a second clone",
                             nullptr, int(possible.size())));
        return;
    }
    if (possible.size() > 1) {
        lookAgainOrGiveUp(
            tr("%n operation(s) of the team could be this one; none names its team yet", nullptr,
               int(possible.size())));
        return;
    }
    lookAgainOrGiveUp(QString());
}

void StartResolver::lookAgainOrGiveUp(const QString &why)
{
    const QDateTime now = m_clock.now();
    const QDateTime next = now.addSecs(m_spacing.count());
    if (next <= m_deadline) {
        m_againAt = next;
        m_again.start(int(duration_cast<milliseconds>(m_spacing).count()));
        return;
    }
    Outcome outcome;
    if (why.isEmpty() && m_atDeadline == AtDeadline::NotStarted) {
        outcome.kind = Outcome::Kind::NotStarted;
        outcome.message = tr("not started: Graph shows no sign of it after %n look(s); it may be "
                             "sent again",
                             nullptr, m_looks);
    } else {
        outcome.kind = Outcome::Kind::Unknown;
        outcome.message =
            why.isEmpty()
                ? tr("not found at Graph yet (%n look(s)); it may still show up", nullptr, m_looks)
                : why;
    }
    finish(outcome);
}

void StartResolver::finish(const Outcome &outcome)
{
    m_again.stop();
    m_againAt = QDateTime();
    if (m_journal) {
        StartRecord answer = m_start;
        answer.state = outcome.kind == Outcome::Kind::Found        ? StartRecord::State::Accepted
                       : outcome.kind == Outcome::Kind::NotStarted ? StartRecord::State::NotStarted
                                                                   : StartRecord::State::Unknown;
        answer.location = outcome.location;
        answer.message = outcome.message;
        answer.answeredAt = m_clock.now();
        if (!m_journal->recordAnswer(answer))
            qWarning("teamsops: what became of start %s was not saved: %s",
                     qPrintable(m_start.clientRequestId), qPrintable(m_journal->lastError()));
    }
    Handler done = std::exchange(m_done, nullptr);
    if (done)
        done(outcome);
}
