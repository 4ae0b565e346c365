#include "model/operation.h"
#include "specexamples.h"

#include <QtTest>

// An operation with the two properties every operation has, plus the ones a test is about.
static QJsonObject operationWith(QJsonObject properties)
{
    if (!properties.contains("id"))
        properties.insert("id", "op-1");
    if (!properties.contains("status"))
        properties.insert("status", "inProgress");
    return properties;
}

class TestOperation : public QObject
{
    Q_OBJECT

private slots:
    void parsesEveryFieldOfTheSpecExample();
    void keepsUnknownEnumValuesAsSent_data();
    void keepsUnknownEnumValuesAsSent();
    void readsKnownTypes_data();
    void readsKnownTypes();
    void ignoresExtraFieldsAndNulls();
    void readsSevenDigitFractionsAndOffsets();
    void onlySucceededAndFailedAreTerminal();
    void refusesWrongTypesNamingTheField_data();
    void refusesWrongTypesNamingTheField();
    void refusesPayloadsThatAreNotObjects_data();
    void refusesPayloadsThatAreNotObjects();
};

void TestOperation::parsesEveryFieldOfTheSpecExample()
{
    const OperationParseResult result = parseOperation(kSpecResponseBody);
    QVERIFY2(result.operation, qPrintable(result.error));
    const Operation &op = *result.operation;
    QCOMPARE(op.id, QStringLiteral("477a99c1-99c1-477a-c199-7a47c1997a47"));
    QCOMPARE(op.operationTypeRaw, QStringLiteral("String"));
    QCOMPARE(op.operationType, OperationType::Unrecognized);
    QCOMPARE(op.statusRaw, QStringLiteral("String"));
    QCOMPARE(op.status, OperationStatus::Unrecognized);
    QCOMPARE(op.createdDateTime, QDateTime(QDate(2016, 12, 31), QTime(21, 1, 25, 392), Qt::UTC));
    QCOMPARE(op.lastActionDateTime, QDateTime(QDate(2016, 12, 31), QTime(21, 1, 48, 112), Qt::UTC));
    QCOMPARE(op.attemptsCount, 13);
    QCOMPARE(op.targetResourceId, QStringLiteral("Target Resource Id value"));
    QCOMPARE(op.targetResourceLocation, QStringLiteral("Target Resource Location value"));
    QVERIFY(op.error);
    QCOMPARE(op.error->code, QStringLiteral("Code value"));
    QCOMPARE(op.error->message, QStringLiteral("Message value"));
    QVERIFY(!op.isTerminal());
}

void TestOperation::keepsUnknownEnumValuesAsSent_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<OperationStatus>("expected");
    QTest::newRow("retired running") << "running" << OperationStatus::Unrecognized;
    QTest::newRow("spec placeholder") << "String" << OperationStatus::Unrecognized;
    QTest::newRow("future value") << "pausedForMaintenance" << OperationStatus::Unrecognized;
    QTest::newRow("unknownFutureValue")
        << "unknownFutureValue" << OperationStatus::UnknownFutureValue;
    QTest::newRow("notStarted") << "notStarted" << OperationStatus::NotStarted;
    QTest::newRow("inProgress") << "inProgress" << OperationStatus::InProgress;
    QTest::newRow("invalid") << "invalid" << OperationStatus::Invalid;
}

void TestOperation::keepsUnknownEnumValuesAsSent()
{
    QFETCH(QString, status);
    QFETCH(OperationStatus, expected);
    const QJsonObject json{{"id", "x"}, {"status", status}, {"operationType", "cloneTeam"}};
    const OperationParseResult result = parseOperation(json);
    QVERIFY2(result.operation, qPrintable(result.error));
    QCOMPARE(result.operation->status, expected);
    QCOMPARE(result.operation->statusRaw, status);
    QVERIFY(!result.operation->isTerminal());
}

void TestOperation::readsKnownTypes_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<OperationType>("expected");
    QTest::newRow("cloneTeam") << "cloneTeam" << OperationType::CloneTeam;
    QTest::newRow("archiveTeam") << "archiveTeam" << OperationType::ArchiveTeam;
    QTest::newRow("unarchiveTeam") << "unarchiveTeam" << OperationType::UnarchiveTeam;
    QTest::newRow("createTeam") << "createTeam" << OperationType::CreateTeam;
    QTest::newRow("teamifyGroup") << "teamifyGroup" << OperationType::TeamifyGroup;
    QTest::newRow("createChannel") << "createChannel" << OperationType::CreateChannel;
    QTest::newRow("archiveChannel") << "archiveChannel" << OperationType::ArchiveChannel;
    QTest::newRow("unarchiveChannel") << "unarchiveChannel" << OperationType::UnarchiveChannel;
    QTest::newRow("createChat (beta)") << "createChat" << OperationType::CreateChat;
    QTest::newRow("unknownFutureValue")
        << "unknownFutureValue" << OperationType::UnknownFutureValue;
    QTest::newRow("invalid") << "invalid" << OperationType::Invalid;
    QTest::newRow("unknown") << "moveTeam" << OperationType::Unrecognized;
}

