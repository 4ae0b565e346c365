#pragma once

#include "simfaults.h"
#include "simidentity.h"
#include "simthrottle.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <optional>

// A simulated Microsoft 365 tenant: teams and their asynchronous operations, moving over simulated
// time (notStarted → inProgress → succeeded|failed). It shares nothing with core: the only contract
// between them is Graph's HTTP wire format.

struct SimTeam
{
    QString id;
    QString displayName;
    QString description;
    QString visibility = QStringLiteral("private");
    bool isArchived = false;
    bool isOrgWide = false;     // org-wide teams cannot be cloned
    int memberCount = 1;        // the owner at least
    bool membersHidden = false; // GET members answers 403, as for an account without the scope
    bool readOnly = false;      // clone, archive, unarchive answer 403, as for a non-owner
    QStringList channels{QStringLiteral("General")}; // standard channels, General first
    QStringList privateChannels;                     // never cloned
    QStringList apps;                                // installed apps
    // A clone's team does not have everything at once: after it appears (appearedAt, simulated
    // seconds) one more channel and one more app show up every settleStep seconds.
    double appearedAt = -1;
    double settleStep = 0;
    // A team made while the tenant runs (by a clone, a create, a teamify) is not all there when
    // its operation says succeeded (GRAPH.md): bornAt is when it did (simulated seconds; -1 for
    // a scenario's teams, which are complete).
    double bornAt = -1;

    QStringList visibleChannels(double now) const;
    QStringList visibleApps(double now) const;

    QString webUrl(const QString &tenantId) const;
    QJsonObject toJson(const QString &tenantId) const;
};

struct SimOperation
{
    QString id;
    QString teamId; // the team whose /operations collection holds it
    QString type;   // raw operationType, e.g. "cloneTeam"
    // The timeline, in simulated seconds: created at createdAt (relative to the tenant's start),
    // inProgress after startAfter, finished startAfter + duration after creation.
    double createdAt = 0;
    double startAfter = 5;
    double duration = 60;
    QString outcome = QStringLiteral("succeeded");
    int attempts = 1; // attempts rise evenly over the duration up to this count
    QString errorCode;
    QString errorMessage;
    std::optional<SimTeam> producesTeam; // clone and create: the team that appears on success
    QString targetTeamId;                // the team the operation acts on or creates
    std::optional<bool> setsArchived;    // archive / unarchive
    // Operations placed through "Create teamsAsyncOperation" are served as stored.
    std::optional<QJsonObject> stored;
};

class SimTenant
{
public:
    using TimeSource = std::function<QDateTime()>;

    // now: the wall clock (tests pass their manual clock); timeScale: scenario seconds per second
    // of that clock. Timestamps in replies stay on the wall clock, so at timeScale 10 a scenario's
    // 600 s operation is created, runs and finishes within 60 s of real time.
    explicit SimTenant(TimeSource now = {}, double timeScale = 1.0);
    SimTenant(const SimTenant &) = delete; // its identity platform reads this tenant's clock
    SimTenant &operator=(const SimTenant &) = delete;

    // Replaces the tenant's contents with a scenario (see resources/scenarios/). Returns an error
    // for people, or an empty string.
    QString loadScenario(const QByteArray &json);

