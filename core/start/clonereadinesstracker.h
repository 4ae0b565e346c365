#pragma once

#include "model/operationref.h"
#include "start/clonereadiness.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

class Clock;
class GraphClient;
struct GraphReply;
struct WatchedOperation;

// Follows each started clone once it has succeeded, in rounds spaced never closer than 30 s,
// until its team is usable (CloneReadiness) or the time allowed runs out. Each step is asked
// until it is complete, then no more: the new team (until it answers), its standard channels
// (and installed apps, where apps were cloned) against the source's, its owners (until there is
// one), and the files folder of each channel whose folder has not answered yet — asking for it
// is what makes SharePoint create it. Private channels are never cloned, so never counted.
// Graph allows 4 requests a second on any one team: a round sends at most kRequestsPerRound to
// the new team, and what is left waits for the next round.
class CloneReadinessTracker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloneReadinessTracker)
public:
    static constexpr std::chrono::seconds kMinimumSpacing{30};
    static constexpr std::chrono::seconds kDefaultSpacing{60};
    static constexpr std::chrono::minutes kDefaultGiveUpAfter{30};
    static constexpr int kRequestsPerRound = 3;

    CloneReadinessTracker(GraphClient &client, Clock &clock, QObject *parent = nullptr);

    // Spacing below 30 s is raised to it against the real service (a loopback simulator may go
    // faster, as polling does).
    void setSpacing(std::chrono::seconds spacing);
    void setGiveUpAfter(std::chrono::seconds after) { m_giveUpAfter = after; }

    // A clone TeamsOps started, with the parts it asked for ("apps", "channels", ...).
    void expect(const OperationRef &clone, const QStringList &parts);
    bool isExpected(const QString &key) const { return m_entries.contains(key); }
    // The poller saw the operation: checks start once it has succeeded.
    void observe(const WatchedOperation &operation);
    // The same, by reading the operation once (teamsops-cli --wait-ready, after watch ended).
    void checkOperation(const QString &key);
    std::optional<CloneReadiness> readiness(const QString &key) const;
    // A round is due later (tests move their clock while this is true).
    bool isWaiting() const;

signals:
    void changed(const QString &key);
    // Ready, or given up on.
    void settled(const QString &key, bool ready);

private:
    struct Entry
    {
        OperationRef clone;
        QStringList parts;
        QString targetTeamId;
        QDateTime succeededAt;
        QDateTime nextCheckAt;
        bool inFlight = false;
        bool readOperation = false; // checkOperation: the operation itself is read (again)
        QStringList channelIds;     // the new team's standard channels, as last listed
        QSet<QString> foldersFound; // channel ids whose files folder answered
        int requestsLeft = 0;       // in this round, to the new team
        std::optional<std::chrono::seconds> retryAfter; // Graph asked to wait this round
        CloneReadiness readiness;
    };
    struct Counts
    {
        int channels = -1;
        int apps = -1;
        QStringList channelIds; // standard channels
    };
    using Step = std::function<void()>;

    void succeeded(Entry &entry, const QString &targetTeamId);
    bool isDue(const Entry &entry) const;
    void arm();
    void checkDue();
    // One round: each step goes on to the next, the last finishes the round.
    void check(const QString &key);
    void checkReadable(const QString &key, const Step &next);
    void checkContents(const QString &key, const Step &next);
    void checkOwners(const QString &key, const Step &next);
    void checkFolders(const QString &key);
    // Takes one request of the round's allowance to the new team; false when none is left.
    bool spendRequest(Entry &entry);
    // A reply Graph throttled: the next round waits at least its Retry-After.
    void noteThrottled(const QString &key, const GraphReply &reply);
    void finishRound(const QString &key, const QString &error);
    void fetchCounts(const QString &teamId, bool withApps,
                     std::function<void(Counts, QString)> done);
    QUrl teamUrl(const QString &teamId, const QString &below = QString()) const;

    GraphClient &m_client;
    Clock &m_clock;
    std::chrono::seconds m_spacing = kDefaultSpacing;
    std::chrono::seconds m_giveUpAfter = kDefaultGiveUpAfter;
    QHash<QString, Entry> m_entries;       // by operation key
    QHash<QString, Counts> m_sourceCounts; // by source team id, read once
    QTimer m_timer;
};
