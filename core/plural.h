#pragma once

#include <QString>

// "1 operation", "3 operations": correct English until a translation with plural forms ships
// (then tr()'s %n takes over).
inline QString countOf(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}
