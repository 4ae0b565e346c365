#pragma once

// What store_bench and table_bench share: the sample operations they store, and a restart timed
// from opening the file to the painted window.

#include "model/watchedoperation.h"

#include <QString>

class Clock;

// A clone as the store holds one after a few polls: a snapshot, two changes, the raw reply; not
// due for an hour (the benches measure the store and the window, not polls).
WatchedOperation sampleStoredOperation(int i);

// Writes `rows` sample operations to a new database file at `path` (untimed set-up).
void writeSampleStore(const QString &path, int rows, Clock &clock);

struct RestartFigures
{
    bool opened = false;
    qint64 openMs = 0;       // open and check the file
    qint64 restoreMs = 0;    // read every operation into the store
    qint64 firstPaintMs = 0; // from the start until the window with the table is painted
    qsizetype restored = 0;
    int rowsShown = 0;        // rows of the window's table
    double idleCpuShare = -1; // CPU time over wall time while idle afterwards (-1: not measured)
};

// A restart as app/gui/main.cpp does it: open the file, restore, build the window, paint it.
// With `restoreIntoWindow`, the window is built first and the store restored into it. With
// `idleSeconds` > 0 the window is then left idle (a second, then that long, in real time) and its
// CPU use over the second part measured.
RestartFigures restartAndPaint(const QString &path, Clock &clock, bool restoreIntoWindow,
                               int idleSeconds = 0);
