#include "panes/errorhints.h"

#include "model/watchedoperation.h"

#include <QCoreApplication>

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ErrorHints)
};

struct Hint
{
    const char *codeOrMessage; // matched, case-insensitively, against "code message"
    const char *hint;          // marked for lupdate, translated where it is shown
};

// Errors seen from the Teams async operations, and what an admin can do about each.
const Hint kHints[] = {
    {"without cloning Apps",
     QT_TRANSLATE_NOOP(
         "ErrorHints",
         "Tabs need the apps behind them: clone with partsToClone including apps and channels, or "
         "leave tabs out.")},
    {"without cloning Channels",
     QT_TRANSLATE_NOOP(
         "ErrorHints",
         "Tabs live in channels: clone with partsToClone including channels, or leave tabs out.")},
    {"Org-wide teams cannot be cloned",
     QT_TRANSLATE_NOOP(
         "ErrorHints",
         "Org-wide teams can't be cloned. Create a new team (or use a team template) instead.")},
    {"already exists",
     QT_TRANSLATE_NOOP("ErrorHints", "A group with that name or mail nickname exists already: "
                                     "clone with another displayName, or "
                                     "remove the old group first.")},
    {"Skype backend",
     QT_TRANSLATE_NOOP(
         "ErrorHints",
         "A passing failure in the Teams back end. Start the clone again; if it keeps failing, try "
         "cloning fewer parts (members and apps are the usual culprits).")},
    {"InternalServerError",
     QT_TRANSLATE_NOOP("ErrorHints", "Graph failed on its side. Starting the operation again "
                                     "usually works; if not, try later.")},
    {"Forbidden",
     QT_TRANSLATE_NOOP(
         "ErrorHints",
         "The account lacks the permission (clone and create need Team.Create, archive needs "
         "TeamSettings.ReadWrite.All) or is not an owner of the team.")},
    {"AccessDenied",
     QT_TRANSLATE_NOOP(
         "ErrorHints",
         "The account lacks the permission (clone and create need Team.Create, archive needs "
         "TeamSettings.ReadWrite.All) or is not an owner of the team.")},
    {"Conflict", QT_TRANSLATE_NOOP(
                     "ErrorHints",
                     "Something with the same name exists already, or the team is being changed by "
                     "another operation. Check the team, then try again.")},
};

} // namespace

QString errorHint(const WatchedOperation &operation)
{
    if (operation.watch == WatchedOperation::Watch::AccessDenied)
        return Text::tr(
            "Graph refused to show this operation to the signed-in account (403). Sign in "
            "as an owner of the team, or with an account that has Team.ReadBasic.All.");
    if (operation.watch == WatchedOperation::Watch::NotFound)
        return Text::tr(
            "Graph kept answering 404: the Location may be mistyped, or belong to another "
            "tenant. A brand-new operation can take a moment to appear; use Poll now to "
            "try again.");
    if (operation.latest && operation.latest->error) {
        const OperationError &error = *operation.latest->error;
        const QString text = error.code + QLatin1Char(' ') + error.message;
        for (const Hint &hint : kHints) {
            if (text.contains(QLatin1String(hint.codeOrMessage), Qt::CaseInsensitive))
                return Text::tr(hint.hint);
        }
    }
    switch (operation.lastFailure) {
    case GraphFailure::Throttled:
        return Text::tr("Graph is limiting requests. TeamsOps waits as long as it is asked to and "
                        "polls again by itself.");
    case GraphFailure::Timeout:
    case GraphFailure::Network:
        return Text::tr("Graph could not be reached. TeamsOps keeps trying, less often each time.");
    case GraphFailure::MalformedReply:
    case GraphFailure::TooLarge:
        return Text::tr(
            "Graph's reply could not be read. TeamsOps keeps the last good state and tries "
            "again.");
    case GraphFailure::Unauthorized:
        return Text::tr("The access token was refused. Sign in again; nothing is lost meanwhile.");
    default:
        return QString();
    }
}
