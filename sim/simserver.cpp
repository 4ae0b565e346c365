#include "simserver.h"

#include "simtenant.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

namespace {

QString randomToken()
{
    return QStringLiteral("sim-%1%2")
        .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'))
        .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
}

// Graph spells keys three ways: teams('x'), teams(x) and teams/x. Turn them all into segments.
QStringList pathSegments(QString path)
{
    static const QRegularExpression quotedKey(QStringLiteral(R"(\('([^']*)'\))"));
    static const QRegularExpression bareKey(QStringLiteral(R"(\(([^)]*)\))"));
    path.replace(quotedKey, QStringLiteral("/\\1"));
    path.replace(bareKey, QStringLiteral("/\\1"));
    return path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

QByteArray keyLocation(const QString &teamId, const QString &operationId)
{
    return QStringLiteral("/teams('%1')/operations('%2')").arg(teamId, operationId).toUtf8();
}

bool is(const QString &segment, const char *name)
{
    return segment.compare(QLatin1String(name), Qt::CaseInsensitive) == 0;
}

SimReply noSuchTeam(const QString &teamId)
{
    return SimReply::graphError(404, QStringLiteral("NotFound"),
                                QStringLiteral("No team found with Group Id %1").arg(teamId));
}

// The team a clone or a create will produce, from the request's body.
SimTeam teamToProduce(const QJsonObject &request, const QString &defaultVisibility)
{
    SimTeam produced;
    produced.id = SimTenant::newId();
    produced.displayName = request.value(QLatin1String("displayName")).toString();
    produced.description = request.value(QLatin1String("description")).toString();
    produced.visibility = request.value(QLatin1String("visibility")).toString(defaultVisibility);
    return produced;
}

} // namespace

SimServer::SimServer(SimTenant &tenant, const QString &token, QObject *parent)
    : QObject(parent)
    , m_tenant(tenant)
    , m_server(new QHttpServer(this))
    , m_tokens{token.isEmpty() ? randomToken() : token}
{
    // Graph's paths (teams('id'), $batch, ...) are routed here rather than through QHttpServer's
    // placeholder routes, which cannot express them: every request reaches the missing handler.
    m_server->setMissingHandler([this](const QHttpServerRequest &request,
                                       QHttpServerResponder &&responder) {
        QHash<QByteArray, QByteArray> headers;
        for (const auto &[name, value] : request.headers())
            headers.insert(name.toLower(), value);
        const QByteArray method =
            QByteArray(
                QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(request.method())))
                .toUpper();
        receive(method, request.url(), headers, request.body(), std::move(responder));
    });
    m_arrivalTimer.setSingleShot(true);
    connect(&m_arrivalTimer, &QTimer::timeout, this, &SimServer::serveArrived);
}

int SimServer::addToken(const QString &token)
{
    m_tokens.append(token);
    return int(m_tokens.size()) - 1;
}

int SimServer::clientOf(const QHash<QByteArray, QByteArray> &headers) const
{
    const QByteArray authorization = headers.value("authorization");
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        if (authorization == "Bearer " + m_tokens[i].toUtf8())
            return int(i);
    }
    return -1;
}

void SimServer::injectFault(const SimFault &fault)
{
    m_tenant.faults().add(fault);
}

void SimServer::receive(const QByteArray &method, const QUrl &url,
                        const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                        QHttpServerResponder &&responder)
{
    const int latencyMs = m_tenant.drawLatencyMs();
    if (latencyMs <= 0) {
        respond(handle(method, url, headers, body), std::move(responder));
        return;
    }
    const qint64 arrival = m_tenant.wallNow().toMSecsSinceEpoch() + latencyMs;
    m_inTransit.emplace(arrival,
                        InTransit{method, url, headers, body,
                                  std::make_unique<QHttpServerResponder>(std::move(responder))});
    serveArrived(); // re-arms the timer for the earliest arrival
}

QDateTime SimServer::nextArrivalAt() const
{
    return m_inTransit.empty()
               ? QDateTime()
               : QDateTime::fromMSecsSinceEpoch(m_inTransit.begin()->first, Qt::UTC);
}

