#include "graph/locationlist.h"

#include <QSet>

LocationList parseLocationList(const QString &text, const QUrl &graphBase)
{
    LocationList result;
    QSet<QString> seen;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const LocationResolution resolved = resolveLocation(line, graphBase);
        if (!resolved.ref) {
            result.bad.append({i + 1, line, resolved.error});
        } else if (!seen.contains(resolved.ref->key())) {
            seen.insert(resolved.ref->key());
            result.good.append({*resolved.ref, line});
        }
    }
    return result;
}
