#pragma once

#include "polling/operationpoller.h"
#include "start/operationstarter.h"
#include "start/teamrequests.h"
#include "store/startjournal.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

class Clock;
class GraphClient;

// The names (and descriptions) of a bulk clone, from a pattern or a CSV file.
struct BulkCloneName
{
    QString displayName;
    QString description;
};
// "Project {n}" for n = first … first + count - 1; `problem` when the pattern has no {n}.
QList<BulkCloneName> namesFromPattern(const QString &pattern, int count, int first,
                                      QString &problem);
// One team a line: a name, then optionally a description (RFC 4180 quoting: "Sales, EMEA").
// A first line "name" / "displayName" (with "description") is a header and skipped; blank
// lines are skipped. `problem` names the first line that cannot be read.
QList<BulkCloneName> namesFromCsv(const QByteArray &csv, QString &problem);

// N clones of one template, paced under Graph's limits: every clone of one source is a POST on
// that team, which Graph allows 4 a second (and clones 6 a second per tenant), so they go out
// one after another at most `perSecond` a second (3 by default, as polling's team budget) — and
// slower while Graph asks to (a throttled one waits its Retry-After, and the rest wait with it).
// Each is sent at most once unless the admin retries it.
class BulkCloner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkCloner)
public:
    struct Item
    {
        TeamRequest request;
        enum class State
        {
            Waiting,
            Sending,
            Accepted,
            Refused
        } state = State::Waiting;
        OperationStarter::Result result;
        QString clientRequestId; // with a journal: its id in the plan, from before it is sent
    };

    BulkCloner(GraphClient &client, Clock &clock, QObject *parent = nullptr);

    void setPerSecond(int perSecond);
    // With a journal, a bulk is a plan: every clone saved (waiting) before the first is sent, each
    // one's intent and answer as a single start's (OperationStarter::setJournal), so that an
    // interrupted bulk can be resumed (resume()) without sending any clone twice.
    void setJournal(StartJournal *journal);
    QString planId() const { return m_planId; }
    // While operations are polled, polls of the template team and the clones' POSTs on it count
    // against one limit at Graph (4 a second on a team): each POST then also waits for a place
    // in the poller's team budget, and a throttled one slows the team's polling too.
    void sharePollingBudget(OperationPoller *poller) { m_poller = poller; }
    // Checks every request first: nothing is sent when any cannot be (`problem` says which).
    bool start(const CloneOptions &common, const QList<BulkCloneName> &names, QString &problem);
    // Goes on with a saved plan whose unknown starts were resolved first: what was accepted or
    // refused stays so, what is left is sent; one still unknown is not sent (false, `problem`).
    bool resume(const QString &planId, const QList<StartRecord> &starts, QString &problem);
    // Sends the refused ones again (the admin fixed the cause, or the service's was passing).
    void retryRefused();
    void cancel();

    const QList<Item> &items() const { return m_items; }
    int done() const; // accepted + refused
    int accepted() const;
    int refused() const;
    bool isRunning() const { return m_running; }
    // Nothing in flight: waiting for its pace, a Retry-After, or a look at Graph.
    bool isWaiting() const { return m_pace.isActive() || m_starter.isWaiting(); }
    // From the pace and what is left; invalid before the first answer.
    std::chrono::milliseconds timeLeft() const;

signals:
    void itemFinished(int index);
    void progress(int done, int total);
    void finished(int accepted, int refused, bool cancelled);

private:
    void sendNext();

    OperationStarter m_starter;
    GraphClient &m_client;
    Clock &m_clock;
    StartJournal *m_journal = nullptr;
    QString m_planId;
    QList<Item> m_items;
    std::chrono::milliseconds m_spacing{334};
    QDateTime m_lastSentAt;
    QPointer<OperationPoller> m_poller;
    QTimer m_pace;
    bool m_running = false;
};
