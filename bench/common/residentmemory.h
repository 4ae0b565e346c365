#pragma once

#include <QByteArray>
#include <QFile>

#include <malloc.h>

// The process's resident memory in KiB (VmRSS of /proc/self/status), 0 where there is none.
inline qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// What the process's malloc heap holds in use, in KiB (glibc's mallinfo2): unlike the resident
// size, it does not count memory freed but kept by the allocator, so a leak shows here and
// fragmentation does not.
inline qint64 heapInUseKiB()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64((info.uordblks + info.hblkhd) / 1024);
}
