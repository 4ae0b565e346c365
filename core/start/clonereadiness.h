#pragma once

#include "model/operationref.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <optional>

class Clock;
class GraphClient;
struct GraphReply;
struct WatchedOperation;

// Whether a clone's team is really there. Graph reports a clone succeeded before all of its
// channels exist (microsoft-graph-docs #4883), so "succeeded" is not "usable". The clone's
// Location names the source team and its targetResourceId the new one; what was asked to be
// cloned is known when TeamsOps sent the request.
struct CloneReadiness
{
    enum class State
    {
        Waiting,  // the clone has not succeeded yet
        Checking, // the first comparison is on its way
        Settling, // fewer channels (or apps) than the source so far
        Ready,
        GaveUp, // still settling after the time allowed
    };
    State state = State::Waiting;
    int channels = 0;
    int channelsExpected = -1; // -1: not compared (channels were not cloned)
    int apps = 0;
    int appsExpected = -1; // -1: not compared
    int checks = 0;
    QString lastError; // the last comparison that failed, for people

    bool isFinal() const { return state == State::Ready || state == State::GaveUp; }
    // "Ready", "Channels 7 of 12 — still settling", "Gave up: channels 7 of 12", …
    QString text() const;
};

// Compares each started clone's new team with its source once the clone has succeeded — a few
// times, spaced (never closer than 30 s), until the channels (and, where apps were cloned, the
// installed apps) are all there, or the time allowed runs out. Standard channels only: private
// channels are never cloned.
class CloneReadinessTracker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloneReadinessTracker)
public:
    static constexpr std::chrono::seconds kMinimumSpacing{30};
    static constexpr std::chrono::seconds kDefaultSpacing{60};
    static constexpr std::chrono::minutes kDefaultGiveUpAfter{30};

    CloneReadinessTracker(GraphClient &client, Clock &clock, QObject *parent = nullptr);

    // Spacing below 30 s is raised to it against the real service (a loopback simulator may go
    // faster, as polling does).
    void setSpacing(std::chrono::seconds spacing);
    void setGiveUpAfter(std::chrono::seconds after) { m_giveUpAfter = after; }

    // A clone TeamsOps started, with the parts it asked for ("apps", "channels", ...).
    void expect(const OperationRef &clone, const QStringList &parts);
    bool isExpected(const QString &key) const { return m_entries.contains(key); }
    // The poller saw the operation: comparisons start once it has succeeded.
    void observe(const WatchedOperation &operation);
    // The same, by reading the operation once (teamsops-cli --wait-ready, after watch ended).
    void checkOperation(const QString &key);
    std::optional<CloneReadiness> readiness(const QString &key) const;

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
        CloneReadiness readiness;
    };
    struct Counts
    {
        int channels = -1;
        int apps = -1;
    };

    void succeeded(Entry &entry, const QString &targetTeamId);
    bool isDue(const Entry &entry) const;
    void arm();
    void checkDue();
    void check(const QString &key);
    void fetchCounts(const QString &teamId, bool withApps,
                     std::function<void(Counts, QString)> done);
    void compare(const QString &key, const Counts &source, const Counts &target,
                 const QString &error);

    GraphClient &m_client;
    Clock &m_clock;
    std::chrono::seconds m_spacing = kDefaultSpacing;
    std::chrono::seconds m_giveUpAfter = kDefaultGiveUpAfter;
    QHash<QString, Entry> m_entries;       // by operation key
    QHash<QString, Counts> m_sourceCounts; // by source team id, read once
    QTimer m_timer;
};