void TestOperation::readsKnownTypes()
{
    QFETCH(QString, raw);
    QFETCH(OperationType, expected);
    const OperationParseResult result = parseOperation(operationWith({{"operationType", raw}}));
    QVERIFY2(result.operation, qPrintable(result.error));
    QCOMPARE(result.operation->operationType, expected);
    QCOMPARE(result.operation->operationTypeRaw, raw);
}

void TestOperation::ignoresExtraFieldsAndNulls()
{
    const QByteArray json = R"({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('a')/operations/$entity",
        "Value": "{\"teamId\":\"a\"}",
        "values": "[]",
        "somethingNew": {"nested": [1, 2, 3]},
        "id": "op-1",
        "operationType": "archiveTeam",
        "status": "succeeded",
        "attemptsCount": 1,
        "targetResourceId": null,
        "targetResourceLocation": null,
        "createdDateTime": null,
        "error": null
    })";
    const OperationParseResult result = parseOperation(json);
    QVERIFY2(result.operation, qPrintable(result.error));
    QCOMPARE(result.operation->id, QStringLiteral("op-1"));
    QVERIFY(!result.operation->error);
    QVERIFY(result.operation->targetResourceLocation.isEmpty());
    QVERIFY(!result.operation->createdDateTime.isValid());
    QVERIFY(result.operation->isTerminal());
}

void TestOperation::readsSevenDigitFractionsAndOffsets()
{
    // Qt 6.4's ISODateWithMs takes Graph's seven fractional digits and rounds to milliseconds.
    const OperationParseResult result = parseOperation(operationWith({
        {"createdDateTime", "2017-01-01T00:01:48.1123264+03:00"},
        {"lastActionDateTime", "2024-05-06T07:08:09.9999999Z"},
    }));
    QVERIFY2(result.operation, qPrintable(result.error));
    QCOMPARE(result.operation->createdDateTime,
             QDateTime(QDate(2016, 12, 31), QTime(21, 1, 48, 112), Qt::UTC));
    QCOMPARE(result.operation->lastActionDateTime,
             QDateTime(QDate(2024, 5, 6), QTime(7, 8, 10, 0), Qt::UTC));
}

void TestOperation::onlySucceededAndFailedAreTerminal()
{
    const QStringList all{"invalid", "notStarted",         "inProgress", "succeeded",
                          "failed",  "unknownFutureValue", "running"};
    for (const QString &status : all) {
        const auto op = parseOperation(operationWith({{"status", status}})).operation;
        QVERIFY(op);
        const bool terminal =
            status == QLatin1String("succeeded") || status == QLatin1String("failed");
        QCOMPARE(op->isTerminal(), terminal);
    }
}

void TestOperation::refusesWrongTypesNamingTheField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("attempts as string")
        << QByteArray(R"({"attemptsCount": "13"})") << "attemptsCount";
    QTest::newRow("attempts fractional")
        << QByteArray(R"({"attemptsCount": 1.5})") << "attemptsCount";
    QTest::newRow("attempts beyond Int32")
        << QByteArray(R"({"attemptsCount": 3000000000})") << "attemptsCount";
    QTest::newRow("status as number") << QByteArray(R"({"status": 3})") << "status";
    QTest::newRow("type as object") << QByteArray(R"({"operationType": {}})") << "operationType";
    QTest::newRow("id as bool") << QByteArray(R"({"id": true})") << "id";
    QTest::newRow("created not a date")
        << QByteArray(R"({"createdDateTime": "yesterday"})") << "createdDateTime";
    QTest::newRow("last action as number")
        << QByteArray(R"({"lastActionDateTime": 5})") << "lastActionDateTime";
    QTest::newRow("target as array")
        << QByteArray(R"({"targetResourceLocation": []})") << "targetResourceLocation";
    QTest::newRow("target id as number")
        << QByteArray(R"({"targetResourceId": 7})") << "targetResourceId";
    QTest::newRow("error as string") << QByteArray(R"({"error": "boom"})") << "error";
    QTest::newRow("error code as number") << QByteArray(R"({"error": {"code": 5}})") << "code";
}

void TestOperation::refusesWrongTypesNamingTheField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const OperationParseResult result = parseOperation(json);
    QVERIFY(!result.operation);
    QVERIFY2(result.error.contains(QLatin1Char('\'') + field + QLatin1Char('\'')),
             qPrintable(result.error));
}

void TestOperation::refusesPayloadsThatAreNotObjects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("string") << QByteArray("\"succeeded\"");
    QTest::newRow("truncated") << QByteArray(R"({"id": "a", "status": "inPro)");
    QTest::newRow("html error page") << QByteArray("<html><body>502 Bad Gateway</body></html>");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("a team, not an operation")
        << QByteArray(R"({"id": "t-1", "displayName": "Template", "isArchived": false})");
    QTest::newRow("status but no id") << QByteArray(R"({"status": "succeeded"})");
}

void TestOperation::refusesPayloadsThatAreNotObjects()
{
    QFETCH(QByteArray, json);
    const OperationParseResult result = parseOperation(json);
    QVERIFY(!result.operation);
    QVERIFY(!result.error.isEmpty());
}

QTEST_GUILESS_MAIN(TestOperation)
#include "tst_operation.moc"
