// The $batch reply reader: any bytes as the envelope's body, answers for three requests.
#include "graph/graphpages.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QHash<QString, QUrl> kRequests{
        {QStringLiteral("1"),
         QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/teams/a/operations/b"))},
        {QStringLiteral("2"),
         QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/teams/a/operations/c"))},
        {QStringLiteral("3"),
         QUrl(QStringLiteral("https://graph.microsoft.com/v1.0/teams/d/operations"))},
    };
    static const QDateTime kNow = QDateTime(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC);
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const QHash<QString, GraphReply> answers = readBatchAnswers(body, kRequests, kNow);
    // Every request gets an answer, and nothing else does.
    if (answers.size() != kRequests.size())
        __builtin_trap();
    for (const GraphReply &answer : answers)
        (void)answer.describe();
    return 0;
}
