#include "cli/storecommands.h"

#include "cli/watchsession.h"
#include "model/printable.h"
#include "store/operationdatabase.h"
#include "store/startjournal.h"
#include "store/storelocation.h"
#include "store/storeopener.h"
#include "store/supportbundle.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace {

QString watchWord(WatchedOperation::Watch watch)
{
    switch (watch) {
    case WatchedOperation::Watch::Active:
        return QStringLiteral("watching");
    case WatchedOperation::Watch::AccessDenied:
        return QStringLiteral("accessDenied");
    case WatchedOperation::Watch::NotFound:
        return QStringLiteral("notFound");
    case WatchedOperation::Watch::Paused:
        return QStringLiteral("paused");
    }
    return QString();
}

// ", started by megan@contoso.com on ws-12": who first watched it, where the store knows.
QString startedText(const WatchedOperation &op)
{
    if (op.startedBy.isEmpty())
        return QString();
    QString text = QStringLiteral("; started by ") + op.startedBy;
    if (!op.startedOn.isEmpty())
        text += QStringLiteral(" on ") + op.startedOn;
    return text;
}

// "2026-12-05T10:00:00.000Z  stopped by megan@contoso.com on ws-12"
QString decisionLine(const OperationDatabase::Decision &decision)
{
    QString line = decision.at.toUTC().toString(Qt::ISODateWithMs) + QStringLiteral("  ") +
                   decision.action + QStringLiteral(" by ") + decision.by;
    if (!decision.on.isEmpty())
        line += QStringLiteral(" on ") + decision.on;
    return line;
}

QJsonObject decisionJson(const OperationDatabase::Decision &decision)
{
    return QJsonObject{{QStringLiteral("decision"), decision.action},
                       {QStringLiteral("by"), decision.by},
                       {QStringLiteral("on"), decision.on},
                       {QStringLiteral("at"), decision.at.toUTC().toString(Qt::ISODateWithMs)}};
}

// Opens the store to read; a missing store is an empty one, not an error.
bool openToRead(OperationDatabase &database, const QString &path, QTextStream &err, bool *empty)
{
    *empty = false;
    const OperationDatabase::OpenResult opened = StoreOpener::openPatiently(
        database, path, OperationDatabase::Access::ReadOnly,
        [&err](const QString &waiting) { err << "note: " << printable(waiting) << Qt::endl; });
    if (opened.problem == OperationDatabase::Problem::NoStore) {
        *empty = true;
        return true;
    }
    if (!opened.ok)
        err << "error: cannot read " << path << ": " << printable(opened.error) << Qt::endl;
    return opened.ok;
}

std::optional<QString> keyOf(const QString &location, const QUrl &graphUrl, QTextStream &err)
{
    const LocationResolution resolved = resolveLocation(location, graphUrl);
    if (!resolved.ref) {
        err << "error: bad Location \"" << printable(location)
            << "\": " << printable(resolved.error) << Qt::endl;
        return std::nullopt;
    }
    return resolved.ref->key();
}

// The stored operation at `location`, or why not (said on err).
std::optional<OperationDatabase::Stored> loadOne(OperationDatabase &database,
                                                 const QString &storePath, const QString &location,
                                                 const QUrl &graphUrl, QTextStream &err)
{
    const std::optional<QString> key = keyOf(location, graphUrl, err);
    if (!key)
        return std::nullopt;
    bool empty = false;
    if (!openToRead(database, storePath, err, &empty))
        return std::nullopt;
    const auto stored = empty ? std::nullopt : database.load(*key);
    if (!stored)
        err << "error: " << printable(location) << " is not in " << storePath << Qt::endl;
    return stored;
}

} // namespace

