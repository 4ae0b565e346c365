#include "simtenant.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace {

bool isEvolvableType(const QString &type)
{
    static const QSet<QString> evolvable{
        QStringLiteral("teamifyGroup"), QStringLiteral("createChannel"),
        QStringLiteral("archiveChannel"), QStringLiteral("unarchiveChannel")};
    return evolvable.contains(type);
}

SimTeam teamFromJson(const QJsonObject &json)
{
    SimTeam team;
    team.id = json.value(QLatin1String("id")).toString(SimTenant::newId());
    team.displayName = json.value(QLatin1String("displayName")).toString();
    team.description = json.value(QLatin1String("description")).toString();
    team.visibility = json.value(QLatin1String("visibility")).toString(QStringLiteral("private"));
    team.isArchived = json.value(QLatin1String("isArchived")).toBool();
    team.isOrgWide = json.value(QLatin1String("isOrgWide")).toBool();
    team.memberCount = json.value(QLatin1String("memberCount")).toInt(team.memberCount);
    team.membersHidden = json.value(QLatin1String("membersHidden")).toBool();
    team.readOnly = json.value(QLatin1String("readOnly")).toBool();
    const auto names = [&json](const char *key) {
        QStringList list;
        for (const QJsonValue &name : json.value(QLatin1String(key)).toArray())
            list.append(name.toString());
        return list;
    };
    if (json.contains(QLatin1String("channels")))
        team.channels = names("channels");
    team.privateChannels = names("privateChannels");
    team.apps = names("apps");
    return team;
}

} // namespace

QString SimTeam::webUrl(const QString &tenantId) const
{
    QString thread = id;
    thread.remove(QLatin1Char('-'));
    // Concatenated, not arg(): "%3a" and "%40" (the link's own escapes) are placeholders to arg.
    return QStringLiteral("https://teams.microsoft.com/l/team/19%3a") + thread +
           QStringLiteral("%40thread.tacv2/conversations?groupId=") + id +
           QStringLiteral("&tenantId=") + tenantId;
}

namespace {

// The first `shownAtOnce` at once, then one more every settleStep seconds after appearedAt.
QStringList settling(const QStringList &all, int shownAtOnce, double appearedAt, double step,
                     double now)
{
    if (appearedAt < 0 || step <= 0)
        return all;
    const int more = now < appearedAt ? 0 : int((now - appearedAt) / step);
    return all.mid(0, std::min<qsizetype>(all.size(), shownAtOnce + more));
}

} // namespace

QStringList SimTeam::visibleChannels(double now) const
{
    return settling(channels, 1, appearedAt, settleStep, now);
}

QStringList SimTeam::visibleApps(double now) const
{
    return settling(apps, 0, appearedAt, settleStep, now);
}

QJsonObject SimTeam::toJson(const QString &tenantId) const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("displayName"), displayName},
        {QStringLiteral("description"), description.isEmpty() ? QJsonValue() : description},
        {QStringLiteral("visibility"), visibility},
        {QStringLiteral("isArchived"), isArchived},
        {QStringLiteral("webUrl"), webUrl(tenantId)},
        {QStringLiteral("internalId"), QStringLiteral("19:%1@thread.tacv2").arg(id)},
        {QStringLiteral("classification"), QJsonValue()},
        {QStringLiteral("createdDateTime"), QJsonValue()},
    };
}

SimTenant::SimTenant(TimeSource now, double timeScale)
    : m_now(now ? std::move(now) : TimeSource([] { return QDateTime::currentDateTimeUtc(); }))
    , m_timeScale(timeScale)
    , m_wallStart(m_now())
    , m_tenantId(QStringLiteral("5b8a3c6e-0f3d-4c0a-9d5e-6a1f2b3c4d5e"))
    , m_identity(m_tenantId, [this] { return scenarioNow(); })
{}

QString SimTenant::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString SimTenant::graphTimestamp(const QDateTime &time)
{
    // Graph writes seven fractional digits.
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
           QStringLiteral("0000Z");
}

double SimTenant::secondsSinceStart() const
{
    return static_cast<double>(m_wallStart.msecsTo(m_now())) / 1000.0 * m_timeScale;
}

QDateTime SimTenant::scenarioNow() const
{
    return m_wallStart.addMSecs(std::llround(secondsSinceStart() * 1000.0));
}