void SimServer::serveArrived()
{
    const qint64 now = m_tenant.wallNow().toMSecsSinceEpoch();
    // In order of arrival, which is not the order of sending: that is what jitter does.
    while (!m_inTransit.empty() && m_inTransit.begin()->first <= now) {
        auto node = m_inTransit.extract(m_inTransit.begin());
        InTransit &request = node.mapped();
        m_servingArrivedAt = QDateTime::fromMSecsSinceEpoch(node.key(), Qt::UTC);
        const SimReply reply = handle(request.method, request.url, request.headers, request.body);
        m_servingArrivedAt = QDateTime();
        respond(reply, std::move(*request.responder));
    }
    if (m_inTransit.empty())
        m_arrivalTimer.stop();
    else
        m_arrivalTimer.start(int(std::clamp<qint64>(m_inTransit.begin()->first - now, 0, 60000)));
}

QDateTime SimServer::arrivalTime() const
{
    return m_servingArrivedAt.isValid() ? m_servingArrivedAt : m_tenant.wallNow();
}

SimServer::~SimServer() = default;

quint16 SimServer::listen(quint16 port)
{
    m_port = m_server->listen(QHostAddress::LocalHost, port);
    return m_port;
}

QUrl SimServer::baseUrl(const QString &version) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(version));
}

int SimServer::requestCount(const QString &pathSuffix) const
{
    return static_cast<int>(
        std::count_if(m_requests.cbegin(), m_requests.cend(), [&](const SimRequestRecord &record) {
            return record.path.endsWith(pathSuffix);
        }));
}

void SimServer::respond(const SimReply &reply, QHttpServerResponder &&responder)
{
    if (reply.hang) {
        m_hanging.push_back(std::make_shared<QHttpServerResponder>(std::move(responder)));
        return;
    }
    if (!reply.breakage.isEmpty()) {
        respondBroken(reply, std::move(responder));
        return;
    }
    if (reply.delayMs <= 0) {
        reply.write(responder);
        return;
    }
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTimer::singleShot(reply.delayMs, this, [reply, held] { reply.write(*held); });
}

