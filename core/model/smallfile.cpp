#include "model/smallfile.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SmallFile)
};

} // namespace

QByteArray readSmallFile(const QString &path, qint64 maxBytes, const QString &what,
                         QString &problem, bool allowStdin)
{
    QFile file;
    const bool fromStdin = allowStdin && path == QLatin1String("-");
    const bool opened = fromStdin ? file.open(stdin, QIODevice::ReadOnly)
                                  : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    const QString name = fromStdin ? Text::tr("standard input") : path;
    if (!opened) {
        problem = Text::tr("cannot read %1: %2").arg(name, file.errorString());
        return QByteArray();
    }
    QByteArray content = file.read(maxBytes + 1);
    if (content.size() > maxBytes) {
        problem = Text::tr("%1 is larger than %2 can be").arg(name, what);
        return QByteArray();
    }
    return content;
}