QDateTime SimTenant::simTime(double seconds) const
{
    // Timestamps follow the wall clock: a scenario's seconds pass timeScale times faster, but a
    // client never sees a timestamp from its own future.
    return m_wallStart.addMSecs(static_cast<qint64>(std::llround(seconds * 1000.0 / m_timeScale)));
}

QDateTime SimTenant::simulatedNow() const
{
    return simTime(secondsSinceStart());
}

QString SimTenant::loadScenario(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("scenario is not valid JSON: %1").arg(parseError.errorString());
    const QJsonObject root = document.object();
    if (root.contains(QLatin1String("timeScale"))) {
        m_timeScale = root.value(QLatin1String("timeScale")).toDouble(m_timeScale);
        if (m_timeScale <= 0)
            return QStringLiteral("scenario's timeScale must be positive");
    }
    const QJsonObject limits = root.value(QLatin1String("limits")).toObject();
    m_throttle.tenantPerSecond =
        limits.value(QLatin1String("tenantPerSecond")).toInt(m_throttle.tenantPerSecond);
    m_throttle.teamPerSecond =
        limits.value(QLatin1String("teamPerSecond")).toInt(m_throttle.teamPerSecond);
    m_throttle.otherClientPerSecond = std::max(
        0,
        limits.value(QLatin1String("otherClientPerSecond")).toInt(m_throttle.otherClientPerSecond));
    m_maxPageSize = std::max(1, limits.value(QLatin1String("maxPageSize")).toInt(m_maxPageSize));
    m_cloneSettleSeconds = std::max(
        0.0, root.value(QLatin1String("cloneSettleSeconds")).toDouble(m_cloneSettleSeconds));
    const QJsonObject newTeam = root.value(QLatin1String("newTeam")).toObject();
    const auto delay = [&newTeam](const char *key, double fallback) {
        return std::max(0.0, newTeam.value(QLatin1String(key)).toDouble(fallback));
    };
    m_newTeamDelays.readableSeconds = delay("readableSeconds", m_newTeamDelays.readableSeconds);
    m_newTeamDelays.ownersSeconds = delay("ownersSeconds", m_newTeamDelays.ownersSeconds);
    m_newTeamDelays.filesFolderSeconds =
        delay("filesFolderSeconds", m_newTeamDelays.filesFolderSeconds);
    m_filesFolderAt.clear();
    const QJsonObject latency = root.value(QLatin1String("latencyMs")).toObject();
    const int minLatency = latency.value(QLatin1String("min")).toInt(m_latency.minMs);
    const int maxLatency =
        latency.value(QLatin1String("max")).toInt(std::max(minLatency, m_latency.maxMs));
    if (minLatency < 0 || maxLatency < minLatency)
        return QStringLiteral("scenario's latencyMs needs 0 <= min <= max");
    setLatency(minLatency, maxLatency);
    m_latencyRandom.seed(static_cast<quint32>(root.value(QLatin1String("seed")).toInt(1)));
    const QString faultProblem =
        m_faults.load(root.value(QLatin1String("faults")).toArray(),
                      static_cast<quint32>(root.value(QLatin1String("seed")).toInt(1)));
    if (!faultProblem.isEmpty())
        return faultProblem;
    m_teams.clear();
    m_groups.clear();
    // "groups": [{"id", "displayName", "replicatesAfter": simulated seconds}]
    for (const QJsonValue &value : root.value(QLatin1String("groups")).toArray()) {
        const QJsonObject spec = value.toObject();
        Group group{spec.value(QLatin1String("id")).toString(),
                    spec.value(QLatin1String("displayName")).toString(),
                    spec.value(QLatin1String("replicatesAfter")).toDouble(0)};
        m_groups.insert(group.id.toLower(), group);
    }
    m_operations.clear();
    m_operationIndex.clear();
    m_operationsByTeam.clear();
    m_pendingEffects.clear();
    const QJsonArray teams = root.value(QLatin1String("teams")).toArray();
    for (const QJsonValue &value : teams)
        addTeam(teamFromJson(value.toObject()));

    const QJsonArray operations = root.value(QLatin1String("operations")).toArray();
    for (const QJsonValue &value : operations) {
        const QJsonObject spec = value.toObject();
        SimOperation op;
        op.id = spec.value(QLatin1String("id")).toString(newId());
        op.teamId = spec.value(QLatin1String("teamId")).toString();
        if (!team(op.teamId))
            return QStringLiteral("operation %1 names unknown team \"%2\"").arg(op.id, op.teamId);
        op.type = spec.value(QLatin1String("operationType")).toString(QStringLiteral("cloneTeam"));
        op.createdAt = spec.value(QLatin1String("createdAt")).toDouble(0);
        op.startAfter = spec.value(QLatin1String("startAfter")).toDouble(op.startAfter);
        op.duration = std::max(1.0, spec.value(QLatin1String("duration")).toDouble(op.duration));
        op.outcome = spec.value(QLatin1String("outcome")).toString(op.outcome);
        op.attempts = std::max(1, spec.value(QLatin1String("attempts")).toInt(op.attempts));
        const QJsonObject error = spec.value(QLatin1String("error")).toObject();
        op.errorCode = error.value(QLatin1String("code")).toString();
        op.errorMessage = error.value(QLatin1String("message")).toString();
        op.targetTeamId = op.teamId;
        if (spec.contains(QLatin1String("produces"))) {
            op.producesTeam = teamFromJson(spec.value(QLatin1String("produces")).toObject());
            op.targetTeamId = op.producesTeam->id;
        }
        if (op.type == QLatin1String("archiveTeam") || op.type == QLatin1String("unarchiveTeam"))
            op.setsArchived = op.type == QLatin1String("archiveTeam");
        addOperation(op);
    }
    return QString();
}

