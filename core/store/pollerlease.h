#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <optional>

class Clock;
class OperationDatabase;

// Who polls for a store: one process at a time, however many share it (the dashboard, a
// `teamsops-cli watch`, a second dashboard). The lease is a row of the store (holder, program,
// process id, host, expiry) taken in an IMMEDIATE transaction; the holder renews it three times
// per lifetime, and whoever finds it expired takes it. A holder that dies (SIGKILL) is replaced
// within one lifetime and one renewal period.
struct LeaseHolder
{
    QString id; // unique per process and run
    QString program;
    qint64 pid = 0;
    QString host;
    QDateTime expiresAt;

    // "teamsops-cli (pid 4242)", and the host when it is another machine's.
    QString describe() const;
};

class PollerLease final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PollerLease)
public:
    static constexpr std::chrono::milliseconds kShortestLifetime{1500};

    PollerLease(OperationDatabase &database, Clock &clock, const QString &program,
                QObject *parent = nullptr);
    ~PollerLease() override;

    // Takes the lease if it is free, and keeps trying (or renewing) from then on. A lifetime of
    // one poll interval (at least kShortestLifetime) hands over within two intervals.
    void start(std::chrono::milliseconds lifetime);
    bool isHolder() const { return m_holding; }
    // Who holds it, when another process does.
    std::optional<LeaseHolder> holder() const { return m_other; }
    // Gives it up (at exit), so that another process takes over at once.
    void release();
    const LeaseHolder &me() const { return m_me; }

signals:
    void acquired();
    // Another process holds it (from the start, or it took over): follow it.
    void following(const LeaseHolder &holder);

private:
    void tryToHold();

    OperationDatabase &m_database;
    Clock &m_clock;
    LeaseHolder m_me;
    std::chrono::milliseconds m_lifetime{kShortestLifetime};
    bool m_holding = false;
    std::optional<LeaseHolder> m_other;
    QTimer m_timer;
};
