// Retry-After: delay-seconds or an HTTP date, any bytes.
#include "graph/retryafter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QDateTime kNow = QDateTime(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC);
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<std::chrono::seconds> wait = parseRetryAfter(value, kNow);
    if (wait && wait->count() < 0)
        __builtin_trap();
    return 0;
}
