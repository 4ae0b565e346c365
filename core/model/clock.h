#pragma once

#include <QDateTime>
#include <QObject>

#include <chrono>

// Where logic that tests must control reads the time. The app passes a SystemClock; tests pass a
// ManualClock and move it forward instead of sleeping.
class Clock : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual QDateTime now() const = 0;

signals:
    // Emitted when time moved by hand, so timers armed against the old time re-check what is due.
    void jumped();
};

class SystemClock final : public Clock
{
    Q_OBJECT
public:
    using Clock::Clock;
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

class ManualClock final : public Clock
{
    Q_OBJECT
public:
    explicit ManualClock(const QDateTime &start, QObject *parent = nullptr)
        : Clock(parent)
        , m_now(start.toUTC())
    {}
    QDateTime now() const override { return m_now; }
    void advance(std::chrono::milliseconds by)
    {
        m_now = m_now.addMSecs(by.count());
        emit jumped();
    }

private:
    QDateTime m_now;
};
