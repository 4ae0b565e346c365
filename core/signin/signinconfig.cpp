#include "signin/signinconfig.h"

#include "graph/graphclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

namespace {

const QString kCloud = QStringLiteral("cloud");
const QString kAuthority = QStringLiteral("authority");
const QString kTenant = QStringLiteral("tenant");
const QString kClientId = QStringLiteral("client-id");

} // namespace

QString SignInConfig::origin(const QUrl &url)
{
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toString(QUrl::FullyEncoded);
}

QList<SignInConfig::Cloud> SignInConfig::clouds()
{
    const auto make = [](const char *name, const char *login, const char *graph) {
        return Cloud{QString::fromLatin1(name), QUrl(QString::fromLatin1(login)),
                     QUrl(QString::fromLatin1(graph))};
    };
    return {
        make("global", "https://login.microsoftonline.com", "https://graph.microsoft.com/v1.0"),
        make("usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us/v1.0"),
        make("usgovdod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us/v1.0"),
        make("china", "https://login.chinacloudapi.cn",
             "https://microsoftgraph.chinacloudapi.cn/v1.0")};
}

std::optional<SignInConfig::Cloud> SignInConfig::cloud(const QString &name)
{
    for (const Cloud &cloud : clouds()) {
        if (cloud.name.compare(name, Qt::CaseInsensitive) == 0)
            return cloud;
    }
    return std::nullopt;
}

QUrl SignInConfig::endpoint(const QString &name) const
{
    QUrl url = authorityHost;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + tenant + QStringLiteral("/oauth2/v2.0/") + name);
    return url;
}

QStringList SignInConfig::delegatedScopes() const
{
    const QString graph = origin(graphUrl);
    return {QStringLiteral("openid"),
            QStringLiteral("profile"),
            QStringLiteral("offline_access"),
            graph + QStringLiteral("/Team.ReadBasic.All"),
            graph + QStringLiteral("/TeamSettings.ReadWrite.All"),
            graph + QStringLiteral("/Team.Create")};
}

QString SignInConfig::appScope() const
{
    return origin(graphUrl) + QStringLiteral("/.default");
}

QString SignInConfig::problem(Wording wording) const
{
    const bool dialog = wording == Wording::Dialog;
    const QString hostProblem = GraphClient::checkBaseUrl(authorityHost);
    if (!hostProblem.isEmpty()) {
        return dialog ? QCoreApplication::translate("SignInConfig",
                                                    "The sign-in host cannot be used: %1")
                            .arg(hostProblem)
                      : QStringLiteral("--authority: ") + hostProblem;
    }
    // A GUID, a domain, or one of the platform's names: nothing that could change the path.
    static const QRegularExpression tenantShape(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9.-]*$"));
    if (!tenantShape.match(tenant).hasMatch()) {
        return dialog ? QCoreApplication::translate(
                            "SignInConfig", "Tenant: enter \"organizations\", your tenant's ID "
                                            "or its domain (not \"%1\").")
                            .arg(tenant)
                      : QStringLiteral("--tenant takes \"organizations\", a tenant id or a domain "
                                       "(got \"%1\")")
                            .arg(tenant);
    }
    if (clientId.isEmpty()) {
        return dialog ? QCoreApplication::translate(
                            "SignInConfig",
                            "Client ID: enter the Application (client) ID of your app "
                            "registration (Entra admin center → App registrations → your app → "
                            "Overview).")
                      : QStringLiteral("no app registration: give --client-id (the Application "
                                       "(client) ID of your app registration in Entra ID; see the "
                                       "README)");
    }
    static const QRegularExpression idShape(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    if (!idShape.match(clientId).hasMatch()) {
        return dialog
                   ? QCoreApplication::translate(
                         "SignInConfig", "Client ID: the application's ID is a GUID (not \"%1\").")
                         .arg(clientId)
                   : QStringLiteral("--client-id takes the application's GUID (got \"%1\")")
                         .arg(clientId);
    }
    return QString();
}

void SignInConfig::addOptions(QCommandLineParser &parser)
{
    QStringList names;
    for (const Cloud &cloud : clouds())
        names.append(cloud.name);
    parser.addOptions({
        {kCloud,
         QStringLiteral("Microsoft cloud: %1 (sets the sign-in and Graph hosts).")
             .arg(names.join(QLatin1Char('|'))),
         QStringLiteral("CLOUD")},
        {kAuthority, QStringLiteral("Sign-in host, overriding --cloud's."), QStringLiteral("URL")},
        {kTenant,
         QStringLiteral("Tenant to sign in to: organizations (default), an id or a domain."),
         QStringLiteral("TENANT")},
        {kClientId, QStringLiteral("Application (client) ID of the app registration."),
         QStringLiteral("ID")},
    });
}

QString SignInConfig::read(const QCommandLineParser &parser, SignInConfig &config, QUrl &graphUrl,
                           bool graphUrlGiven)
{
    if (parser.isSet(kCloud)) {
        const std::optional<Cloud> chosen = cloud(parser.value(kCloud));
        if (!chosen) {
            QStringList names;
            for (const Cloud &c : clouds())
                names.append(c.name);
            return QStringLiteral("--cloud takes one of %1 (got \"%2\")")
                .arg(names.join(QStringLiteral(", ")), parser.value(kCloud));
        }
        config.authorityHost = chosen->authorityHost;
        if (!graphUrlGiven)
            graphUrl = chosen->graphUrl;
    }
    if (parser.isSet(kAuthority)) {
        QUrl authority(parser.value(kAuthority));
        // "https://login.microsoftonline.com/contoso.com" names the tenant too.
        const QString path = authority.path().section(QLatin1Char('/'), 1, 1);
        if (!path.isEmpty() && !parser.isSet(kTenant))
            config.tenant = path;
        authority.setPath(QString());
        config.authorityHost = authority;
    }
    if (parser.isSet(kTenant))
        config.tenant = parser.value(kTenant);
    if (parser.isSet(kClientId))
        config.clientId = parser.value(kClientId).trimmed();
    config.graphUrl = graphUrl;
    return QString();
}
