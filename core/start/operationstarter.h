#pragma once

#include "model/graphreply.h"
#include "model/operationref.h"
#include "start/teamrequests.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

class Clock;
class GraphClient;
class StartJournal;
class StartResolver;

// Sends one request that starts a Teams operation, as an admin's script should and rarely does.
// A 429 or 503 means the service did not take it: sent again after its Retry-After (on the
// injectable clock), up to kMaxAttempts. A request that got no answer at all (timeout, reset) is
// never sent again — it may have been taken, and a second clone is worse than a message — and
// the result says so; nor does Qt's HTTP layer send it again (GraphClient::postOnce). 202 gives
// the operation (its Location resolved); 201 the created object.
class OperationStarter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationStarter)
public:
    static constexpr int kMaxAttempts = 5;
    // Without a Retry-After, wait this long (doubling) before sending again.
    static constexpr std::chrono::seconds kFirstBackoff{3};
    // A created team shows at Graph once made: a create is looked for this long before it is
    // sent again after a 429 (other kinds show in their team's list at once: one look).
    static constexpr std::chrono::minutes kCreateLookFirst{2};
    // A group made less than this long ago may answer 404 to a team from it (replication): the
    // request goes again, 10 s, then doubling, until this long after the first try.
    static constexpr std::chrono::minutes kReplicationDelay{15};

    struct Result
    {
        bool accepted = false;
        QString location;                // the Location header as sent (202)
        std::optional<OperationRef> ref; // the operation it names
        QJsonObject created;             // 201: the object Graph created
        int httpStatus = 0;
        QString errorCode;    // Graph's error.code
        QString graphMessage; // Graph's error.message, as it was sent
        QString message;      // for people, when not accepted: what happened, in plain words
        int attempts = 0;
        bool maybeStarted = false; // no answer arrived: it may have started; not sent again
        // The client-request-id the request carried (a UUID, the same on every attempt of one
        // request), and Graph's request-id for its last answer: what support asks for.
        QString clientRequestId;
        QString requestId;

        // Found at Graph by looking (StartResolver) although no answer said so: accepted.
        void takeFound(const OperationRef &found, const QString &foundLocation, const QString &why)
        {
            accepted = true;
            maybeStarted = false;
            ref = found;
            location = foundLocation;
            message = why;
        }
    };
    using Handler = std::function<void(const Result &)>;

    OperationStarter(GraphClient &client, Clock &clock, QObject *parent = nullptr);

    // With a journal, each request's intent is saved before it is sent (and not sent when it
    // cannot be saved), and its answer replaces it: a crash in between leaves a start whose
    // outcome is unknown, never a forgotten one. Not owned; it must outlive the starter.
    // A throttled request's next attempt, and a 409 "already in progress", look at Graph first
    // (StartResolver): Graph has answered 429 to work that went through.
    void setJournal(StartJournal *journal);

    // One request at a time; `done` runs once. A request of a plan (a bulk clone) is given its
    // client-request-id and place there: its waiting record becomes the intent.
    struct Planned
    {
        QString clientRequestId;
        QString planId;
        int position = 0;
    };
    void start(const TeamRequest &request, Handler done, const Planned &planned);
    void start(const TeamRequest &request, Handler done);
    bool isBusy() const { return bool(m_done); }
    // Nothing in flight: waiting for a Retry-After, or between two looks at Graph.
    bool isWaiting() const;
    // How many times the request in hand has been sent so far.
    int attemptsSent() const { return m_result.attempts; }
    void cancel();

signals:
    // Throttled: sent again in `wait` (attempt `attempt` of kMaxAttempts next).
    void waiting(std::chrono::seconds wait, int attempt);

private:
    void send();
    void answered(const GraphReply &reply);
    void finish(const Result &result);
    void retryAt(const QDateTime &due);
    void journalAnswer(const Result &result);
    // Looks at Graph for this request's operation; found, the request is done (accepted), else
    // `otherwise` runs.
    void lookFirst(const QString &why, std::function<void()> otherwise);
    void sendAgain();

    GraphClient &m_client;
    Clock &m_clock;
    TeamRequest m_request;
    Handler m_done;
    Result m_result;
    QTimer m_retry;
    QDateTime m_retryDue;
    StartJournal *m_journal = nullptr;
    StartResolver *m_resolver = nullptr; // with a journal
    QDateTime m_firstSentAt;
};

// The request's own error in plain words, for the table, the CLI and the bulk list: what a 400,
// 403, 404, 409 or 429 means for this kind of request, then Graph's message.
QString describeStartFailure(const TeamRequest &request, int httpStatus, const QString &errorCode,
                             const QString &graphMessage);
