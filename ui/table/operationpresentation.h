#pragma once

#include "model/operation.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

struct WatchedOperation;

// How operations read to people: words, icons and sort ranks, built once and shared.
// Status is never told by colour alone: every status has its own icon shape and word.
namespace OperationPresentation {

QString statusText(const WatchedOperation &operation);
QIcon statusIcon(const WatchedOperation &operation);
// The same for a bare status (a timeline segment, say).
QString statusWord(OperationStatus status, const QString &raw);
QIcon statusIcon(OperationStatus status);
QColor statusHue(OperationStatus status);
// Order for sorting by status: what needs eyes first sorts last in ascending order.
int statusRank(const WatchedOperation &operation);

QString typeText(const Operation &operation);
QString errorText(const WatchedOperation &operation);
QString durationText(qint64 milliseconds);

// Why an operation has no target to open, or an empty string when it has one.
QString reasonForNoTarget(const WatchedOperation &operation);

QIcon appIcon();

// The status colour, adjusted to stay readable on the palette's base colour (light or dark).
// Always shown beside the status icon and word.
QColor statusColour(const WatchedOperation &operation, const QPalette &palette);

} // namespace OperationPresentation
