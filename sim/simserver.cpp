#include "simserver.h"

#include "simtenant.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

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

QString bearerToken(const QHash<QByteArray, QByteArray> &headers)
{
    const QByteArray authorization = headers.value("authorization");
    return authorization.startsWith("Bearer ") ? QString::fromUtf8(authorization.mid(7))
                                               : QString();
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
    const QString token = bearerToken(headers);
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        if (!token.isEmpty() && token == m_tokens[i])
            return int(i);
    }
    // A token the identity platform issued counts as the first client's.
    return m_tenant.identity().checkAccessToken(token) == SimIdentity::TokenCheck::Valid ? 0 : -1;
}

SimReply SimServer::unauthorized(const QHash<QByteArray, QByteArray> &headers) const
{
    QString message = QStringLiteral("Access token is empty.");
    if (m_tenant.identity().checkAccessToken(bearerToken(headers)) ==
        SimIdentity::TokenCheck::Expired) {
        message = QStringLiteral("Lifetime validation failed, the token is expired.");
    } else if (headers.contains("authorization")) {
        message = QStringLiteral("Access token validation failure.");
    }
    return SimReply::graphError(401, QStringLiteral("InvalidAuthenticationToken"), message);
}

void SimServer::injectFault(const SimFault &fault)
{
    m_tenant.faults().add(fault);
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

int SimServer::roundTrips() const
{
    return m_roundTrips;
}

int SimServer::subRequests() const
{
    return m_subRequests;
}

int SimServer::throttled() const
{
    return m_throttled;
}

void SimServer::keep(const SimRequestRecord &record)
{
    ++(record.viaBatch ? m_subRequests : m_roundTrips);
    m_throttled += record.status == 429 ? 1 : 0;
    if (m_keepingRecords)
        m_requests.append(record);
}

SimReply SimServer::handle(const QByteArray &method, const QUrl &url,
                           const QHash<QByteArray, QByteArray> &headers, const QByteArray &body)
{
    // The identity platform shares the host in the simulator: /{tenant}/oauth2/v2.0/...
    const QStringList segments =
        url.path(QUrl::FullyDecoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (SimIdentity::isIdentityPath(segments))
        return m_tenant.identity().handle(method, segments, QUrlQuery(url), body);
    if (method == "POST" && url.path().endsWith(QLatin1String("/$batch")))
        return handleBatch(url, headers, body);
    return handleOne(method, url, headers, body, false);
}

void SimServer::nameAnswer(SimReply &reply, SimRequestRecord &record)
{
    // Graph names every answer (request-id), echoes the caller's own id for it (or makes one),
    // and dates it: what support asks for.
    if (record.requestId.isEmpty())
        record.requestId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    reply.withHeader("request-id", record.requestId);
    reply.withHeader("client-request-id",
                     record.clientRequestId.isEmpty() ? record.requestId : record.clientRequestId);
    reply.withHeader("Date", QLocale::c()
                                 .toString(record.at.toUTC(), QStringLiteral("ddd, dd MMM yyyy "
                                                                             "HH:mm:ss 'GMT'"))
                                 .toLatin1());
}

SimReply SimServer::handleOne(const QByteArray &method, const QUrl &url,
                              const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                              bool viaBatch)
{
    SimRequestRecord record;
    record.method = method;
    record.path = url.path(QUrl::FullyDecoded);
    record.prefer = headers.value("prefer");
    record.clientRequestId = headers.value("client-request-id");
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
        reply = unauthorized(headers);
    } else if (segments.isEmpty() || !(beta || is(segments.first(), "v1.0"))) {
        reply = SimReply::graphError(400, QStringLiteral("BadRequest"),
                                     QStringLiteral("Invalid version."));
    } else if (std::optional<SimReply> fault = faultFor(method, url, alteration, delayMs)) {
        reply = *fault;
    } else {
        segments.removeFirst();
        const bool teamScoped =
            segments.size() >= 2 && (is(segments[0], "teams") || is(segments[0], "groups"));
        const QString teamKey = teamScoped ? segments[1].toLower() : QString();
        std::optional<std::chrono::seconds> wait;
        if (method == "GET")
            wait = m_tenant.throttle().admit(teamKey, record.at);
        else if (method == "POST" && !segments.isEmpty() && is(segments.last(), "clone"))
            wait = m_tenant.throttle().admitWrite(QStringLiteral("clone"), teamKey, record.at);
        else if (method == "POST" && segments.size() == 1 && is(segments[0], "teams"))
            wait = m_tenant.throttle().admitWrite(QStringLiteral("create"), QString(), record.at);
        else if (method == "POST" && teamScoped)
            wait = m_tenant.throttle().admitWrite(QStringLiteral("team"), teamKey, record.at);
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
    nameAnswer(reply, record);
    record.status = reply.status;
    keep(record);
    return reply;
}

std::optional<SimReply> SimServer::faultFor(const QByteArray &method, const QUrl &url,
                                            std::optional<SimFault> &alteration, int &delayMs)
{
    const std::optional<SimFault> fault = m_tenant.faults().draw(
        method, url.path(QUrl::FullyDecoded), url.query(QUrl::FullyDecoded), delayMs);
    if (!fault)
        return std::nullopt;
    if (fault->replacesAnswer() && !fault->served)
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
        if (n == 1 && get)
            return listTeams(query);
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
        if (n == 3 && is(s[2], "channels") && get)
            return listChannels(s[1]);
        if (n == 3 && is(s[2], "installedApps") && get)
            return listInstalledApps(s[1]);
        if (n == 3 && is(s[2], "clone") && post)
            return startClone(s[1], body);
        if (n == 3 && (is(s[2], "archive") || is(s[2], "unarchive")) && post)
            return startArchive(s[1], is(s[2], "archive"), body);
        if (n == 5 && is(s[2], "channels") && is(s[4], "filesFolder") && get)
            return getFilesFolder(s[1], s[3]);
        if (n == 5 && is(s[2], "channels") && (is(s[4], "archive") || is(s[4], "unarchive")) &&
            post)
            return startChannelArchive(s[1], s[3], is(s[4], "archive"));
    }
    // The old shape some Location headers still use: /groups(T)/team/operations(O).
    if (n == 5 && is(s[0], "groups") && is(s[2], "team") && is(s[3], "operations") && get)
        return getOperation(s[1], s[4], beta, withUnknownEnums);
    if (n == 2 && is(s[0], "me") && is(s[1], "joinedTeams") && get)
        return listJoinedTeams();
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
