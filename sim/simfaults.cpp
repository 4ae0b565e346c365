#include "simfaults.h"

#include <QJsonObject>

QString SimFaults::load(const QJsonArray &specs, quint32 seed)
{
    m_random.seed(seed);
    m_specs.clear();
    for (const QJsonValue &value : specs) {
        const QJsonObject object = value.toObject();
        Spec spec;
        spec.path = object.value(QLatin1String("path")).toString();
        spec.rate = object.value(QLatin1String("rate")).toDouble(1.0);
        spec.status = object.value(QLatin1String("status")).toInt(0);
        spec.retryAfter = object.value(QLatin1String("retryAfter")).toString().toLatin1();
        spec.kind = object.value(QLatin1String("kind")).toString();
        spec.latencyMs = object.value(QLatin1String("latencyMs")).toInt(0);
        static const QStringList kinds{QString(), QStringLiteral("truncated"),
                                       QStringLiteral("html"), QStringLiteral("oversize"),
                                       QStringLiteral("hang")};
        if (!kinds.contains(spec.kind))
            return QStringLiteral("unknown fault kind \"%1\"").arg(spec.kind);
        if (spec.rate < 0 || spec.rate > 1)
            return QStringLiteral("fault rate must be between 0 and 1");
        m_specs.append(spec);
    }
    return QString();
}

void SimFaults::apply(const QString &path, SimReply &reply)
{
    for (const Spec &spec : std::as_const(m_specs)) {
        if (!path.contains(spec.path))
            continue;
        if (spec.latencyMs > 0)
            reply.delayMs += spec.latencyMs;
        if (spec.status == 0 && spec.kind.isEmpty())
            continue;
        if (m_random.generateDouble() >= spec.rate)
            continue;
        if (spec.status != 0) {
            reply = SimReply::graphError(spec.status,
                                         spec.status == 429 ? QStringLiteral("TooManyRequests")
                                                            : QStringLiteral("ServiceUnavailable"),
                                         QStringLiteral("Injected fault."));
            if (!spec.retryAfter.isEmpty())
                reply.withHeader("Retry-After", spec.retryAfter);
        } else if (spec.kind == QLatin1String("truncated")) {
            reply.body.truncate(reply.body.size() / 2);
        } else if (spec.kind == QLatin1String("html")) {
            reply = SimReply::empty(502);
            reply.body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                         "<body><h1>Bad Gateway</h1></body></html>";
            reply.withHeader("Content-Type", "text/html");
        } else if (spec.kind == QLatin1String("oversize")) {
            reply.body = QByteArray(8 * 1024 * 1024, ' ') + reply.body;
        } else if (spec.kind == QLatin1String("hang")) {
            reply.hang = true;
        }
        return;
    }
}
