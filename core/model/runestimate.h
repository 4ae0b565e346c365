#pragma once

#include "model/watchedoperation.h"

#include <QDateTime>
#include <QList>

// When a run of operations can be expected to be over, from what the finished ones took. For each
// type, the median time from creation to last action of its finished operations (succeeded or
// failed); an unfinished operation of that type is expected to end at its creation plus that
// median, or now if it is already past it. The run is over when its last operation is. Operations
// of a type none of which has finished yet cannot be estimated and are counted apart.
struct RunEstimate
{
    QDateTime expectedEnd; // invalid when nothing could be estimated
    int estimated = 0;     // unfinished operations the estimate covers
    int withoutBasis = 0;  // unfinished operations of a type with none finished yet
};

RunEstimate estimateRun(const QList<WatchedOperation> &operations, const QDateTime &now);
