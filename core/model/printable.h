#pragma once

#include <QString>
#include <QStringView>

// Text from a server (or pasted by a user) made safe for a terminal: control characters (C0,
// DEL, C1) and the bidirectional overrides that reorder what a reader sees come out as visible
// escapes ("\x1b", "\n", "\u202e"), so no reply can clear the screen, move the cursor or forge a
// line of output. Everything else, accents and scripts included, is kept as is.
QString printable(QStringView text);
