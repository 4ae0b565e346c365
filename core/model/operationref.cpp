#include "model/operationref.h"

#include <QHash>
#include <QMutex>
#include <QRegularExpression>

namespace {

// One key in any of Graph's three spellings: ('id'), (id) or /id. The three alternatives capture
// into three groups; keyFrom() picks whichever matched.
const QString kKey = QStringLiteral(R"re((?:\('([^'/()]*)'\)|\(([^'/()]*)\)|/([^'/()]+)))re");

// Groups: 1 = teams|groups, 2-4 = team key, 5 = "/team", 6-8 = operation key.
const QRegularExpression &operationPathPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^/?(teams|groups)") + kKey +
                                                QStringLiteral("(/team)?/operations") + kKey +
                                                QStringLiteral("/?$"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

QString keyFrom(const QRegularExpressionMatch &match, int firstGroup)
{
    for (int group = firstGroup; group < firstGroup + 3; ++group) {
        if (match.capturedStart(group) >= 0)
            return match.captured(group).trimmed();
    }
    return QString();
}

bool isPlausibleId(const QString &id)
{
    static const QRegularExpression allowed(QStringLiteral(R"(^[A-Za-z0-9._:@\-]+$)"));
    // "." and ".." would change the path they are put in: /teams/../operations/.. is GET /v1.0.
    static const QRegularExpression dotsOnly(QStringLiteral(R"(^\.+$)"));
    return allowed.match(id).hasMatch() && !dotsOnly.match(id).hasMatch();
}

QString stripDecorations(QString text)
{
    text = text.trimmed();
    // People paste whole header lines and quoted strings out of logs and JSON.
    if (text.startsWith(QLatin1String("location:"), Qt::CaseInsensitive))
        text = text.mid(9).trimmed();
    if (text.size() >= 2 &&
        ((text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"'))) ||
         (text.startsWith(QLatin1Char('<')) && text.endsWith(QLatin1Char('>'))))) {
        text = text.mid(1, text.size() - 2).trimmed();
    }
    return text;
}

QString withoutVersionPrefix(const QString &path)
{
    static const QRegularExpression version(QStringLiteral(R"(^/(v1\.0|beta)(?=/))"),
                                            QRegularExpression::CaseInsensitiveOption);
    QString stripped = path;
    stripped.remove(version);
    return stripped;
}

LocationResolution refuse(const QString &reason)
{
    return {std::nullopt, reason};
}

} // namespace

QString originOf(const QUrl &url)
{
    return url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                        QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == QLatin1String("https") ? 443 : 80) ==
               b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}

QUrl urlUnderBase(const QUrl &graphBase, const QString &relativePath)
{
    QUrl url =
        graphBase.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    url.setPath(url.path() + relativePath);
    return url;
}

LocationResolution resolveLocation(const QString &input, const QUrl &graphBase)
{
    const QString text = stripDecorations(input);
    if (text.isEmpty())
        return refuse(QStringLiteral("empty Location"));

    QString path;
    if (text.contains(QLatin1String("://"))) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid())
            return refuse(QStringLiteral("not a valid URL: %1").arg(url.errorString()));
        if (!sameOrigin(url, graphBase)) {
            return refuse(QStringLiteral("URL is on %1, not on the configured Graph host %2")
                              .arg(originOf(url), originOf(graphBase)));
        }
        path = url.path(QUrl::FullyDecoded);
    } else {
        path = QUrl::fromPercentEncoding(text.toUtf8());
        const qsizetype query = path.indexOf(QLatin1Char('?'));
        if (query >= 0)
            path.truncate(query);
    }
    path = withoutVersionPrefix(path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path);

    const QRegularExpressionMatch match = operationPathPattern().match(path);
    if (!match.hasMatch()) {
        return refuse(QStringLiteral("not a teamsAsyncOperation Location: expected "
                                     "/teams('{team-id}')/operations('{operation-id}'), got \"%1\"")
                          .arg(text));
    }
    const bool isGroupPath =
        match.captured(1).compare(QLatin1String("groups"), Qt::CaseInsensitive) == 0;
    const bool hasTeamSegment = match.capturedStart(5) >= 0;
    if (isGroupPath != hasTeamSegment) {
        return refuse(isGroupPath
                          ? QStringLiteral("/groups(...) Location lacks /team: \"%1\"").arg(text)
                          : QStringLiteral("unexpected /team segment in \"%1\"").arg(text));
    }

    OperationRef ref;
    ref.teamId = keyFrom(match, 2);
    ref.operationId = keyFrom(match, 6);
    if (!isPlausibleId(ref.teamId))
        return refuse(
            QStringLiteral("team id \"%1\" is empty or has characters Graph ids never have")
                .arg(ref.teamId));
    if (!isPlausibleId(ref.operationId))
        return refuse(
            QStringLiteral("operation id \"%1\" is empty or has characters Graph ids never have")
                .arg(ref.operationId));
    ref.graphBase = sharedGraphBase(graphBase);
    return {ref, QString()};
}

QUrl OperationRef::url() const
{
    return urlUnderBase(graphBase,
                        QStringLiteral("/teams/%1/operations/%2").arg(teamId, operationId));
}

QUrl sharedGraphBase(const QUrl &graphBase)
{
    // A handful of bases per process at most (the Graph and the simulator); stores may be read
    // on other threads.
    static QMutex mutex;
    static QHash<QUrl, QUrl> shared;
    const QMutexLocker lock(&mutex);
    const auto found = shared.constFind(graphBase);
    if (found != shared.cend())
        return found.value();
    shared.insert(graphBase, graphBase);
    return graphBase;
}

QUrl graphBaseOfOperationUrl(const QUrl &operationUrl)
{
    QUrl base = operationUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    const QString path = base.path();
    const qsizetype teams = path.lastIndexOf(QLatin1String("/teams/"));
    if (teams >= 0)
        base.setPath(path.left(teams));
    return sharedGraphBase(base);
}
