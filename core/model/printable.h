#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

// Text from a server (or pasted by a user) made safe for a terminal: control characters (C0,
// DEL, C1), every invisible format character (zero-width spaces, bidi marks and overrides, the
// byte order mark, tags) and the line and paragraph separators come out as visible escapes
// ("\x1b", "\n", "\u202e", "\U000e0041"), so no reply can clear the screen, move the cursor,
// reorder or hide what a reader sees, or forge a line of output. Everything else, accents and
// scripts included, is kept as is.
QString printable(QStringView text);
// The same characters in JSON text (QJsonDocument writes them raw) as \u escapes: the same JSON
// to any reader, and nothing hidden from a person reading it.
QByteArray jsonPrintable(const QByteArray &json);
