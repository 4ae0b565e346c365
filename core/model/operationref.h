#pragma once

#include <QHashFunctions>
#include <QString>
#include <QUrl>

#include <optional>

// The canonical identity of one teamsAsyncOperation, whatever shape its Location came in.
struct OperationRef
{
    QString teamId;
    QString operationId;
    // The Graph this operation lives on (e.g. https://graph.microsoft.com/v1.0). Every ref of one
    // Graph shares one QUrl (sharedGraphBase): a whole URL apiece cost half a kilobyte per
    // watched operation, a fifth of what watching 100 000 operations took.
    QUrl graphBase;

    // What to GET: <graph base>/teams/{teamId}/operations/{operationId}.
    QUrl url() const;

    // Graph ids are GUIDs, compared without regard to case.
    QString key() const { return teamId.toLower() + QLatin1Char('/') + operationId.toLower(); }
    // The shape Graph itself sends in a Location header.
    QString location() const
    {
        return QStringLiteral("/teams('%1')/operations('%2')").arg(teamId, operationId);
    }

    friend bool operator==(const OperationRef &a, const OperationRef &b)
    {
        return a.key() == b.key();
    }
    friend size_t qHash(const OperationRef &ref, size_t seed = 0) { return qHash(ref.key(), seed); }
};

struct LocationResolution
{
    std::optional<OperationRef> ref;
    QString error; // for people: what is wrong with the text; empty when ref is set
};

// Turns a Location header value or a pasted Graph URL into an OperationRef under graphBase
// (e.g. https://graph.microsoft.com/v1.0). Accepts /teams('T')/operations('O'), /teams(T)/...,
// /teams/T/operations/O, the old /groups(T)/team/operations(O), an optional /v1.0 or /beta prefix,
// and full URLs on the base's origin. Anything else is refused with a reason.
LocationResolution resolveLocation(const QString &text, const QUrl &graphBase);

// A URL path under graphBase: base path + relativePath (which starts with '/').
QUrl urlUnderBase(const QUrl &graphBase, const QString &relativePath);

// The one copy of this Graph base that refs share (QUrl copies share their data).
QUrl sharedGraphBase(const QUrl &graphBase);
// The Graph base of an operation's URL as url() makes it: what comes before /teams/.
QUrl graphBaseOfOperationUrl(const QUrl &operationUrl);

// Scheme, host and port: the unit the bearer token is bound to.
bool sameOrigin(const QUrl &a, const QUrl &b);
// The same as text, "https://graph.microsoft.com" (no user info, no trailing slash).
QString originOf(const QUrl &url);