int StoreCommands::plans(const QString &storePath, bool json, QTextStream &out, QTextStream &err)
{
    OperationDatabase database;
    bool empty = false;
    if (!openToRead(database, storePath, err, &empty))
        return 1;
    if (empty)
        return 0;
    StartJournal journal(database);
    const auto ids = journal.planIds();
    if (!ids) {
        err << "error: " << printable(journal.lastError()) << Qt::endl;
        return 1;
    }
    for (const QString &id : *ids) {
        const auto starts = journal.planStarts(id);
        if (!starts || starts->isEmpty())
            continue;
        int accepted = 0, refused = 0, unknown = 0, left = 0;
        for (const StartRecord &start : *starts) {
            accepted += start.state == StartRecord::State::Accepted ? 1 : 0;
            refused += start.state == StartRecord::State::Refused ? 1 : 0;
            unknown += start.isUnresolved() ? 1 : 0;
            left += start.isLeft() ? 1 : 0;
        }
        const QString team = starts->first().teamId;
        if (json) {
            out << jsonPrintable(QJsonDocument(QJsonObject{{QStringLiteral("plan"), id},
                                                           {QStringLiteral("template"), team},
                                                           {QStringLiteral("accepted"), accepted},
                                                           {QStringLiteral("refused"), refused},
                                                           {QStringLiteral("unknown"), unknown},
                                                           {QStringLiteral("left"), left}})
                                     .toJson(QJsonDocument::Compact))
                << '\n';
        } else {
            out << id << "  template=" << printable(team) << "  accepted=" << accepted
                << " refused=" << refused << " unknown=" << unknown << " left=" << left << '\n';
        }
    }
    // Single starts not finished either: what `resume` looks for (and sends if not started).
    const auto singles = journal.singlesToFinish();
    for (const StartRecord &start : singles.value_or(QList<StartRecord>())) {
        const QString state = start.isUnresolved()
                                  ? StartRecord::stateName(StartRecord::State::Unknown)
                                  : StartRecord::stateName(start.state);
        if (json) {
            out << jsonPrintable(
                       QJsonDocument(QJsonObject{{QStringLiteral("start"), start.clientRequestId},
                                                 {QStringLiteral("kind"), start.kind},
                                                 {QStringLiteral("team"), start.teamId},
                                                 {QStringLiteral("state"), state},
                                                 {QStringLiteral("request"), start.label}})
                           .toJson(QJsonDocument::Compact))
                << '\n';
        } else {
            out << "start " << start.clientRequestId << "  " << start.kind << "  " << state << "  "
                << printable(start.label) << '\n';
        }
    }
    out.flush();
    return 0;
}

int StoreCommands::list(const QString &storePath, bool json, QTextStream &out, QTextStream &err)
{
    OperationDatabase database;
    bool empty = false;
    if (!openToRead(database, storePath, err, &empty))
        return 1;
    if (empty)
        return 0;
    // Streamed: a line per row as it is read, whatever the size of the store.
    const bool read = database.forEach([&out, json](const WatchedOperation &op) {
        if (json) {
            QJsonObject line =
                QJsonDocument::fromJson(observationJsonLine(op, op.lastPolledAt)).object();
            line.insert(QStringLiteral("watch"), watchWord(op.watch));
            line.insert(QStringLiteral("addedAt"), op.addedAt.toUTC().toString(Qt::ISODateWithMs));
            line.insert(QStringLiteral("startedBy"), op.startedBy);
            line.insert(QStringLiteral("startedOn"), op.startedOn);
            out << jsonPrintable(QJsonDocument(line).toJson(QJsonDocument::Compact)) << '\n';
        } else {
            out << printable(observationTextLine(op, op.lastPolledAt)) << "  ("
                << watchWord(op.watch) << startedText(op) << ")\n";
        }
    });
    out.flush();
    if (!read) {
        err << "error: " << printable(database.lastError()) << Qt::endl;
        return 1;
    }
    return 0;
}

