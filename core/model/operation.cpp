#include "model/operation.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace {

constexpr std::array<std::pair<const char *, OperationStatus>, 6> kStatuses{{
    {"invalid", OperationStatus::Invalid},
    {"notStarted", OperationStatus::NotStarted},
    {"inProgress", OperationStatus::InProgress},
    {"succeeded", OperationStatus::Succeeded},
    {"failed", OperationStatus::Failed},
    {"unknownFutureValue", OperationStatus::UnknownFutureValue},
}};

constexpr std::array<std::pair<const char *, OperationType>, 11> kTypes{{
    {"invalid", OperationType::Invalid},
    {"cloneTeam", OperationType::CloneTeam},
    {"archiveTeam", OperationType::ArchiveTeam},
    {"unarchiveTeam", OperationType::UnarchiveTeam},
    {"createTeam", OperationType::CreateTeam},
    {"unknownFutureValue", OperationType::UnknownFutureValue},
    {"teamifyGroup", OperationType::TeamifyGroup},
    {"createChannel", OperationType::CreateChannel},
    {"archiveChannel", OperationType::ArchiveChannel},
    {"unarchiveChannel", OperationType::UnarchiveChannel},
    {"createChat", OperationType::CreateChat},
}};

template <typename Enum, std::size_t N>
Enum lookup(const std::array<std::pair<const char *, Enum>, N> &table, const QString &raw,
            Enum fallback)
{
    for (const auto &[name, value] : table) {
        if (raw.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return value;
    }
    return fallback;
}

// The raw names Graph sends for a status or a type, each held once: a hundred thousand watched
// operations then share a handful of strings rather than hold a copy each (read-only after its
// first use, so safe from any thread).
QString sharedName(const QString &raw)
{
    static const QHash<QString, QString> known = [] {
        QHash<QString, QString> names;
        for (const auto &[name, status] : kStatuses)
            names.insert(QString::fromLatin1(name), QString::fromLatin1(name));
        for (const auto &[name, type] : kTypes)
            names.insert(QString::fromLatin1(name), QString::fromLatin1(name));
        return names;
    }();
    const auto it = known.constFind(raw);
    return it == known.cend() ? raw : *it;
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("null");
    }
}

QString wrongType(const QString &field, const char *expected, const QJsonValue &got)
{
    return QStringLiteral("field '%1' should be %2 but is %3")
        .arg(field, QLatin1String(expected), typeName(got));
}

// Reads an optional string field: absent and null both mean "not given".
bool readString(const QJsonObject &object, const QString &field, QString &out, QString &error)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString()) {
        error = wrongType(field, "a string", value);
        return false;
    }
    out = value.toString();
    return true;
}

bool readTimestamp(const QJsonObject &object, const QString &field, QDateTime &out, QString &error)
{
    QString text;
    if (!readString(object, field, text, error))
        return false;
    if (text.isEmpty())
        return true;
    // ISODateWithMs accepts Graph's 7-digit fractions and offsets; it rounds to milliseconds.
    out = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!out.isValid()) {
        error = QStringLiteral("field '%1' is not an ISO 8601 timestamp: \"%2\"").arg(field, text);
        return false;
    }
    out = out.toUTC();
    return true;
}

bool readInt32(const QJsonObject &object, const QString &field, int &out, QString &error)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isDouble()) {
        error = wrongType(field, "a whole number", value);
        return false;
    }
    const double number = value.toDouble();
    if (number != std::floor(number) || number < std::numeric_limits<int>::min() ||
        number > std::numeric_limits<int>::max()) {
        error = QStringLiteral("field '%1' should be a 32-bit whole number but is %2")
                    .arg(field)
                    .arg(number);
        return false;
    }
    out = static_cast<int>(number);
    return true;
}

bool readError(const QJsonObject &object, std::optional<OperationError> &out, QString &error)
{
    const QJsonValue value = object.value(QLatin1String("error"));
    if (value.isUndefined() || value.isNull())
        return true; // "error": null is how Graph says "no error"
    if (!value.isObject()) {
        error = wrongType(QStringLiteral("error"), "an object", value);
        return false;
    }
    OperationError parsed;
    const QJsonObject inner = value.toObject();
    if (!readString(inner, QStringLiteral("code"), parsed.code, error) ||
        !readString(inner, QStringLiteral("message"), parsed.message, error)) {
        error = QStringLiteral("in 'error': ") + error;
        return false;
    }
    out = parsed;
    return true;
}

} // namespace

OperationStatus operationStatusFromString(const QString &raw)
{
    return lookup(kStatuses, raw, OperationStatus::Unrecognized);
}

QStringList finishedStatusNames()
{
    QStringList names;
    for (const auto &[name, status] : kStatuses) {
        Operation probe;
        probe.status = status;
        if (probe.isTerminal())
            names.append(QString::fromLatin1(name).toLower());
    }
    return names;
}

OperationType operationTypeFromString(const QString &raw)
{
    return lookup(kTypes, raw, OperationType::Unrecognized);
}

OperationParseResult parseOperation(const QJsonObject &object)
{
    Operation op;
    QString error;
    const bool ok =
        readString(object, QStringLiteral("id"), op.id, error) &&
        readString(object, QStringLiteral("operationType"), op.operationTypeRaw, error) &&
        readString(object, QStringLiteral("status"), op.statusRaw, error) &&
        readTimestamp(object, QStringLiteral("createdDateTime"), op.createdDateTime, error) &&
        readTimestamp(object, QStringLiteral("lastActionDateTime"), op.lastActionDateTime, error) &&
        readInt32(object, QStringLiteral("attemptsCount"), op.attemptsCount, error) &&
        readString(object, QStringLiteral("targetResourceId"), op.targetResourceId, error) &&
        readString(object, QStringLiteral("targetResourceLocation"), op.targetResourceLocation,
                   error) &&
        readError(object, op.error, error);
    if (!ok)
        return {std::nullopt, error};
    // Every other property may be missing; without these two it is not an operation at all
    // (an empty object, or a team served where an operation was asked for).
    if (op.id.isEmpty() || op.statusRaw.isEmpty()) {
        return {std::nullopt,
                QStringLiteral("reply is not a teamsAsyncOperation (no %1)")
                    .arg(op.id.isEmpty() ? QStringLiteral("id") : QStringLiteral("status"))};
    }
    op.operationTypeRaw = sharedName(op.operationTypeRaw);
    op.statusRaw = sharedName(op.statusRaw);
    op.operationType = operationTypeFromString(op.operationTypeRaw);
    op.status = operationStatusFromString(op.statusRaw);
    return {op, QString()};
}

OperationParseResult parseOperation(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return {std::nullopt, QStringLiteral("reply is not valid JSON (%1 at byte %2)")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset)};
    }
    if (!document.isObject())
        return {std::nullopt, QStringLiteral("reply is not a JSON object")};
    return parseOperation(document.object());
}