void SimServer::respondBroken(const SimReply &reply, QHttpServerResponder &&responder)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    m_hanging.push_back(held); // its socket stays ours until the server goes away
    QTcpSocket *socket = held->socket();
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " Whatever\r\n";
    for (const auto &[name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
    const QByteArray half = reply.body.left(reply.body.size() / 2);
    if (reply.breakage == "drip") {
        socket->write(head);
        auto *drip = new QTimer(this);
        auto sent = std::make_shared<qsizetype>(0);
        connect(drip, &QTimer::timeout, this, [drip, socket, sent, body = reply.body] {
            if (*sent >= body.size() || socket->state() != QAbstractSocket::ConnectedState) {
                drip->deleteLater();
                return;
            }
            socket->write(body.mid((*sent)++, 1));
        });
        drip->start(reply.dripMs);
    } else if (reply.breakage == "stall") {
        socket->write(head + half);
    } else { // reset
        socket->write(head + half);
        socket->flush();
        socket->abort();
    }
}

int SimServer::roundTrips() const
{
    return static_cast<int>(std::count_if(m_requests.cbegin(), m_requests.cend(),
                                          [](const SimRequestRecord &r) { return !r.viaBatch; }));
}

int SimServer::subRequests() const
{
    return static_cast<int>(m_requests.size()) - roundTrips();
}

int SimServer::throttled() const
{
    return static_cast<int>(
        std::count_if(m_requests.cbegin(), m_requests.cend(),
                      [](const SimRequestRecord &r) { return r.status == 429; }));
}

SimReply SimServer::handle(const QByteArray &method, const QUrl &url,
                           const QHash<QByteArray, QByteArray> &headers, const QByteArray &body)
{
    if (method == "POST" && url.path().endsWith(QLatin1String("/$batch")))
        return handleBatch(url, headers, body);
    return handleOne(method, url, headers, body, false);
}

SimReply SimServer::handleOne(const QByteArray &method, const QUrl &url,
                              const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                              bool viaBatch)
{
    SimRequestRecord record;
    record.method = method;
    record.path = url.path(QUrl::FullyDecoded);
    record.prefer = headers.value("prefer");
    record.client = clientOf(headers);
    record.authorized = record.client >= 0;
    record.viaBatch = viaBatch;
    record.at = arrivalTime();

    SimReply reply;
    std::optional<SimFault> alteration;
    int delayMs = 0;
    QStringList segments = pathSegments(record.path);
    const bool beta = !segments.isEmpty() && is(segments.first(), "beta");
    if (!record.authorized) {
        reply = SimReply::graphError(401, QStringLiteral("InvalidAuthenticationToken"),
                                     headers.contains("authorization")
                                         ? QStringLiteral("Access token validation failure.")
                                         : QStringLiteral("Access token is empty."));
    } else if (segments.isEmpty() || !(beta || is(segments.first(), "v1.0"))) {
        reply = SimReply::graphError(400, QStringLiteral("BadRequest"),
                                     QStringLiteral("Invalid version."));
    } else if (std::optional<SimReply> fault = faultFor(url, alteration, delayMs)) {
        reply = *fault;
    } else {
        segments.removeFirst();
        const bool teamScoped =
            segments.size() >= 2 && (is(segments[0], "teams") || is(segments[0], "groups"));
        const std::optional<std::chrono::seconds> wait =
            method == "GET" ? m_tenant.throttle().admit(
                                  teamScoped ? segments[1].toLower() : QString(), record.at)
                            : std::nullopt;
        if (wait) {
            reply = SimReply::graphError(429, QStringLiteral("TooManyRequests"),
                                         QStringLiteral("Too many requests, retry later."));
            reply.withHeader("Retry-After", QByteArray::number(qint64(wait->count())));
        } else {
            m_tenant.settle();
            const bool withUnknownEnums = record.prefer.contains("include-unknown-enum-members");
            reply = route(method, segments, beta, withUnknownEnums, QUrlQuery(url), body);
            if (alteration)
                SimFaults::alter(*alteration, url, reply);
        }
    }
    reply.delayMs += delayMs;
    record.status = reply.status;
    m_requests.append(record);
    return reply;
}

std::optional<SimReply> SimServer::faultFor(const QUrl &url, std::optional<SimFault> &alteration,
                                            int &delayMs)
{
    const std::optional<SimFault> fault = m_tenant.faults().draw(
        url.path(QUrl::FullyDecoded), url.query(QUrl::FullyDecoded), delayMs);
    if (!fault)
        return std::nullopt;
    if (fault->replacesAnswer())
        return SimFaults::answerOf(*fault);
    alteration = fault;
    return std::nullopt;
}

SimReply SimServer::route(const QByteArray &method, const QStringList &s, bool beta,
                          bool withUnknownEnums, const QUrlQuery &query, const QByteArray &body)
{
    const bool get = method == "GET";
    const bool post = method == "POST";
    const qsizetype n = s.size();
    if (n >= 1 && is(s[0], "teams")) {
        if (n == 1 && post)
            return createTeam(body);
        if (n == 2 && get)
            return getTeam(s[1]);
        if (n == 3 && is(s[2], "operations") && get)
            return listOperations(s[1], beta, withUnknownEnums, query);
        if (n == 3 && is(s[2], "operations") && post)
            return storeOperation(s[1], body);
        if (n == 4 && is(s[2], "operations") && get)
            return getOperation(s[1], s[3], beta, withUnknownEnums);
        if (n == 3 && is(s[2], "members") && get)
            return listMembers(s[1]);
        if (n == 3 && is(s[2], "clone") && post)
            return startClone(s[1], body);
        if (n == 3 && (is(s[2], "archive") || is(s[2], "unarchive")) && post)
            return startArchive(s[1], is(s[2], "archive"));
    }
    // The old shape some Location headers still use: /groups(T)/team/operations(O).
    if (n == 5 && is(s[0], "groups") && is(s[2], "team") && is(s[3], "operations") && get)
        return getOperation(s[1], s[4], beta, withUnknownEnums);
    if (n == 5 && is(s[0], "me") && is(s[1], "joinedTeams") && is(s[3], "team") &&
        is(s[4], "operations") && post) {
        return storeOperation(s[2], body);
    }
    return SimReply::graphError(
        400, QStringLiteral("BadRequest"),
        QStringLiteral("Resource not found for the segment '%1'.").arg(s.value(n - 1)));
}

SimReply SimServer::getOperation(const QString &teamId, const QString &operationId, bool beta,
                                 bool withUnknownEnums)
{
    const SimOperation *op = m_tenant.operation(teamId, operationId);
    if (!op) {
        return SimReply::graphError(
            404, QStringLiteral("NotFound"),
            QStringLiteral("Operation %1 was not found for team %2.").arg(operationId, teamId));
    }
    return SimReply::json(200, m_tenant.operationJson(*op, withUnknownEnums, beta));
}

SimReply SimServer::listOperations(const QString &teamId, bool beta, bool withUnknownEnums,
                                   const QUrlQuery &query)
{
    if (!m_tenant.team(teamId)) {
        return noSuchTeam(teamId);
    }
    const QList<const SimOperation *> all = m_tenant.operationsOf(teamId);
    const int top = query.queryItemValue(QStringLiteral("$top")).toInt();
    const int pageSize = std::min(top > 0 ? top : 20, m_tenant.maxPageSize());
    const int skip = std::max(0, query.queryItemValue(QStringLiteral("$skiptoken")).toInt());

    QJsonArray page;
    for (qsizetype i = skip; i < all.size() && i < skip + pageSize; ++i)
        page.append(m_tenant.operationJson(*all[i], withUnknownEnums, beta));
    QJsonObject json{{QStringLiteral("@odata.context"),
                      QStringLiteral("https://graph.microsoft.com/v1.0/$metadata#teams('%1')/"
                                     "operations")
                          .arg(teamId)},
                     {QStringLiteral("value"), page}};
    if (skip + pageSize < all.size()) {
        QUrl next = baseUrl(beta ? QStringLiteral("beta") : QStringLiteral("v1.0"));
        next.setPath(next.path() + QStringLiteral("/teams/%1/operations").arg(teamId));
        next.setQuery(QStringLiteral("$top=%1&$skiptoken=%2").arg(pageSize).arg(skip + pageSize));
        json.insert(QStringLiteral("@odata.nextLink"), next.toString());
    }
    return SimReply::json(200, json);
}

SimReply SimServer::storeOperation(const QString &teamId, const QByteArray &body)
{
    // "Create teamsAsyncOperation": the body is stored and served back as sent, with a
    // server-assigned id and createdDateTime.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("The request body is not a JSON object."));
    }
    if (!m_tenant.team(teamId)) {
        return noSuchTeam(teamId);
    }
    QJsonObject stored = document.object();
    SimOperation op;
    op.id = SimTenant::newId();
    op.teamId = teamId;
    op.type = stored.value(QLatin1String("operationType")).toString();
    stored.insert(QStringLiteral("@odata.type"),
                  QStringLiteral("#microsoft.graph.teamsAsyncOperation"));
    stored.insert(QStringLiteral("id"), op.id);
    stored.insert(QStringLiteral("createdDateTime"),
                  SimTenant::graphTimestamp(m_tenant.simulatedNow()));
    op.stored = stored;
    m_tenant.addOperation(op);
    return SimReply::json(201, stored).withHeader("Location", keyLocation(teamId, op.id));
}

