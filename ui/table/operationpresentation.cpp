#include "table/operationpresentation.h"

#include "model/graphreply.h"
#include "model/watchedoperation.h"

#include <QCoreApplication>

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(OperationPresentation)
};

struct StatusLook
{
    QIcon notStarted{QStringLiteral(":/icons/status-notstarted.svg")};
    QIcon inProgress{QStringLiteral(":/icons/status-inprogress.svg")};
    QIcon succeeded{QStringLiteral(":/icons/status-succeeded.svg")};
    QIcon failed{QStringLiteral(":/icons/status-failed.svg")};
    QIcon unknown{QStringLiteral(":/icons/status-unknown.svg")};
    QIcon attention{QStringLiteral(":/icons/status-attention.svg")};
};

const StatusLook &look()
{
    static const StatusLook icons;
    return icons;
}

} // namespace

namespace OperationPresentation {

QString statusText(const WatchedOperation &operation)
{
    if (operation.watch == WatchedOperation::Watch::Paused) {
        WatchedOperation watched = operation;
        watched.watch = WatchedOperation::Watch::Active;
        return Text::tr("%1 · paused").arg(statusText(watched));
    }
    if (operation.watch == WatchedOperation::Watch::AccessDenied)
        return Text::tr("Access denied");
    if (operation.watch == WatchedOperation::Watch::NotFound)
        return Text::tr("Not found");
    if (!operation.latest) {
        if (operation.lastFailure != GraphFailure::None)
            return Text::tr("Cannot read");
        // Graph took the request; its first status is not read yet.
        return operation.startedHere ? Text::tr("Requested") : Text::tr("Waiting for first poll");
    }
    return statusWord(operation.latest->status, operation.latest->statusRaw);
}

QString statusWord(OperationStatus status, const QString &raw)
{
    switch (status) {
    case OperationStatus::NotStarted:
        return Text::tr("Not started");
    case OperationStatus::InProgress:
        return Text::tr("In progress");
    case OperationStatus::Succeeded:
        return Text::tr("Succeeded");
    case OperationStatus::Failed:
        return Text::tr("Failed");
    case OperationStatus::Invalid:
        return Text::tr("Invalid");
    case OperationStatus::UnknownFutureValue:
    case OperationStatus::Unrecognized:
        break;
    }
    // Shown exactly as Graph sent it: the admin may recognise a value this build does not.
    return raw.isEmpty() ? Text::tr("(no status)") : raw;
}

QIcon statusIcon(const WatchedOperation &operation)
{
    if (operation.watch != WatchedOperation::Watch::Active)
        return look().attention;
    if (!operation.latest)
        return operation.lastFailure == GraphFailure::None ? look().notStarted : look().attention;
    return statusIcon(operation.latest->status);
}

QIcon statusIcon(OperationStatus status)
{
    switch (status) {
    case OperationStatus::NotStarted:
        return look().notStarted;
    case OperationStatus::InProgress:
        return look().inProgress;
    case OperationStatus::Succeeded:
        return look().succeeded;
    case OperationStatus::Failed:
        return look().failed;
    default:
        return look().unknown;
    }
}

QColor statusHue(OperationStatus status)
{
    // Mid-tone hues that read on light and dark backgrounds alike.
    switch (status) {
    case OperationStatus::NotStarted:
        return QColor(0x8a, 0x8f, 0x98);
    case OperationStatus::InProgress:
        return QColor(0x2f, 0x7e, 0xd8);
    case OperationStatus::Succeeded:
        return QColor(0x2e, 0x9e, 0x4f);
    case OperationStatus::Failed:
        return QColor(0xd6, 0x45, 0x41);
    default:
        return QColor(0x8e, 0x6b, 0xbf);
    }
}

int statusRank(const WatchedOperation &operation)
{
    if (operation.watch != WatchedOperation::Watch::Active)
        return 6;
    if (!operation.latest)
        return 0;
    switch (operation.latest->status) {
    case OperationStatus::NotStarted:
        return 1;
    case OperationStatus::InProgress:
        return 2;
    case OperationStatus::Succeeded:
        return 3;
    case OperationStatus::Failed:
        return 5;
    default:
        return 4;
    }
}

QString typeText(const Operation &operation)
{
    switch (operation.operationType) {
    case OperationType::CloneTeam:
        return Text::tr("Clone team");
    case OperationType::ArchiveTeam:
        return Text::tr("Archive team");
    case OperationType::UnarchiveTeam:
        return Text::tr("Unarchive team");
    case OperationType::CreateTeam:
        return Text::tr("Create team");
    case OperationType::TeamifyGroup:
        return Text::tr("Teamify group");
    case OperationType::CreateChannel:
        return Text::tr("Create channel");
    case OperationType::ArchiveChannel:
        return Text::tr("Archive channel");
    case OperationType::UnarchiveChannel:
        return Text::tr("Unarchive channel");
    case OperationType::CreateChat:
        return Text::tr("Create chat");
    default:
        return operation.operationTypeRaw;
    }
}

QString errorText(const WatchedOperation &operation)
{
    if (operation.latest && operation.latest->error) {
        const OperationError &error = *operation.latest->error;
        return error.code.isEmpty() ? error.message
                                    : error.code + QStringLiteral(": ") + error.message;
    }
    if (operation.lastFailure != GraphFailure::None)
        return Text::tr("Last poll: %1").arg(operation.lastFailureMessage);
    return QString();
}

QString durationText(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(0, ms / 1000);
    if (seconds < 60)
        return Text::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return Text::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return Text::tr("%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return Text::tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

QString reasonForNoTarget(const WatchedOperation &operation)
{
    if (!operation.latest)
        return Text::tr("This operation has not been read yet, so its target is not known.");
    const Operation &op = *operation.latest;
    if (!op.targetResourceLocation.isEmpty())
        return QString();
    switch (op.status) {
    case OperationStatus::Failed:
        return op.error ? Text::tr("This operation failed (%1), so it produced nothing to open.")
                              .arg(errorText(operation))
                        : Text::tr("This operation failed, so it produced nothing to open.");
    case OperationStatus::NotStarted:
        return Text::tr("This operation has not started yet. Its target appears when it succeeds.");
    case OperationStatus::InProgress:
        return Text::tr(
            "This operation is still in progress. Its target appears when it succeeds.");
    case OperationStatus::Succeeded:
        return Text::tr("Graph reported success but named no target resource.");
    default:
        return Text::tr("The operation's status is \"%1\", and it names no target yet.")
            .arg(op.statusRaw);
    }
}

QColor statusColour(const WatchedOperation &operation, const QPalette &palette)
{
    QColor colour;
    if (operation.watch != WatchedOperation::Watch::Active)
        colour = QColor(0xd9, 0x86, 0x1c); // the attention icon's orange
    else if (operation.latest && (operation.latest->status == OperationStatus::Succeeded ||
                                  operation.latest->status == OperationStatus::Failed ||
                                  operation.latest->status == OperationStatus::InProgress))
        colour = statusHue(operation.latest->status);
    else
        return palette.color(QPalette::Text); // waiting states keep the ordinary text colour
    // Darken on light backgrounds, lighten on dark ones, for contrast with the base.
    const bool darkBase = palette.color(QPalette::Base).lightness() < 128;
    return darkBase ? colour.lighter(135) : colour.darker(125);
}

QIcon appIcon()
{
    return QIcon(QStringLiteral(":/icons/teamsops.svg"));
}

} // namespace OperationPresentation
