#pragma once

#include "graph/requestpacer.h"

#include <QList>
#include <QPointer>
#include <QTimer>

class Clock;
class OperationPoller;

// The poller's side of GraphClient::getPaced: GETs that are not polls wait here, in the order
// they were asked for, until the poller's budget has a place for them
// (PollPlanner::reserveBackgroundRequest). A team's limit holds back only that team's requests.
class PacedRequests final : public RequestPacer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PacedRequests)
public:
    PacedRequests(OperationPoller &poller, Clock &clock, QObject *parent = nullptr);

    void whenFree(const QUrl &url, QObject *receiver,
                  std::function<void(const QDateTime &sentAt)> send) override;
    void throttled(const QUrl &url, const QDateTime &sentAt) override;
    qsizetype waiting() const { return m_waiting.size(); }

private:
    struct Waiting
    {
        QString teamKey; // empty: on no team
        QPointer<QObject> receiver;
        std::function<void(const QDateTime &)> send;
    };
    static QString teamKeyOf(const QUrl &url);
    void sendWhatFits();

    OperationPoller &m_poller;
    Clock &m_clock;
    QTimer m_timer;
    QList<Waiting> m_waiting;
};
