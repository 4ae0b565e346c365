#include "model/operationexport.h"

#include "model/watchedoperation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

const QStringList kFields{"location",
                          "id",
                          "teamId",
                          "operationType",
                          "status",
                          "attemptsCount",
                          "errorCode",
                          "errorMessage",
                          "createdDateTime",
                          "lastActionDateTime",
                          "targetResourceLocation"};

QStringList valuesOf(const WatchedOperation &operation)
{
    const Operation op = operation.latest.value_or(Operation());
    const auto iso = [](const QDateTime &t) {
        return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
    };
    return {operation.location(),
            operation.ref.operationId,
            operation.ref.teamId,
            op.operationTypeRaw,
            op.statusRaw,
            operation.latest ? QString::number(op.attemptsCount) : QString(),
            op.error ? op.error->code : QString(),
            op.error ? op.error->message : QString(),
            iso(op.createdDateTime),
            iso(op.lastActionDateTime),
            op.targetResourceLocation};
}

// RFC 4180: quote every field that holds a comma, quote or line break; double inner quotes.
QString csvField(QString value)
{
    if (value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"')) ||
        value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'))) {
        value.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + value + QLatin1Char('"');
    }
    return value;
}

} // namespace

QByteArray operationsToCsv(const QList<const WatchedOperation *> &operations)
{
    QString out = kFields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    for (const WatchedOperation *operation : operations) {
        QStringList fields;
        for (const QString &value : valuesOf(*operation))
            fields.append(csvField(value));
        out += fields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

QByteArray operationsToJson(const QList<const WatchedOperation *> &operations)
{
    QJsonArray rows;
    for (const WatchedOperation *operation : operations) {
        const QStringList values = valuesOf(*operation);
        QJsonObject row;
        for (int i = 0; i < kFields.size(); ++i) {
            if (kFields[i] == QLatin1String("attemptsCount"))
                row.insert(kFields[i],
                           values[i].isEmpty() ? QJsonValue() : QJsonValue(values[i].toInt()));
            else
                row.insert(kFields[i], values[i].isEmpty() ? QJsonValue() : QJsonValue(values[i]));
        }
        rows.append(row);
    }
    return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}
