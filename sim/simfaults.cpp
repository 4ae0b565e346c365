#include "simfaults.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

bool SimFault::replacesAnswer() const
{
    return status != 0 || !body.isEmpty() || kind == QLatin1String("html") ||
           kind == QLatin1String("lost");
}

QString SimFaults::load(const QJsonArray &specs, quint32 seed)
{
    m_random.seed(seed);
    m_faults.clear();
    for (const QJsonValue &value : specs) {
        const QJsonObject object = value.toObject();
        SimFault fault;
        fault.pathContains = object.value(QLatin1String("path")).toString();
        fault.pathEndsWith = object.value(QLatin1String("pathEndsWith")).toString();
        fault.queryContains = object.value(QLatin1String("queryContains")).toString();
        fault.method = object.value(QLatin1String("method")).toString().toUpper().toLatin1();
        fault.rate = object.value(QLatin1String("rate")).toDouble(1.0);
        fault.times = object.value(QLatin1String("times")).toInt(-1);
        fault.status = object.value(QLatin1String("status")).toInt(0);
        fault.retryAfter = object.value(QLatin1String("retryAfter")).toString().toLatin1();
        fault.kind = object.value(QLatin1String("kind")).toString();
        fault.latencyMs = object.value(QLatin1String("latencyMs")).toInt(0);
        fault.served = object.value(QLatin1String("served")).toBool(false);
        static const QStringList kinds{QString(),
                                       QStringLiteral("truncated"),
                                       QStringLiteral("html"),
                                       QStringLiteral("oversize"),
                                       QStringLiteral("hang"),
                                       QStringLiteral("selfLink"),
                                       QStringLiteral("endless"),
                                       QStringLiteral("drip"),
                                       QStringLiteral("stall"),
                                       QStringLiteral("reset"),
                                       QStringLiteral("close"),
                                       QStringLiteral("abort"),
                                       QStringLiteral("lost")};
        if (!kinds.contains(fault.kind))
            return QStringLiteral("unknown fault kind \"%1\"").arg(fault.kind);
        if (fault.rate < 0 || fault.rate > 1)
            return QStringLiteral("fault rate must be between 0 and 1");
        m_faults.append(fault);
    }
    return QString();
}

std::optional<SimFault> SimFaults::draw(const QByteArray &method, const QString &path,
                                        const QString &query, int &delayMs)
{
    std::optional<SimFault> drawn;
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        SimFault &fault = m_faults[i];
        if (!path.contains(fault.pathContains) || !path.endsWith(fault.pathEndsWith) ||
            !query.contains(fault.queryContains) ||
            (!fault.method.isEmpty() && fault.method != method))
            continue;
        delayMs += fault.latencyMs;
        const bool doesSomething = fault.replacesAnswer() || !fault.kind.isEmpty();
        if (drawn || !doesSomething)
            continue;
        if (fault.rate < 1.0 && m_random.generateDouble() >= fault.rate)
            continue;
        drawn = fault;
        ++m_drawn;
        if (fault.times > 0 && --fault.times == 0)
            m_faults.removeAt(i--);
    }
    return drawn;
}

SimReply SimFaults::answerOf(const SimFault &fault)
{
    if (!fault.body.isEmpty()) {
        SimReply raw = SimReply::empty(fault.status != 0 ? fault.status : 200);
        raw.body = fault.body;
        return raw.withHeader("Content-Type", fault.contentType);
    }
    if (fault.kind == QLatin1String("lost")) {
        SimReply reply = SimReply::empty(0);
        reply.breakage = "close"; // not served, and no answer
        return reply;
    }
    if (fault.kind == QLatin1String("html")) {
        SimReply reply = SimReply::empty(502);
        reply.body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                     "<body><h1>Bad Gateway</h1></body></html>";
        return reply.withHeader("Content-Type", "text/html");
    }
    const bool throttled = fault.status == 429;
    SimReply reply = SimReply::graphError(
        fault.status,
        throttled ? QStringLiteral("TooManyRequests") : QStringLiteral("ServiceUnavailable"),
        throttled ? QStringLiteral("Too many requests, retry later.")
                  : QStringLiteral("The service is temporarily unavailable."));
    if (!fault.retryAfter.isEmpty())
        reply.withHeader("Retry-After", fault.retryAfter);
    return reply;
}

void SimFaults::alter(const SimFault &fault, const QUrl &url, SimReply &reply)
{
    if (fault.served && fault.replacesAnswer()) {
        reply = answerOf(fault);
        return;
    }
    if (fault.kind == QLatin1String("selfLink") || fault.kind == QLatin1String("endless")) {
        QJsonObject page = QJsonDocument::fromJson(reply.body).object();
        if (!page.value(QLatin1String("value")).isArray())
            return; // not a list page
        QUrl next = url;
        if (fault.kind == QLatin1String("endless")) {
            QUrlQuery query(url);
            const int token = query.queryItemValue(QStringLiteral("$skiptoken")).toInt() + 1;
            query.removeAllQueryItems(QStringLiteral("$skiptoken"));
            query.addQueryItem(QStringLiteral("$skiptoken"), QString::number(token));
            next.setQuery(query);
        }
        page.insert(QStringLiteral("@odata.nextLink"), next.toString());
        reply.body = QJsonDocument(page).toJson(QJsonDocument::Compact);
        return;
    }
    if (fault.kind == QLatin1String("truncated"))
        reply.body.truncate(reply.body.size() / 2);
    else if (fault.kind == QLatin1String("oversize"))
        reply.body.prepend(QByteArray(8 * 1024 * 1024, ' '));
    else if (fault.kind == QLatin1String("drip") || fault.kind == QLatin1String("stall") ||
             fault.kind == QLatin1String("reset") || fault.kind == QLatin1String("close") ||
             fault.kind == QLatin1String("abort"))
        reply.breakage = fault.kind.toLatin1();
    else if (fault.kind == QLatin1String("hang"))
        reply.hang = true;
}
