#include "polling/pacedrequests.h"

#include "model/clock.h"
#include "polling/operationpoller.h"
#include "polling/teamoperations.h"

#include <algorithm>
#include <limits>

PacedRequests::PacedRequests(OperationPoller &poller, Clock &clock, QObject *parent)
    : RequestPacer(parent)
    , m_poller(poller)
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PacedRequests::sendWhatFits);
    connect(&m_clock, &Clock::jumped, this, [this] {
        if (!m_waiting.isEmpty())
            sendWhatFits();
    });
}

QString PacedRequests::teamKeyOf(const QUrl &url)
{
    // Only to count the request against its team's limit: a location stays opaque otherwise.
    return teamIdFromText(url.path()).toLower();
}

void PacedRequests::whenFree(const QUrl &url, QObject *receiver,
                             std::function<void(const QDateTime &)> send)
{
    m_waiting.append({teamKeyOf(url), receiver, std::move(send)});
    if (!m_timer.isActive())
        sendWhatFits();
}

void PacedRequests::throttled(const QUrl &url, const QDateTime &sentAt)
{
    const QString teamKey = teamKeyOf(url);
    if (!teamKey.isEmpty())
        m_poller.teamRequestThrottled(teamKey, sentAt);
    else
        m_poller.tenantRequestThrottled(sentAt);
}

void PacedRequests::sendWhatFits()
{
    m_timer.stop();
    const QDateTime now = m_clock.now();
    QList<Waiting> goNow;
    QDateTime wakeAt;
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (!it->receiver) {
            it = m_waiting.erase(it);
            continue;
        }
        const QDateTime freeAt = m_poller.reserveBackgroundRequest(it->teamKey);
        if (!freeAt.isValid()) {
            goNow.append(std::move(*it));
            it = m_waiting.erase(it);
            continue;
        }
        wakeAt = wakeAt.isValid() ? std::min(wakeAt, freeAt) : freeAt;
        ++it;
    }
    // Sent after the walk: a send may ask for another paced request.
    for (const Waiting &waiting : std::as_const(goNow)) {
        if (waiting.receiver)
            waiting.send(now);
    }
    if (!m_waiting.isEmpty() && !m_timer.isActive()) {
        const qint64 delay = wakeAt.isValid() ? std::max<qint64>(1, now.msecsTo(wakeAt)) : 1000;
        m_timer.start(int(std::min<qint64>(delay, std::numeric_limits<int>::max())));
    }
}
