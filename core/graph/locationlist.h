#pragma once

#include "model/operationref.h"

#include <QList>
#include <QString>

// Many Locations or Graph URLs pasted or imported at once, one per line, in any shape.
struct LocationList
{
    struct Good
    {
        OperationRef ref;
        QString text;
    };
    struct Bad
    {
        int line = 0; // 1-based
        QString text;
        QString error;
    };
    QList<Good> good;
    QList<Bad> bad;
};

// Blank lines and lines starting with # are skipped; a line that names an operation already
// listed above counts once.
LocationList parseLocationList(const QString &text, const QUrl &graphBase);
