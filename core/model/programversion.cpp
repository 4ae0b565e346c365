#include "model/programversion.h"

#include <QtGlobal>

// TEAMSOPS_VERSION is defined for this file only (core/CMakeLists.txt), so a new version
// rebuilds one file.
QString programVersion()
{
    return QStringLiteral(TEAMSOPS_VERSION);
}

QString programVersionLine(const QString &program)
{
    return QStringLiteral("%1 %2 (Qt %3)")
        .arg(program, programVersion(), QString::fromLatin1(qVersion()));
}
