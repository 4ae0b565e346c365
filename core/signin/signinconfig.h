#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

class QCommandLineParser;

// Where and as which app TeamsOps signs in: the identity platform's host (per national cloud),
// the tenant ("organizations", a GUID or a domain), the client id of the app registration, and
// the Graph host whose scopes it asks for.
struct SignInConfig
{
    // The hosts of one Microsoft cloud, as Microsoft's national cloud page lists them.
    struct Cloud
    {
        QString name;
        QUrl authorityHost;
        QUrl graphUrl;
    };
    static QList<Cloud> clouds(); // global, usgov, usgovdod, china
    static std::optional<Cloud> cloud(const QString &name);

    QUrl authorityHost = QUrl(QStringLiteral("https://login.microsoftonline.com"));
    QString tenant = QStringLiteral("organizations");
    QString clientId;
    QUrl graphUrl = QUrl(QStringLiteral("https://graph.microsoft.com/v1.0"));

    // https://{host}/{tenant}/oauth2/v2.0/{name}: "token", "devicecode", "authorize".
    QUrl endpoint(const QString &name) const;
    // What a signed-in admin asks for: reading teams and their operations, archiving, cloning
    // and creating, and a refresh token (offline_access). Prefixed with the Graph host, which
    // national clouds need and the global cloud accepts.
    QStringList delegatedScopes() const;
    // Client credentials: the application permissions granted to the app, all at once.
    QString appScope() const;
    // Empty when usable; else one line for people, in the words of where they set it: the
    // command line's options, or the sign-in settings dialog's fields.
    enum class Wording
    {
        CommandLine,
        Dialog
    };
    QString problem(Wording wording = Wording::CommandLine) const;

    // The options every command that signs in takes: --cloud, --authority, --tenant,
    // --client-id. --cloud also picks the Graph URL unless --graph-url is given.
    static void addOptions(QCommandLineParser &parser);
    // Reads them over `defaults` (a stored sign-in's, or the built-in ones); graphUrl is the
    // --graph-url in force, replaced by the cloud's when --cloud is given without --graph-url.
    // Empty on success, else one line naming the option.
    // "https://graph.microsoft.com": what a token is scoped to, and may be sent to.
    static QString origin(const QUrl &url);
    static QString read(const QCommandLineParser &parser, SignInConfig &config, QUrl &graphUrl,
                        bool graphUrlGiven);
};
