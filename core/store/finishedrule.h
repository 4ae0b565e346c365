#pragma once

#include "model/watchedoperation.h"

#include <QDateTime>
#include <QString>

// "Finished, and nothing new for a while": one rule for the dashboard's retention (in memory)
// and `forget --terminal-older-than` (in SQL), so that the two never disagree.
namespace FinishedRule {

// When something last happened to it: its last change, else its last answer, else when it
// was first watched.
QDateTime lastActivity(const WatchedOperation &operation);
bool isFinishedBefore(const WatchedOperation &operation, const QDateTime &before);
// The same rule on a row of `operations`, with one parameter: `before`, in ms since the epoch.
QString sqlCondition();

} // namespace FinishedRule
