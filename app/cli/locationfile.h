#pragma once

#include <QStringList>
#include <QUrl>

class QTextStream;

// `watch --from FILE` (or `-`, standard input): Locations one per line, as the dashboard's add
// dialog reads them (blank lines and # comments skipped, a repeat counted once). Each bad line
// is reported on `err` with its line number; the good ones are returned, to be watched. `ok` is
// false only when the file cannot be read at all.
QStringList readLocationFile(const QString &path, const QUrl &graphUrl, QTextStream &err, bool &ok);
