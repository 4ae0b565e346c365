#pragma once

#include <QString>

struct WatchedOperation;

// A plain-language hint for the errors Graph is known to return, or for the way polling failed;
// empty when there is nothing useful to add.
QString errorHint(const WatchedOperation &operation);
