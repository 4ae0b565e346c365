#pragma once

#include "simfaults.h"
#include "simreply.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <QTcpSocket>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>
#include <vector>

class QHttpServer;
class QHttpServerResponder;
class SimTenant;

// What the simulator saw of one request; tests and benchmarks read these.
struct SimRequestRecord
{
    QByteArray method;
    QString path; // decoded, as received, version prefix included
    QByteArray prefer;
    QByteArray clientRequestId; // the client-request-id header, as sent
    QByteArray requestId;       // the request-id of the answer
    bool authorized = false;
    int client = -1;       // which accepted token it carried: 0 the first, -1 none
    bool viaBatch = false; // a sub-request of a POST /$batch
    QDateTime at;          // the tenant's wall clock when it arrived
    int status = 0;
};

// Microsoft Graph, as far as TeamsOps uses it, on Qt HttpServer bound to 127.0.0.1.
class SimServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimServer)
public:
    // An empty token makes a random one.
    SimServer(SimTenant &tenant, const QString &token = QString(), QObject *parent = nullptr);
    ~SimServer() override;

    // Binds 127.0.0.1 only. port 0 picks a free one. Returns the port, or 0 on failure.
    quint16 listen(quint16 port = 0);
    quint16 port() const { return m_port; }
    QUrl baseUrl(const QString &version = QStringLiteral("v1.0")) const;
    QString token() const { return m_tokens.first(); }
    // Accepts another token too, as another signed-in user of the same app would hold; requests
    // carrying it are recorded with its index as `client`. Returns that index.
    int addToken(const QString &token);

    // Adds a fault to the tenant's (the same list a scenario's "faults" fill).
    void injectFault(const SimFault &fault);

    // Requests sent but not yet arrived (see SimTenant::latency()), and when the next arrives.
    int requestsInTransit() const { return static_cast<int>(m_inTransit.size()); }
    QDateTime nextArrivalAt() const;
    // Requests that arrived and will never be answered in full (a "hang" or "stall" fault)
    // whose client has not given up yet: the client counts them in flight.
    int requestsHeld() const;
    int requestsLeftUnanswered() const { return m_leftUnanswered; } // all held so far
    // Serves every request whose arrival time has come. A timer calls it against the real
    // clock; a harness that moves a manual clock calls it after each move.
    void serveArrived();

    // Every request and every sub-request of a batch, in order of arrival (none are kept after
    // setKeepingRecords(false): a week-long run would hold millions; the counts below go on).
    const QList<SimRequestRecord> &requests() const { return m_requests; }
    void setKeepingRecords(bool keep) { m_keepingRecords = keep; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    // Requests and sub-requests whose decoded path ends with the given text.
    int requestCount(const QString &pathSuffix) const;
    int roundTrips() const;  // HTTP requests, a batch counting once
    int subRequests() const; // requests inside batches
    int throttled() const;   // 429 answers sent, at either level

    // The routing itself, without HTTP: tests of the simulator's behaviour may call it directly.
    SimReply handle(const QByteArray &method, const QUrl &url,
                    const QHash<QByteArray, QByteArray> &headers, const QByteArray &body);

signals:
    // Requests in transit or held changed: one arrived, was served, or its client gave up.
    void trafficChanged();

private:
    SimReply handleOne(const QByteArray &method, const QUrl &url,
                       const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                       bool viaBatch);
    // request-id, client-request-id and Date on an answer, recorded with its request.
    static void nameAnswer(SimReply &reply, SimRequestRecord &record);
    SimReply handleBatch(const QUrl &url, const QHash<QByteArray, QByteArray> &headers,
                         const QByteArray &body);
    void respond(const SimReply &reply, QHttpServerResponder &&responder);
    // Writes an answer that breaks on the wire (SimReply::breakage) straight to the socket.
    void respondBroken(const SimReply &reply, QHttpServerResponder &&responder);
    SimReply route(const QByteArray &method, const QStringList &segments, bool beta,
                   bool withUnknownEnums, const QUrlQuery &query, const QByteArray &body);
    SimReply getOperation(const QString &teamId, const QString &operationId, bool beta,
                          bool withUnknownEnums);
    SimReply listOperations(const QString &teamId, bool beta, bool withUnknownEnums,
                            const QUrlQuery &query);
    SimReply storeOperation(const QString &teamId, const QByteArray &body);
    SimReply getTeam(const QString &teamId);
    // POST /teams/{id}/channels/{id}/archive|unarchive: 202 and a Location; the team must be
    // active and the channel one of its own.
    SimReply startChannelArchive(const QString &teamId, const QString &channelId, bool archive);
    // POST /teams with group@odata.bind: a team from a group (teamifyGroup); 404 while the group
    // is unknown or not replicated yet, 409 when it is a team or becoming one.
    SimReply teamifyGroup(const QString &groupBind);
    // GET /teams, with the one $filter TeamsOps uses: displayName eq '…'.
    SimReply listTeams(const QUrlQuery &query);
    SimReply listMembers(const QString &teamId);
    SimReply listJoinedTeams();
    SimReply listChannels(const QString &teamId);
    SimReply getFilesFolder(const QString &teamId, const QString &channelId);
    SimReply listInstalledApps(const QString &teamId);
    SimReply startClone(const QString &teamId, const QByteArray &body);
    SimReply startArchive(const QString &teamId, bool archive, const QByteArray &body);
    SimReply createTeam(const QByteArray &body);

    SimTenant &m_tenant;
    QHttpServer *m_server;
    QStringList m_tokens;
    // Who sent a request: the index of a token given to the server, 0 for a valid token the
    // identity platform issued, -1 for none.
    int clientOf(const QHash<QByteArray, QByteArray> &headers) const;
    // Graph's 401, saying whether the token was missing, unknown or expired.
    SimReply unauthorized(const QHash<QByteArray, QByteArray> &headers) const;
    quint16 m_port = 0;
    // A fault drawn for this path: its answer when it replaces the service's, else nullopt
    // (and `alteration` is what to do to the service's answer).
    std::optional<SimReply> faultFor(const QByteArray &method, const QUrl &url,
                                     std::optional<SimFault> &alteration, int &delayMs);
    void receive(const QByteArray &method, const QUrl &url,
                 const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                 QHttpServerResponder &&responder);
    QDateTime arrivalTime() const; // of the request being served

    struct InTransit
    {
        QByteArray method;
        QUrl url;
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
        std::unique_ptr<QHttpServerResponder> responder;
    };

    void keep(const SimRequestRecord &record);

    QList<SimRequestRecord> m_requests;
    bool m_keepingRecords = true;
    int m_roundTrips = 0;
    int m_subRequests = 0;
    int m_throttled = 0;
    std::multimap<qint64, InTransit> m_inTransit; // by arrival, ms since the epoch
    QTimer m_arrivalTimer;
    QDateTime m_servingArrivedAt;
    // Answers the scenario chose to leave unfinished (never answered, stalled, dripping or
    // reset), each kept while its connection is open: the client ends them, or the server's end.
    struct Held
    {
        std::shared_ptr<QHttpServerResponder> responder;
        QPointer<QTcpSocket> socket;
        bool incomplete = false; // will never be complete: the client must give up on it
    };
    void hold(std::shared_ptr<QHttpServerResponder> responder, bool incomplete);
    std::vector<Held> m_held;
    int m_leftUnanswered = 0;
};
