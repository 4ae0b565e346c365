#include "polling/teamoperations.h"

#include "graph/graphclient.h"
#include "polling/operationpoller.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <memory>

QString teamIdFromText(const QString &text)
{
    static const QRegularExpression bare(QStringLiteral(R"(^[A-Za-z0-9._:@\-]+$)"));
    static const QRegularExpression inPath(
        QStringLiteral(R"((?:teams|groups)(?:\('([^'/()]+)'\)|\(([^'/()]+)\)|/([^'/()?]+)))"),
        QRegularExpression::CaseInsensitiveOption);
    const QString trimmed = text.trimmed();
    if (bare.match(trimmed).hasMatch())
        return trimmed;
    // "Name — id", as the clone dialog shows a team: the id after the last dash.
    const qsizetype dash = trimmed.lastIndexOf(QStringLiteral(" — "));
    if (dash >= 0 && bare.match(trimmed.mid(dash + 3).trimmed()).hasMatch())
        return trimmed.mid(dash + 3).trimmed();
    const QRegularExpressionMatch match = inPath.match(QUrl::fromPercentEncoding(trimmed.toUtf8()));
    for (int group = 1; group <= 3; ++group) {
        if (match.capturedStart(group) >= 0)
            return match.captured(group);
    }
    return QString();
}

namespace {

void fetchPage(GraphClient &client, const QUrl &url, const QString &teamId, QObject *receiver,
               std::shared_ptr<TeamOperationsResult> result,
               std::function<void(const TeamOperationsResult &)> done, int pagesLeft)
{
    client.get(url, receiver,
               [&client, teamId, receiver, result, done, pagesLeft](const GraphReply &reply) {
                   const QJsonObject page = QJsonDocument::fromJson(reply.body).object();
                   if (!reply.ok() || !page.value(QLatin1String("value")).isArray()) {
                       result->error =
                           reply.ok() ? QStringLiteral("the team's operation list is not readable")
                                      : reply.describe();
                       done(*result);
                       return;
                   }
                   for (const QJsonValue &value : page.value(QLatin1String("value")).toArray()) {
                       const QString id = value.toObject().value(QLatin1String("id")).toString();
                       const LocationResolution ref = resolveLocation(
                           QStringLiteral("/teams/%1/operations/%2").arg(teamId, id),
                           client.baseUrl());
                       if (ref.ref)
                           result->operations.append(*ref.ref);
                   }
                   const QString next = page.value(QLatin1String("@odata.nextLink")).toString();
                   if (next.isEmpty() || pagesLeft <= 1) {
                       done(*result);
                       return;
                   }
                   fetchPage(client, QUrl(next), teamId, receiver, result, done, pagesLeft - 1);
               });
}

} // namespace

void listTeamOperations(GraphClient &client, const QString &teamId, QObject *receiver,
                        std::function<void(const TeamOperationsResult &)> done)
{
    auto result = std::make_shared<TeamOperationsResult>();
    if (teamId.isEmpty()) {
        result->error = QStringLiteral("no team id");
        done(*result);
        return;
    }
    // A cap on pages keeps a runaway nextLink chain from looping forever.
    fetchPage(client, client.resolve(QStringLiteral("/teams/%1/operations?$top=100").arg(teamId)),
              teamId, receiver, result, std::move(done), 1000);
}

void watchTeamOperations(GraphClient &client, OperationPoller &poller, const QString &teamId,
                         QObject *receiver, std::function<void(const TeamWatchResult &)> done)
{
    listTeamOperations(
        client, teamId, receiver, [&poller, teamId, done](const TeamOperationsResult &listing) {
            TeamWatchResult result{teamId, int(listing.operations.size()), 0, listing.error};
            for (const OperationRef &ref : listing.operations)
                result.added += poller.watch(ref) ? 1 : 0;
            done(result);
        });
}