    QString tenantId() const { return m_tenantId; }
    QDateTime wallNow() const { return m_now(); }
    // The service's limits and the scenario's faults ("limits" and "faults" in the scenario).
    SimThrottle &throttle() { return m_throttle; }
    SimFaults &faults() { return m_faults; }
    // Its identity platform (sign-in), on the tenant's simulated time.
    SimIdentity &identity() { return m_identity; }
    const SimIdentity &identity() const { return m_identity; }
    // How long a request takes to reach the service: uniform between min and max milliseconds
    // ("latencyMs": {"min": 50, "max": 400} in a scenario). Limits count arrivals, not sends.
    struct Latency
    {
        int minMs = 0;
        int maxMs = 0;
    };
    Latency latency() const { return m_latency; }
    void setLatency(int minMs, int maxMs);
    // Draws one request's latency, from a generator seeded by the scenario.
    int drawLatencyMs();
    // How long a clone's channels and apps take to appear, one after another, after the clone
    // reports succeeded ("cloneSettleSeconds" in a scenario; 0: all at once).
    double cloneSettleSeconds() const { return m_cloneSettleSeconds; }
    // How long a new team is incomplete after its operation succeeded, in simulated seconds
    // ("newTeam": {"readableSeconds", "ownersSeconds", "filesFolderSeconds"} in a scenario): its
    // GET answers 404, its members list has no owner yet, and a channel's SharePoint folder exists
    // only filesFolderSeconds after someone first asked for it.
    struct NewTeamDelays
    {
        double readableSeconds = 5;
        double ownersSeconds = 10;
        double filesFolderSeconds = 8;
    };
    const NewTeamDelays &newTeamDelays() const { return m_newTeamDelays; }
    bool isReadable(const SimTeam &team) const;
    bool hasOwners(const SimTeam &team) const;
    // Asks for a channel's files folder: true once it exists. A new team's folders are made on
    // the first request (GRAPH.md), a scenario's exist already.
    bool requestFilesFolder(const SimTeam &team, const QString &channel);
    // The largest page GET /teams/{t}/operations serves, whatever $top asks.
    int maxPageSize() const { return m_maxPageSize; }
    double timeScale() const { return m_timeScale; }
    // Before any request is served: changing it later would make simulated time jump.
    void setTimeScale(double timeScale) { m_timeScale = timeScale; }
    // The Location header of every seeded operation, in Graph's usual shape.
    QStringList operationLocations() const;
    QDateTime simulatedNow() const;
    double secondsSinceStart() const; // simulated
    // A clock that runs timeScale times faster than the wall clock, from the tenant's start: the
    // identity platform's, so that a sped-up tenant also speeds up device code intervals and
    // token lifetimes.
    QDateTime scenarioNow() const;

    // A Microsoft 365 group that is not a team yet, and when the teams service knows it
    // (replication: a team from it answers 404 before that).
    struct Group
    {
        QString id;
        QString displayName;
        double knownAt = 0; // simulated seconds since the start
    };
    const Group *group(const QString &id) const;
    const SimTeam *team(const QString &id) const;
    // Every team, by display name: what /me/joinedTeams lists (the demo user is in all of them).
    QList<const SimTeam *> teams() const;
    SimTeam &addTeam(const SimTeam &team);
    SimOperation *operation(const QString &teamId, const QString &operationId);
    QList<const SimOperation *> operationsOf(const QString &teamId) const;
    SimOperation &addOperation(SimOperation operation);
    // An archive or unarchive of this team that has not finished yet.
    bool hasRunningChange(const QString &teamId) const;

    // The operation as Graph would send it now. Without the Prefer header, evolvable enum members
    // come out as unknownFutureValue; createChat exists only on beta.
    QJsonObject operationJson(const SimOperation &operation, bool includeUnknownEnumMembers,
                              bool beta) const;

    // Applies what finished operations did to their teams (a clone's team appears, an archive
    // sets isArchived). Called before every request.
    void settle();

    static QString newId();
    static QString graphTimestamp(const QDateTime &time);

private:
    QDateTime simTime(double seconds) const;

    TimeSource m_now;
    double m_timeScale;
    QDateTime m_wallStart;
    QString m_tenantId;
    QHash<QString, SimTeam> m_teams;                     // by lower-cased id
    QHash<QString, Group> m_groups;                      // by lower-cased id
    QList<SimOperation> m_operations;                    // in creation order
    QHash<QString, qsizetype> m_operationIndex;          // "team/operation", lower-cased
    QHash<QString, QList<qsizetype>> m_operationsByTeam; // by lower-cased team id
    std::multimap<double, qsizetype> m_pendingEffects;   // by finishing time
    SimThrottle m_throttle;
    SimIdentity m_identity;
    int m_maxPageSize = 999;
    double m_cloneSettleSeconds = 20;
    NewTeamDelays m_newTeamDelays;
    QHash<QString, double> m_filesFolderAt; // "team/channel", lower-cased: when it exists
    Latency m_latency;
    QRandomGenerator m_latencyRandom{1};
    SimFaults m_faults;
};
