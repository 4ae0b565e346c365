#include "cli/locationfile.h"

#include "graph/locationlist.h"
#include "model/printable.h"
#include "model/smallfile.h"

#include <QTextStream>

namespace {
// 100 000 Locations of about 150 characters each, with room to spare.
constexpr qint64 kMaxLocationFileBytes = 64 * 1024 * 1024;
} // namespace

QStringList readLocationFile(const QString &path, const QUrl &graphUrl, QTextStream &err, bool &ok)
{
    QString problem;
    const QByteArray bytes = readSmallFile(path, kMaxLocationFileBytes,
                                           QStringLiteral("%1 is larger than a list of "
                                                          "Locations can be"),
                                           problem, true);
    ok = problem.isEmpty();
    if (!ok) {
        err << "error: --from: " << printable(problem) << Qt::endl;
        return {};
    }
    const LocationList list = parseLocationList(QString::fromUtf8(bytes), graphUrl);
    const QString shown = path == QLatin1String("-") ? QStringLiteral("standard input") : path;
    for (const LocationList::Bad &bad : list.bad) {
        err << "error: " << printable(shown) << " line " << bad.line << ": \""
            << printable(bad.text) << "\": " << printable(bad.error) << Qt::endl;
    }
    QStringList locations;
    locations.reserve(list.good.size());
    for (const LocationList::Good &good : list.good)
        locations.append(good.text);
    return locations;
}
