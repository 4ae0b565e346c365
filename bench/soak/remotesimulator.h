#pragma once

// The harness's side of the simulator process (simulatorprocess.h): starts it, keeps its latest
// counts of requests in transit and held, moves its clock, and asks it for the truth of an
// operation and for its figures. Replies are waited for without an event loop; state lines are
// also read as they come, so a harness waiting on its own event loop wakes when they change.

#include "soakworld.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QUrl>

#include <optional>

namespace soak {

struct SimulatorFigures
{
    qint64 roundTrips = 0;
    qint64 subRequests = 0;
    qint64 throttled = 0;
    qint64 faults = 0;
    qint64 unanswered = 0;
    qint64 residentKiB = 0;
};

class RemoteSimulator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteSimulator)
public:
    explicit RemoteSimulator(QObject *parent = nullptr);
    ~RemoteSimulator() override;

    // Runs `program arguments` and reads its port and plan; qFatal when it cannot.
    void start(const QString &program, const QStringList &arguments);

    QUrl baseUrl() const { return m_baseUrl; }
    const QList<Planned> &planned() const { return m_planned; }
    int requestsInTransit() const { return m_inTransit; }
    int requestsHeld() const { return m_held; }
    QDateTime nextArrivalAt() const { return m_nextArrival; }

    // Moves the simulator's clock to `to` and returns once it has served what arrived by then.
    void advanceTo(const QDateTime &to);
    // The operation as the simulator would answer it; nullopt when it has no such operation.
    std::optional<QJsonObject> operationJson(const QString &teamId, const QString &operationId);
    SimulatorFigures figures();

private:
    void readLines();
    QByteArray ask(const QByteArray &command, const QByteArray &replyWord);
    QByteArray awaitLine(const QByteArray &word);

    QProcess m_process;
    QUrl m_baseUrl;
    QList<Planned> m_planned;
    QList<QByteArray> m_replies; // lines other than state ones, in the order they came
    int m_inTransit = 0;
    int m_held = 0;
    QDateTime m_nextArrival;
};

} // namespace soak