SimReply SimServer::getTeam(const QString &teamId)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team) {
        return noSuchTeam(teamId);
    }
    QJsonObject json = team->toJson(m_tenant.tenantId());
    json.insert(QStringLiteral("@odata.context"),
                QStringLiteral("https://graph.microsoft.com/v1.0/$metadata#teams/$entity"));
    return SimReply::json(200, json);
}

SimReply SimServer::listMembers(const QString &teamId)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team) {
        return noSuchTeam(teamId);
    }
    if (team->membersHidden) {
        return SimReply::graphError(403, QStringLiteral("Forbidden"),
                                    QStringLiteral("Missing scope permissions on the request."));
    }
    QJsonArray members;
    for (int i = 0; i < team->memberCount; ++i) {
        members.append(QJsonObject{
            {QStringLiteral("@odata.type"),
             QStringLiteral("#microsoft.graph.aadUserConversationMember")},
            {QStringLiteral("id"), QStringLiteral("member-%1").arg(i)},
            {QStringLiteral("roles"), i == 0 ? QJsonArray{QStringLiteral("owner")} : QJsonArray()},
            {QStringLiteral("displayName"), QStringLiteral("Member %1").arg(i + 1)}});
    }
    return SimReply::json(200, QJsonObject{{QStringLiteral("@odata.count"), team->memberCount},
                                           {QStringLiteral("value"), members}});
}

