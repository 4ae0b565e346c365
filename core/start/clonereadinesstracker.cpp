#include "start/clonereadinesstracker.h"

#include "graph/graphclient.h"
#include "model/clock.h"
#include "model/operation.h"
#include "model/watchedoperation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace std::chrono;

namespace {

// The entries of a Graph list; for channels, the standard ones only (private ones are never
// cloned). Null, with the reason in error, when the reply is not such a list.
std::optional<QJsonArray> listOf(const GraphReply &reply, bool channels, QString &error)
{
    const QJsonDocument json = QJsonDocument::fromJson(reply.body);
    if (!reply.ok() || !json.object().value(QLatin1String("value")).isArray()) {
        error =
            reply.ok() ? CloneReadinessTracker::tr("Graph's list is not one") : reply.describe();
        return std::nullopt;
    }
    QJsonArray kept;
    for (const QJsonValue &item : json.object().value(QLatin1String("value")).toArray()) {
        const QString membership =
            item.toObject().value(QLatin1String("membershipType")).toString();
        if (!channels || membership.isEmpty() || membership == QLatin1String("standard"))
            kept.append(item);
    }
    return kept;
}

int ownersIn(const QJsonArray &members)
{
    int owners = 0;
    for (const QJsonValue &member : members) {
        owners += member.toObject()
                      .value(QLatin1String("roles"))
                      .toArray()
                      .contains(QJsonValue(QStringLiteral("owner")));
    }
    return owners;
}

} // namespace

CloneReadinessTracker::CloneReadinessTracker(GraphClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CloneReadinessTracker::checkDue);
    connect(&m_clock, &Clock::jumped, this, &CloneReadinessTracker::checkDue);
}

void CloneReadinessTracker::setSpacing(seconds spacing)
{
    m_spacing = m_client.talksToLoopback() ? std::max(spacing, seconds(1))
                                           : std::max(spacing, kMinimumSpacing);
}

void CloneReadinessTracker::expect(const OperationRef &clone, const QStringList &parts)
{
    Entry entry;
    entry.clone = clone;
    entry.parts = parts;
    m_entries.insert(clone.key(), entry);
}

void CloneReadinessTracker::observe(const WatchedOperation &operation)
{
    const auto found = m_entries.find(operation.key);
    if (found == m_entries.end() || found->readiness.state != CloneReadiness::State::Waiting ||
        !operation.latest || operation.latest->status != OperationStatus::Succeeded ||
        operation.latest->targetResourceId.isEmpty())
        return;
    succeeded(*found, operation.latest->targetResourceId);
}

void CloneReadinessTracker::checkOperation(const QString &key)
{
    const auto found = m_entries.find(key);
    if (found == m_entries.end())
        return;
    found->readOperation = true;
    found->inFlight = true;
    m_client.getPaced(found->clone.url(), this, [this, key](const GraphReply &reply) {
        const auto entry = m_entries.find(key);
        if (entry == m_entries.end())
            return;
        entry->inFlight = false;
        const OperationParseResult parsed = parseOperation(reply.body);
        if (!reply.ok() || !parsed.operation) {
            // Throttled, or a bad moment: read it again after the spacing.
            entry->readiness.lastError = reply.ok() ? parsed.error : reply.describe();
            entry->nextCheckAt = m_clock.now().addSecs(m_spacing.count());
            arm();
            return;
        }
        entry->readOperation = false;
        if (parsed.operation->status != OperationStatus::Succeeded ||
            parsed.operation->targetResourceId.isEmpty()) {
            entry->readiness.state = CloneReadiness::State::GaveUp;
            entry->readiness.lastError = tr("the clone has not succeeded");
            emit changed(key);
            emit settled(key, false);
            return;
        }
        succeeded(*entry, parsed.operation->targetResourceId);
    });
}

void CloneReadinessTracker::succeeded(Entry &entry, const QString &targetTeamId)
{
    entry.targetTeamId = targetTeamId;
    entry.succeededAt = m_clock.now();
    entry.nextCheckAt = entry.succeededAt;
    entry.readiness.state = CloneReadiness::State::Checking;
    emit changed(entry.clone.key());
    check(entry.clone.key());
}

std::optional<CloneReadiness> CloneReadinessTracker::readiness(const QString &key) const
{
    const auto found = m_entries.constFind(key);
    if (found == m_entries.cend())
        return std::nullopt;
    return found->readiness;
}

bool CloneReadinessTracker::isWaiting() const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [this](const Entry &entry) { return isDue(entry); });
}

bool CloneReadinessTracker::isDue(const Entry &entry) const
{
    return !entry.inFlight && !entry.readiness.isFinal() && entry.nextCheckAt.isValid() &&
           (entry.readOperation || entry.readiness.state != CloneReadiness::State::Waiting);
}

