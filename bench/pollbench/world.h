#pragma once

// The world poll_bench runs in: N operations on a number of teams with known status changes,
// what each client saw of them, and the figures that come out.

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

struct SimRequestRecord;

struct Transition
{
    QString key; // "team/operation", lower-cased
    bool final;  // false: notStarted → inProgress; true: → succeeded/failed
    double at;   // seconds after the start of the run
};

struct World
{
    QJsonObject scenario;
    QList<Transition> transitions;
    QStringList locations;
};

// N operations on `teams` teams; each starts within the first half of the span and runs for a
// minute to half the span, so most change status twice while watched.
World makeWorld(int n, int teams, double span);

// When one client first saw each operation in progress and finished.
struct Sightings
{
    QHash<QString, double> inProgress;
    QHash<QString, double> finished;

    void observe(const QString &key, const QString &status, double at);
};

struct Result
{
    int roundTrips = 0;
    int subRequests = 0;
    int throttled = 0;
    double meanDelay = 0;
    double p95Delay = 0;
    int unseen = 0; // changes never sighted within the span (counted up to the end)
};

// One client's figures: its requests (those carrying its token) and its detection delays.
Result measure(const World &world, const QList<SimRequestRecord> &requests, int client,
               const Sightings &seen, double span);
