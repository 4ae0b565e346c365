// A page of a team's operation list: any bytes.
#include "graph/graphpages.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const OperationListPage page = readOperationListPage(body);
    if (!page.readable && (!page.entries.isEmpty() || page.nextLink.isValid()))
        __builtin_trap();
    for (const OperationListPage::Entry &entry : page.entries) {
        if (entry.operation.id.isEmpty() || entry.json.isEmpty())
            __builtin_trap();
    }
    return 0;
}