void CloneReadinessTracker::arm()
{
    QDateTime earliest;
    for (const Entry &entry : std::as_const(m_entries)) {
        if (isDue(entry) && (!earliest.isValid() || entry.nextCheckAt < earliest))
            earliest = entry.nextCheckAt;
    }
    m_timer.stop();
    if (earliest.isValid())
        m_timer.start(
            int(std::clamp<qint64>(m_clock.now().msecsTo(earliest), 0, 24 * 3600 * 1000)));
}

void CloneReadinessTracker::checkDue()
{
    const QDateTime now = m_clock.now();
    QList<QPair<QString, bool>> due; // key, whether the operation itself is to be read
    for (const Entry &entry : std::as_const(m_entries)) {
        if (isDue(entry) && entry.nextCheckAt <= now)
            due.append({entry.clone.key(), entry.readOperation});
    }
    for (const auto &[key, readOperation] : std::as_const(due)) {
        if (readOperation)
            checkOperation(key);
        else
            check(key);
    }
    arm();
}

QUrl CloneReadinessTracker::teamUrl(const QString &teamId, const QString &below) const
{
    return urlUnderBase(m_client.baseUrl(), QStringLiteral("/teams/") + teamId + below);
}

void CloneReadinessTracker::check(const QString &key)
{
    Entry &entry = m_entries[key];
    entry.inFlight = true;
    entry.requestsLeft = kRequestsPerRound;
    entry.retryAfter.reset();
    checkReadable(key, [this, key] {
        checkContents(key, [this, key] { checkOwners(key, [this, key] { checkFolders(key); }); });
    });
}

bool CloneReadinessTracker::spendRequest(Entry &entry)
{
    if (entry.requestsLeft <= 0)
        return false;
    --entry.requestsLeft;
    return true;
}

void CloneReadinessTracker::noteThrottled(const QString &key, const GraphReply &reply)
{
    const auto entry = m_entries.find(key);
    if (entry != m_entries.end() && reply.failure == GraphFailure::Throttled)
        entry->retryAfter = reply.retryAfter.value_or(m_spacing);
}

void CloneReadinessTracker::checkReadable(const QString &key, const Step &next)
{
    Entry &entry = m_entries[key];
    if (entry.readiness.readable) {
        next();
        return;
    }
    spendRequest(entry);
    m_client.getPaced(
        teamUrl(entry.targetTeamId), this, [this, key, next](const GraphReply &reply) {
            const auto entry = m_entries.find(key);
            if (entry == m_entries.end())
                return;
            if (reply.failure == GraphFailure::NotFound) {
                finishRound(key, QString()); // not yet: Graph is known to answer 404 for a while
                return;
            }
            if (!reply.ok()) {
                noteThrottled(key, reply);
                finishRound(key, reply.describe());
                return;
            }
            entry->readiness.readable = true;
            next();
        });
}

void CloneReadinessTracker::checkContents(const QString &key, const Step &next)
{
    Entry &entry = m_entries[key];
    const CloneReadiness &readiness = entry.readiness;
    const bool withApps = entry.parts.contains(QLatin1String("apps"));
    const bool complete = readiness.channelsExpected >= 0 &&
                          readiness.channels >= readiness.channelsExpected &&
                          (readiness.appsExpected < 0 || readiness.apps >= readiness.appsExpected);
    // Channels and apps are read together: one request each.
    if (complete || entry.requestsLeft < (withApps ? 2 : 1)) {
        next();
        return;
    }
    entry.requestsLeft -= withApps ? 2 : 1;
    const QString source = entry.clone.teamId;
    const QString target = entry.targetTeamId;
    const auto compareWith = [this, key, target, withApps, next](const Counts &sourceCounts) {
        fetchCounts(target, withApps,
                    [this, key, sourceCounts, withApps, next](Counts counts, QString error) {
                        const auto entry = m_entries.find(key);
                        if (entry == m_entries.end())
                            return;
                        if (!error.isEmpty()) {
                            finishRound(key, error);
                            return;
                        }
                        CloneReadiness &readiness = entry->readiness;
                        readiness.channels = counts.channels;
                        // Without channels cloned, the new team has General only.
                        readiness.channelsExpected =
                            entry->parts.contains(QLatin1String("channels")) ? sourceCounts.channels
                                                                             : 1;
                        readiness.apps = std::max(0, counts.apps);
                        readiness.appsExpected = withApps ? sourceCounts.apps : -1;
                        entry->channelIds = counts.channelIds;
                        next();
                    });
    };
    const auto known = m_sourceCounts.constFind(source.toLower());
    if (known != m_sourceCounts.cend() && (!withApps || known->apps >= 0)) {
        compareWith(*known);
        return;
    }
    fetchCounts(source, withApps, [this, key, source, compareWith](Counts counts, QString error) {
        if (!error.isEmpty()) {
            finishRound(key, tr("the source team could not be read (%1)").arg(error));
            return;
        }
        m_sourceCounts.insert(source.toLower(), counts);
        compareWith(counts);
    });
}

