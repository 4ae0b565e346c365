// The teamsAsyncOperation parser: any bytes, as a GET of one operation answers.
#include "model/operation.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const OperationParseResult parsed = parseOperation(json);
    // Exactly one of the two is set, whatever came in.
    if (parsed.operation.has_value() == !parsed.error.isEmpty())
        __builtin_trap();
    if (parsed.operation)
        (void)parsed.operation->isTerminal();
    return 0;
}
