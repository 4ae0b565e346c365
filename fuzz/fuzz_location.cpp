// Location resolution: any text an admin pastes or a server sends in a Location header.
#include "model/operationref.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QUrl kBase(QStringLiteral("https://graph.microsoft.com/v1.0"));
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const LocationResolution resolved = resolveLocation(text, kBase);
    if (resolved.ref.has_value() == !resolved.error.isEmpty())
        __builtin_trap();
    if (resolved.ref) {
        // What is resolved stays on Graph's origin and names a team and an operation.
        if (!sameOrigin(resolved.ref->url, kBase) || resolved.ref->teamId.isEmpty() ||
            resolved.ref->operationId.isEmpty())
            __builtin_trap();
        // And it resolves to itself again.
        const LocationResolution again = resolveLocation(resolved.ref->location(), kBase);
        if (!again.ref || again.ref->key() != resolved.ref->key())
            __builtin_trap();
    }
    return 0;
}
