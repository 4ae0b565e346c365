#include "graph/retryafter.h"

#include <QString>

#include <algorithm>

namespace {

constexpr qint64 kLongestReadable = 10LL * 366 * 24 * 3600; // ten years, in seconds

} // namespace

QDateTime parseHttpDate(const QByteArray &value)
{
    // HTTP-dates end in "GMT", which Qt's RFC 2822 reader does not take; it means +0000.
    QString text = QString::fromLatin1(value.trimmed());
    if (text.endsWith(QLatin1String(" GMT")))
        text = text.chopped(4) + QLatin1String(" +0000");
    return QDateTime::fromString(text, Qt::RFC2822Date).toUTC();
}

std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &raw, const QDateTime &now)
{
    const QByteArray value = raw.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    // delay-seconds is 1*DIGIT: any run of digits, however long (toLongLong fails past 2^63).
    if (std::all_of(value.cbegin(), value.cend(), [](char c) { return c >= '0' && c <= '9'; })) {
        bool fits = false;
        const qlonglong seconds = value.toLongLong(&fits);
        return std::chrono::seconds(fits ? std::min(seconds, kLongestReadable) : kLongestReadable);
    }

    const QDateTime when = parseHttpDate(value);
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::seconds(std::clamp<qint64>(now.secsTo(when), 0, kLongestReadable));
}
