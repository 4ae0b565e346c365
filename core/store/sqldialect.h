#pragma once

// What differs between the two databases a store lives in: a SQLite file (one admin) and a
// PostgreSQL database (a team, see docs/architecture.md). Every other statement, the merge rules
// and the versions are the same text for both; OperationDatabase asks here where they are not.
// Internal to core/store.
#include <QString>
#include <QStringList>

class QSqlError;

enum class SqlBackend
{
    SQLite,
    PostgreSQL
};

namespace sqldialect {

// Qt's PostgreSQL driver prepares statements server-side, where a parameter in a SELECT list has
// no type to infer (INSERT … SELECT ?, …): it is cast there; SQLite takes `?` as it is.
QString parameter(SqlBackend backend, const char *postgresType);
// Equal, NULL to NULL included.
QString isSame(SqlBackend backend);
// The text after the first '|' of `column` (an operation key without its Graph).
QString afterBar(SqlBackend backend, const QString &column);
// The text of one field of the JSON object stored as text in `column`.
QString jsonText(SqlBackend backend, const QString &column, const QString &field);
// Starts a transaction that holds the store's write lock until it ends: commits are serialised,
// so versions commit in the order they are taken and a reader of "changed since version v"
// never misses a row. SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction advisory lock.
QStringList beginWrite(SqlBackend backend);
// How long a statement waits for another's lock before it fails (and is tried again later).
QString lockTimeout(SqlBackend backend, qint64 milliseconds);

// The columns of `operations` as PostgreSQL types, in storerows::Column order (after the id).
const QStringList &postgresOperationTypes();
// The schema of this version, made at once in a new database: what SQLite's migration steps
// make, with PostgreSQL's types.
QStringList postgresSchema();
// The steps from one version to the next of a server store made by an older TeamsOps: the first
// server stores were version 4, so step i takes a store from 4 + i to 5 + i.
constexpr int kFirstServerVersion = 4;
const QList<QStringList> &postgresMigrations();

} // namespace sqldialect
