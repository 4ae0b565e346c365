#pragma once

#include <QByteArray>
#include <QString>

// Reads whole a file that is small by nature — a token or secret, a PEM certificate or key, a
// request body, a CSV of team names — and refuses one larger than `maxBytes` instead of reading
// part of it: a cut secret or body would only fail later, and say less. `what` names the kind
// of file in the refusal ("%1 is larger than a request body can be"). With `allowStdin`, "-"
// reads standard input. `problem` is set (and nothing returned) when the file cannot serve.
QByteArray readSmallFile(const QString &path, qint64 maxBytes, const QString &what,
                         QString &problem, bool allowStdin = false);