void CloneReadinessTracker::checkOwners(const QString &key, const Step &next)
{
    Entry &entry = m_entries[key];
    if (entry.readiness.owners > 0 || entry.readiness.owners == CloneReadiness::kNotAllowed ||
        !spendRequest(entry)) {
        next();
        return;
    }
    m_client.getPaced(teamUrl(entry.targetTeamId, QStringLiteral("/members")), this,
                      [this, key, next](const GraphReply &reply) {
                          const auto entry = m_entries.find(key);
                          if (entry == m_entries.end())
                              return;
                          QString error;
                          if (reply.failure == GraphFailure::Forbidden) {
                              entry->readiness.owners = CloneReadiness::kNotAllowed;
                          } else if (const auto members = listOf(reply, false, error)) {
                              entry->readiness.owners = ownersIn(*members);
                          } else {
                              noteThrottled(key, reply);
                              finishRound(key, error);
                              return;
                          }
                          next();
                      });
}

void CloneReadinessTracker::checkFolders(const QString &key)
{
    Entry &entry = m_entries[key];
    CloneReadiness &readiness = entry.readiness;
    readiness.filesExpected = readiness.channelsExpected;
    QStringList asking;
    if (readiness.files != CloneReadiness::kNotAllowed) {
        for (const QString &id : std::as_const(entry.channelIds)) {
            if (!entry.foldersFound.contains(id) && spendRequest(entry))
                asking.append(id);
        }
    }
    if (asking.isEmpty()) {
        finishRound(key, QString());
        return;
    }
    auto answersLeft = std::make_shared<qsizetype>(asking.size());
    auto lastError = std::make_shared<QString>();
    for (const QString &channelId : std::as_const(asking)) {
        // urlUnderBase takes the path decoded: it encodes what a channel id needs.
        const QUrl folder =
            teamUrl(entry.targetTeamId, QStringLiteral("/channels/%1/filesFolder").arg(channelId));
        m_client.getPaced(
            folder, this, [this, key, channelId, answersLeft, lastError](const GraphReply &reply) {
                const auto entry = m_entries.find(key);
                if (entry == m_entries.end())
                    return;
                CloneReadiness &readiness = entry->readiness;
                if (reply.ok()) {
                    entry->foldersFound.insert(channelId);
                } else if (reply.failure == GraphFailure::Forbidden) {
                    readiness.files = CloneReadiness::kNotAllowed;
                } else if (reply.failure != GraphFailure::NotFound) { // 404: being made
                    noteThrottled(key, reply);
                    *lastError = reply.describe();
                }
                if (readiness.files != CloneReadiness::kNotAllowed)
                    readiness.files = int(entry->foldersFound.size());
                if (--*answersLeft == 0)
                    finishRound(key, *lastError);
            });
    }
}

void CloneReadinessTracker::fetchCounts(const QString &teamId, bool withApps,
                                        std::function<void(Counts, QString)> done)
{
    m_client.getPaced(teamUrl(teamId, QStringLiteral("/channels")), this,
                      [this, teamId, withApps, done](const GraphReply &reply) {
                          Counts counts;
                          QString error;
                          const auto channels = listOf(reply, true, error);
                          if (channels) {
                              counts.channels = int(channels->size());
                              for (const QJsonValue &channel : *channels)
                                  counts.channelIds.append(
                                      channel.toObject().value(QLatin1String("id")).toString());
                          }
                          if (!channels || !withApps) {
                              done(counts, error);
                              return;
                          }
                          m_client.getPaced(teamUrl(teamId, QStringLiteral("/installedApps")), this,
                                            [counts, done](const GraphReply &appsReply) mutable {
                                                QString appsError;
                                                const auto apps =
                                                    listOf(appsReply, false, appsError);
                                                counts.apps = apps ? int(apps->size()) : -1;
                                                done(counts, appsError);
                                            });
                      });
}

void CloneReadinessTracker::finishRound(const QString &key, const QString &error)
{
    const auto found = m_entries.find(key);
    if (found == m_entries.end())
        return;
    Entry &entry = *found;
    entry.inFlight = false;
    CloneReadiness &readiness = entry.readiness;
    ++readiness.checks;
    readiness.lastError = error;
    const QDateTime now = m_clock.now();
    if (error.isEmpty() && readiness.isComplete()) {
        readiness.state = CloneReadiness::State::Ready;
    } else if (entry.succeededAt.secsTo(now) >= m_giveUpAfter.count()) {
        readiness.state = CloneReadiness::State::GaveUp;
    } else {
        readiness.state = CloneReadiness::State::Settling;
        entry.nextCheckAt =
            now.addSecs(std::max(m_spacing, entry.retryAfter.value_or(m_spacing)).count());
    }
    emit changed(key);
    if (readiness.isFinal())
        emit settled(key, readiness.state == CloneReadiness::State::Ready);
    arm();
}