SimReply SimServer::startClone(const QString &teamId, const QByteArray &body)
{
    const SimTeam *source = m_tenant.team(teamId);
    if (!source) {
        return noSuchTeam(teamId);
    }
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const QString displayName = request.value(QLatin1String("displayName")).toString();
    if (displayName.isEmpty()) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("displayName is required."));
    }
    const QStringList parts = request.value(QLatin1String("partsToClone"))
                                  .toString()
                                  .remove(QLatin1Char(' '))
                                  .split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.contains(QLatin1String("tabs")) && !parts.contains(QLatin1String("apps"))) {
        return SimReply::graphError(
            400, QStringLiteral("InvalidRequest"),
            QStringLiteral("Tabs cannot be cloned without cloning Apps as well."));
    }
    if (parts.contains(QLatin1String("tabs")) && !parts.contains(QLatin1String("channels"))) {
        return SimReply::graphError(
            400, QStringLiteral("InvalidRequest"),
            QStringLiteral("Tabs cannot be cloned without cloning Channels as well."));
    }
    if (source->isOrgWide) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("Org-wide teams cannot be cloned."));
    }
    const SimTeam produced = teamToProduce(request, source->visibility);

    SimOperation op;
    op.teamId = source->id;
    op.type = QStringLiteral("cloneTeam");
    op.createdAt = m_tenant.secondsSinceStart();
    op.producesTeam = produced;
    op.targetTeamId = produced.id;
    const SimOperation &added = m_tenant.addOperation(op);
    return SimReply::empty(202).withHeader("Location", keyLocation(source->id, added.id));
}

SimReply SimServer::startArchive(const QString &teamId, bool archive)
{
    const SimTeam *team = m_tenant.team(teamId);
    if (!team) {
        return noSuchTeam(teamId);
    }
    SimOperation op;
    op.teamId = team->id;
    op.type = archive ? QStringLiteral("archiveTeam") : QStringLiteral("unarchiveTeam");
    op.createdAt = m_tenant.secondsSinceStart();
    op.startAfter = 2;
    op.duration = 20;
    op.targetTeamId = team->id;
    op.setsArchived = archive;
    const SimOperation &added = m_tenant.addOperation(op);
    // The service sends this older, unquoted shape for archive operations too.
    return SimReply::empty(202).withHeader(
        "Location", QStringLiteral("/teams(%1)/operations(%2)").arg(team->id, added.id).toUtf8());
}

SimReply SimServer::createTeam(const QByteArray &body)
{
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const QString displayName = request.value(QLatin1String("displayName")).toString();
    if (displayName.isEmpty()) {
        return SimReply::graphError(400, QStringLiteral("BadRequest"),
                                    QStringLiteral("displayName is required."));
    }
    const SimTeam produced = teamToProduce(request, QStringLiteral("private"));
    // The operation lives under the new team's id before the team itself can be read.
    SimOperation op;
    op.teamId = produced.id;
    op.type = QStringLiteral("createTeam");
    op.createdAt = m_tenant.secondsSinceStart();
    op.producesTeam = produced;
    op.targetTeamId = produced.id;
    const SimOperation &added = m_tenant.addOperation(op);
    return SimReply::empty(202)
        .withHeader("Location", keyLocation(produced.id, added.id))
        .withHeader("Content-Location", QStringLiteral("/teams('%1')").arg(produced.id).toUtf8());
}
