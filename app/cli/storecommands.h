#pragma once

#include <QStringList>
#include <QUrl>

class QTextStream;

// `teamsops-cli list`, `history`, `plans` and `forget`: what the store holds, read or trimmed
// without polling anything. Each returns the process's exit status (0, or 1 with the reason on
// err).
namespace StoreCommands {

// The watched operations with their last status, one line (or JSON object) each.
int list(const QString &storePath, bool json, QTextStream &out, QTextStream &err);
// Every stored change of one operation, oldest first; JSON lines carry watch --json's keys.
int history(const QString &storePath, const QString &location, const QUrl &graphUrl, bool json,
            QTextStream &out, QTextStream &err);
// What Microsoft support asks for about one operation (supportBundle), as one JSON document.
int support(const QString &storePath, const QString &location, const QUrl &graphUrl,
            QTextStream &out, QTextStream &err);
// The saved plans (bulk clones), one line (or JSON object) each: its id, template, and how many
// of its clones were accepted, refused, are unknown (sent, unanswered) and are left to send.
int plans(const QString &storePath, bool json, QTextStream &out, QTextStream &err);
// Forgets the named operations, or the finished ones older than `olderThanDays` (when >= 0).
int forget(const QString &storePath, const QStringList &locations, const QUrl &graphUrl,
           int olderThanDays, QTextStream &out, QTextStream &err);

} // namespace StoreCommands