int StoreCommands::history(const QString &storePath, const QString &location, const QUrl &graphUrl,
                           bool json, QTextStream &out, QTextStream &err)
{
    const std::optional<QString> key = keyOf(location, graphUrl, err);
    if (!key)
        return 1;
    OperationDatabase database;
    bool empty = false;
    if (!openToRead(database, storePath, err, &empty))
        return 1;
    const auto stored = empty ? std::nullopt : database.load(*key);
    // Who stopped, resumed or forgot it: kept after it is forgotten.
    const QList<OperationDatabase::Decision> decisions =
        empty ? QList<OperationDatabase::Decision>()
              : database.decisionsOf(*key).value_or(QList<OperationDatabase::Decision>());
    if (!stored && decisions.isEmpty()) {
        err << "error: " << printable(location) << " is not in " << storePath << Qt::endl;
        return 1;
    }
    const auto printDecision = [&out, json](const OperationDatabase::Decision &decision) {
        if (json)
            out << QJsonDocument(decisionJson(decision)).toJson(QJsonDocument::Compact) << '\n';
        else
            out << printable(decisionLine(decision)) << '\n';
    };
    // Each change as the line `watch` printed when it saw it, and each decision in its place.
    qsizetype nextDecision = 0;
    if (stored) {
        WatchedOperation at = stored->operation;
        Operation snapshot = at.latest.value_or(Operation());
        for (const StatusChange &change : stored->operation.history) {
            while (nextDecision < decisions.size() && decisions.at(nextDecision).at < change.seenAt)
                printDecision(decisions.at(nextDecision++));
            snapshot.statusRaw = change.statusRaw;
            snapshot.status = change.status;
            snapshot.attemptsCount = change.attemptsCount;
            snapshot.error = change.error;
            snapshot.targetResourceLocation = change.targetResourceLocation;
            at.latest = snapshot;
            if (json)
                out << observationJsonLine(at, change.seenAt) << '\n';
            else
                out << printable(observationTextLine(at, change.seenAt)) << '\n';
        }
    }
    while (nextDecision < decisions.size())
        printDecision(decisions.at(nextDecision++));
    out.flush();
    return 0;
}

int StoreCommands::support(const QString &storePath, const QString &location, const QUrl &graphUrl,
                           QTextStream &out, QTextStream &err)
{
    OperationDatabase database;
    const auto stored = loadOne(database, storePath, location, graphUrl, err);
    if (!stored)
        return 1;
    StartJournal journal(database);
    const std::optional<StartRecord> start = journal.findByLocation(stored->operation.location());
    out << supportBundle(stored->operation, start, graphUrl, QDateTime::currentDateTimeUtc());
    out.flush();
    return 0;
}

int StoreCommands::forget(const QString &storePath, const QStringList &locations,
                          const QUrl &graphUrl, int olderThanDays, QTextStream &out,
                          QTextStream &err)
{
    QStringList keys;
    for (const QString &location : locations) {
        const std::optional<QString> key = keyOf(location, graphUrl, err);
        if (!key)
            return 1;
        keys.append(*key);
    }
    if (!StoreLocation::looksLikeServer(storePath) && !QFileInfo::exists(storePath)) {
        out << "nothing stored at " << storePath << Qt::endl;
        return 0;
    }
    OperationDatabase database;
    database.setActor(QStringLiteral("teamsops-cli"));
    const OperationDatabase::OpenResult opened = StoreOpener::openPatiently(
        database, storePath, OperationDatabase::Access::ReadWrite,
        [&err](const QString &waiting) { err << "note: " << printable(waiting) << Qt::endl; });
    if (!opened.ok) {
        err << "error: cannot open " << storePath << ": " << printable(opened.error) << Qt::endl;
        return 1;
    }
    if (!opened.movedTo.isEmpty())
        err << "warning: " << printable(opened.error) << Qt::endl;
    int forgotten = 0;
    if (!keys.isEmpty()) {
        const std::optional<int> count = database.forget(keys);
        if (!count) {
            err << "error: " << printable(database.lastError()) << Qt::endl;
            return 1;
        }
        forgotten += *count;
    }
    if (olderThanDays >= 0) {
        const QDateTime before = QDateTime::currentDateTimeUtc().addDays(-olderThanDays);
        const std::optional<QStringList> gone = database.forgetTerminalBefore(before);
        if (!gone) {
            err << "error: " << printable(database.lastError()) << Qt::endl;
            return 1;
        }
        forgotten += int(gone->size());
    }
    out << QCoreApplication::translate("StoreCommands", "forgot %n operation(s)", nullptr,
                                       forgotten)
        << Qt::endl;
    return 0;
}