const SimTenant::Group *SimTenant::group(const QString &id) const
{
    const auto found = m_groups.constFind(id.toLower());
    return found == m_groups.cend() ? nullptr : &*found;
}

const SimTeam *SimTenant::team(const QString &id) const
{
    const auto it = m_teams.constFind(id.toLower());
    return it == m_teams.cend() ? nullptr : &*it;
}

QList<const SimTeam *> SimTenant::teams() const
{
    QList<const SimTeam *> all;
    for (const SimTeam &team : m_teams)
        all.append(&team);
    std::sort(all.begin(), all.end(), [](const SimTeam *a, const SimTeam *b) {
        return a->displayName.localeAwareCompare(b->displayName) < 0;
    });
    return all;
}

bool SimTenant::isReadable(const SimTeam &team) const
{
    return team.bornAt < 0 || secondsSinceStart() >= team.bornAt + m_newTeamDelays.readableSeconds;
}

bool SimTenant::hasOwners(const SimTeam &team) const
{
    return team.bornAt < 0 || secondsSinceStart() >= team.bornAt + m_newTeamDelays.ownersSeconds;
}

bool SimTenant::requestFilesFolder(const SimTeam &team, const QString &channel)
{
    if (team.bornAt < 0)
        return true;
    const QString key = team.id.toLower() + QLatin1Char('/') + channel.toLower();
    const double now = secondsSinceStart();
    const auto existsAt = m_filesFolderAt.constFind(key);
    if (existsAt == m_filesFolderAt.cend()) {
        m_filesFolderAt.insert(key, now + m_newTeamDelays.filesFolderSeconds);
        return m_newTeamDelays.filesFolderSeconds <= 0;
    }
    return now >= *existsAt;
}

SimTeam &SimTenant::addTeam(const SimTeam &team)
{
    return *m_teams.insert(team.id.toLower(), team);
}

SimOperation *SimTenant::operation(const QString &teamId, const QString &operationId)
{
    const auto it =
        m_operationIndex.constFind(teamId.toLower() + QLatin1Char('/') + operationId.toLower());
    return it == m_operationIndex.cend() ? nullptr : &m_operations[*it];
}

QList<const SimOperation *> SimTenant::operationsOf(const QString &teamId) const
{
    QList<const SimOperation *> found;
    for (const qsizetype index : m_operationsByTeam.value(teamId.toLower()))
        found.append(&m_operations.at(index));
    return found;
}

bool SimTenant::hasRunningChange(const QString &teamId) const
{
    const double now = secondsSinceStart();
    for (const SimOperation *op : operationsOf(teamId)) {
        if (op->setsArchived && op->createdAt + op->startAfter + op->duration > now)
            return true;
    }
    return false;
}

SimOperation &SimTenant::addOperation(SimOperation operation)
{
    if (operation.id.isEmpty())
        operation.id = newId();
    const qsizetype index = m_operations.size();
    m_operationIndex.insert(operation.teamId.toLower() + QLatin1Char('/') + operation.id.toLower(),
                            index);
    m_operationsByTeam[operation.teamId.toLower()].append(index);
    if (!operation.stored) {
        m_pendingEffects.insert(
            {operation.createdAt + operation.startAfter + operation.duration, index});
    }
    m_operations.append(std::move(operation));
    return m_operations.last();
}

