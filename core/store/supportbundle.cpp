#include "store/supportbundle.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

QJsonValue timeValue(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonValue errorValue(const std::optional<OperationError> &error)
{
    if (!error)
        return QJsonValue();
    return QJsonObject{{QStringLiteral("code"), error->code},
                       {QStringLiteral("message"), error->message}};
}

// How Graph named an answer; null when nothing named it (a change saved by an older TeamsOps).
QJsonValue answerValue(const AnswerIds &answer)
{
    if (answer.isEmpty())
        return QJsonValue();
    return QJsonObject{{QStringLiteral("requestId"), answer.requestId},
                       {QStringLiteral("clientRequestId"), answer.clientRequestId},
                       {QStringLiteral("graphDate"), timeValue(answer.graphDate)}};
}

} // namespace

QByteArray supportBundle(const WatchedOperation &operation, const std::optional<StartRecord> &start,
                         const QUrl &graphUrl, const QDateTime &now)
{
    const Operation op = operation.latest.value_or(Operation());
    QJsonObject bundle{
        {QStringLiteral("generatedAt"), timeValue(now)},
        {QStringLiteral("teamsops"), QCoreApplication::applicationVersion()},
        {QStringLiteral("graph"), graphUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)},
        {QStringLiteral("operation"),
         QJsonObject{{QStringLiteral("location"), operation.location()},
                     {QStringLiteral("id"), operation.ref.operationId},
                     {QStringLiteral("teamId"), operation.ref.teamId},
                     {QStringLiteral("operationType"), op.operationTypeRaw},
                     {QStringLiteral("status"), op.statusRaw},
                     {QStringLiteral("attemptsCount"), op.attemptsCount},
                     {QStringLiteral("error"), errorValue(op.error)},
                     {QStringLiteral("createdDateTime"), timeValue(op.createdDateTime)},
                     {QStringLiteral("lastActionDateTime"), timeValue(op.lastActionDateTime)},
                     {QStringLiteral("targetResourceLocation"), op.targetResourceLocation}}},
    };
    // The reply as Graph sent it: JSON stays JSON; anything else (an HTML error page) as text.
    const QJsonDocument reply = QJsonDocument::fromJson(operation.lastReply);
    bundle.insert(QStringLiteral("lastReply"),
                  reply.isObject() ? QJsonValue(reply.object())
                  : operation.lastReply.isEmpty()
                      ? QJsonValue()
                      : QJsonValue(QString::fromUtf8(operation.lastReply)));
    QJsonArray timeline;
    for (const StatusChange &change : operation.history) {
        timeline.append(QJsonObject{{QStringLiteral("seenAt"), timeValue(change.seenAt)},
                                    {QStringLiteral("status"), change.statusRaw},
                                    {QStringLiteral("attemptsCount"), change.attemptsCount},
                                    {QStringLiteral("error"), errorValue(change.error)},
                                    {QStringLiteral("answer"), answerValue(change.answer)}});
    }
    bundle.insert(QStringLiteral("timeline"), timeline);
    bundle.insert(QStringLiteral("polling"),
                  QJsonObject{{QStringLiteral("polls"), operation.polls},
                              {QStringLiteral("addedAt"), timeValue(operation.addedAt)},
                              {QStringLiteral("lastPolledAt"), timeValue(operation.lastPolledAt)},
                              {QStringLiteral("lastAnswer"), answerValue(operation.lastAnswer)},
                              {QStringLiteral("lastFailure"), operation.lastFailureMessage}});
    if (start) {
        bundle.insert(QStringLiteral("startRequest"),
                      QJsonObject{{QStringLiteral("clientRequestId"), start->clientRequestId},
                                  {QStringLiteral("requestId"), start->requestId},
                                  {QStringLiteral("kind"), start->kind},
                                  {QStringLiteral("path"), start->path},
                                  {QStringLiteral("sentAt"), timeValue(start->sentAt)},
                                  {QStringLiteral("answeredAt"), timeValue(start->answeredAt)},
                                  {QStringLiteral("state"), StartRecord::stateName(start->state)},
                                  {QStringLiteral("httpStatus"), start->httpStatus},
                                  {QStringLiteral("message"), start->message}});
    }
    return QJsonDocument(bundle).toJson(QJsonDocument::Indented);
}
