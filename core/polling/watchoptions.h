#pragma once

#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

class QCommandLineParser;

// The options that `teamsops` and `teamsops-cli` share, defined once (qBittorrent's cmdoptions
// shape): where Graph is, how often to poll, the request budgets and, for the CLI, a timeout.
// Every number is range-checked here, and a refusal names the option.
struct WatchOptions
{
    QUrl graphUrl;
    std::chrono::milliseconds interval{std::chrono::seconds(30)};
    std::optional<std::chrono::milliseconds> timeout;
    int tenantBudget = 0;
    int teamBudget = 0;
    QString storePath;       // --store, else the shared default file
    bool storeGiven = false; // --store was given

    // Beyond these a value is a mistake, not a wish: a day between polls, and QTimer's
    // longest single-shot (2^31 - 1 ms, 24.8 days) for the timeout.
    static constexpr double kMaxIntervalSeconds = 86400;
    static constexpr double kMaxTimeoutSeconds = 2147483;
    static constexpr int kMaxBudget = 1000;

    static QUrl defaultGraphUrl();
    // Adds --graph-url, --interval, --tenant-budget, --team-budget, --store (and --timeout when
    // asked).
    static void addTo(QCommandLineParser &parser, bool withTimeout);
    // Reads them; an empty string on success, else one line for people naming the option.
    // `defaultInterval` applies when --interval is not given.
    QString readFrom(const QCommandLineParser &parser, std::chrono::milliseconds defaultInterval);
};
