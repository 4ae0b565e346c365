#include "start/clonereadiness.h"

#include "graph/graphclient.h"
#include "model/clock.h"
#include "model/operation.h"
#include "model/watchedoperation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace std::chrono;

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(CloneReadiness)
};

// How many entries a Graph list holds; standard channels only (private ones are never cloned).
int countOf(const GraphReply &reply, bool channels, QString &error)
{
    const QJsonDocument json = QJsonDocument::fromJson(reply.body);
    if (!reply.ok() || !json.object().value(QLatin1String("value")).isArray()) {
        error = reply.ok() ? Text::tr("Graph's list is not one") : reply.describe();
        return -1;
    }
    int count = 0;
    for (const QJsonValue &item : json.object().value(QLatin1String("value")).toArray()) {
        const QString membership =
            item.toObject().value(QLatin1String("membershipType")).toString();
        count += !channels || membership.isEmpty() || membership == QLatin1String("standard");
    }
    return count;
}

} // namespace

QString CloneReadiness::text() const
{
    const auto shortOf = [this]() {
        if (channelsExpected >= 0 && channels < channelsExpected)
            return Text::tr("channels %1 of %2").arg(channels).arg(channelsExpected);
        if (appsExpected >= 0 && apps < appsExpected)
            return Text::tr("apps %1 of %2").arg(apps).arg(appsExpected);
        return QString();
    };
    switch (state) {
    case State::Waiting:
        return QString();
    case State::Checking:
        return Text::tr("Checking that the team is complete…");
    case State::Settling: {
        QString what = shortOf();
        if (!what.isEmpty())
            what[0] = what[0].toUpper();
        return what.isEmpty() ? Text::tr("Still settling")
                              : Text::tr("%1 — still settling").arg(what);
    }
    case State::Ready:
        return Text::tr("Ready");
    case State::GaveUp:
        return Text::tr("Gave up waiting: %1").arg(shortOf().isEmpty() ? lastError : shortOf());
    }
    return QString();
}

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
    m_client.get(found->clone.url, this, [this, key](const GraphReply &reply) {
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

void CloneReadinessTracker::check(const QString &key)
{
    Entry &entry = m_entries[key];
    entry.inFlight = true;
    const bool withApps = entry.parts.contains(QLatin1String("apps"));
    const QString source = entry.clone.teamId;
    const QString target = entry.targetTeamId;
    const auto compareWith = [this, key, target, withApps](const Counts &sourceCounts) {
        fetchCounts(target, withApps, [this, key, sourceCounts](Counts counts, QString error) {
            compare(key, sourceCounts, counts, error);
        });
    };
    const auto known = m_sourceCounts.constFind(source.toLower());
    if (known != m_sourceCounts.cend() && (!withApps || known->apps >= 0)) {
        compareWith(*known);
        return;
    }
    fetchCounts(source, withApps, [this, key, source, compareWith](Counts counts, QString error) {
        if (!error.isEmpty()) {
            compare(key, Counts(), Counts(),
                    tr("the source team could not be read (%1)").arg(error));
            return;
        }
        m_sourceCounts.insert(source.toLower(), counts);
        compareWith(counts);
    });
}

void CloneReadinessTracker::fetchCounts(const QString &teamId, bool withApps,
                                        std::function<void(Counts, QString)> done)
{
    const QUrl channels =
        urlUnderBase(m_client.baseUrl(), QStringLiteral("/teams/%1/channels").arg(teamId));
    m_client.get(channels, this, [this, teamId, withApps, done](const GraphReply &reply) {
        Counts counts;
        QString error;
        counts.channels = countOf(reply, true, error);
        if (!error.isEmpty() || !withApps) {
            done(counts, error);
            return;
        }
        const QUrl apps =
            urlUnderBase(m_client.baseUrl(), QStringLiteral("/teams/%1/installedApps").arg(teamId));
        m_client.get(apps, this, [counts, done](const GraphReply &appsReply) mutable {
            QString appsError;
            counts.apps = countOf(appsReply, false, appsError);
            done(counts, appsError);
        });
    });
}

void CloneReadinessTracker::compare(const QString &key, const Counts &source, const Counts &target,
                                    const QString &error)
{
    const auto found = m_entries.find(key);
    if (found == m_entries.end())
        return;
    Entry &entry = *found;
    entry.inFlight = false;
    CloneReadiness &readiness = entry.readiness;
    ++readiness.checks;
    readiness.lastError = error;
    const bool channelsCloned = entry.parts.contains(QLatin1String("channels"));
    const bool appsCloned = entry.parts.contains(QLatin1String("apps"));
    if (error.isEmpty()) {
        readiness.channels = target.channels;
        // Without channels cloned, the new team has General only.
        readiness.channelsExpected = channelsCloned ? source.channels : 1;
        readiness.apps = std::max(0, target.apps);
        readiness.appsExpected = appsCloned ? source.apps : -1;
    }
    const bool complete = error.isEmpty() && readiness.channels >= readiness.channelsExpected &&
                          (readiness.appsExpected < 0 || readiness.apps >= readiness.appsExpected);
    const QDateTime now = m_clock.now();
    if (complete) {
        readiness.state = CloneReadiness::State::Ready;
    } else if (entry.succeededAt.secsTo(now) >= m_giveUpAfter.count()) {
        readiness.state = CloneReadiness::State::GaveUp;
    } else {
        readiness.state = CloneReadiness::State::Settling;
        entry.nextCheckAt = now.addSecs(m_spacing.count());
    }
    emit changed(key);
    if (readiness.isFinal())
        emit settled(key, readiness.state == CloneReadiness::State::Ready);
    arm();
}