QStringList SimTenant::operationLocations() const
{
    QStringList locations;
    for (const SimOperation &op : m_operations)
        locations.append(QStringLiteral("/teams('%1')/operations('%2')").arg(op.teamId, op.id));
    return locations;
}

void SimTenant::settle()
{
    // Operations in order of finishing, so a request costs only what finished since the last.
    const double now = secondsSinceStart();
    while (!m_pendingEffects.empty() && m_pendingEffects.begin()->first <= now) {
        const double finishedAt = m_pendingEffects.begin()->first;
        SimOperation &op = m_operations[m_pendingEffects.begin()->second];
        m_pendingEffects.erase(m_pendingEffects.begin());
        if (op.outcome != QLatin1String("succeeded"))
            continue;
        if (op.producesTeam) {
            SimTeam &added = addTeam(*op.producesTeam);
            added.bornAt = finishedAt;
            if (added.settleStep > 0)
                added.appearedAt = finishedAt;
        }
        if (op.setsArchived) {
            if (const SimTeam *target = team(op.targetTeamId)) {
                SimTeam changed = *target;
                changed.isArchived = *op.setsArchived;
                addTeam(changed);
            }
        }
    }
}

QJsonObject SimTenant::operationJson(const SimOperation &op, bool includeUnknownEnumMembers,
                                     bool beta) const
{
    if (op.stored)
        return *op.stored;

    const double age = secondsSinceStart() - op.createdAt;
    QString status;
    int attempts = 0;
    double lastAction = op.createdAt;
    if (age < op.startAfter) {
        status = QStringLiteral("notStarted");
    } else if (age < op.startAfter + op.duration) {
        status = QStringLiteral("inProgress");
        const double progress = (age - op.startAfter) / op.duration;
        attempts = std::clamp(1 + static_cast<int>(progress * op.attempts), 1, op.attempts);
        lastAction = op.createdAt + op.startAfter + (attempts - 1) * op.duration / op.attempts;
    } else {
        status = op.outcome;
        attempts = op.attempts;
        lastAction = op.createdAt + op.startAfter + op.duration;
    }

    QString type = op.type;
    if ((isEvolvableType(type) && !includeUnknownEnumMembers) ||
        (type == QLatin1String("createChat") && !beta)) {
        type = QStringLiteral("unknownFutureValue");
    }
    const bool succeeded = status == QLatin1String("succeeded");
    const bool failed = status == QLatin1String("failed");
    const QString target = QStringLiteral("/teams('%1')").arg(op.targetTeamId);

    QJsonObject json{
        {QStringLiteral("@odata.context"),
         QStringLiteral("https://graph.microsoft.com/%1/$metadata#teams('%2')/operations/$entity")
             .arg(beta ? QStringLiteral("beta") : QStringLiteral("v1.0"), op.teamId)},
        {QStringLiteral("id"), op.id},
        {QStringLiteral("operationType"), type},
        {QStringLiteral("createdDateTime"), graphTimestamp(simTime(op.createdAt))},
        {QStringLiteral("status"), status},
        {QStringLiteral("lastActionDateTime"), graphTimestamp(simTime(lastAction))},
        {QStringLiteral("attemptsCount"), attempts},
        {QStringLiteral("targetResourceId"),
         succeeded ? QJsonValue(op.targetTeamId) : QJsonValue()},
        {QStringLiteral("targetResourceLocation"), succeeded ? QJsonValue(target) : QJsonValue()},
        {QStringLiteral("error"),
         failed ? QJsonValue(QJsonObject{{QStringLiteral("code"), op.errorCode},
                                         {QStringLiteral("message"), op.errorMessage}})
                : QJsonValue()},
    };
    // The real service adds an undocumented JSON-in-a-string field; clients must ignore it.
    const QString extra =
        QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("teamId"), op.teamId}})
                              .toJson(QJsonDocument::Compact));
    json.insert(beta ? QStringLiteral("values") : QStringLiteral("Value"), extra);
    return json;
}

void SimTenant::setLatency(int minMs, int maxMs)
{
    m_latency.minMs = std::max(0, minMs);
    m_latency.maxMs = std::max(m_latency.minMs, maxMs);
}

int SimTenant::drawLatencyMs()
{
    if (m_latency.maxMs <= m_latency.minMs)
        return m_latency.minMs;
    return m_latency.minMs + m_latencyRandom.bounded(m_latency.maxMs - m_latency.minMs + 1);
}
