#include "cli/signincommands.h"

#include "model/clock.h"
#include "model/printable.h"
#include "signin/browsersignin.h"
#include "signin/devicecodesignin.h"
#include "signin/identityclient.h"
#include "signin/secretstore.h"
#include "signin/signinsession.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <utility>

SignInCommands::SignInCommands(Options options, Clock &clock, QTextStream &out, QTextStream &err,
                               QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_out(out)
    , m_err(err)
    , m_secrets(new SecretStore(m_options.keychainService, this))
{}

SignInCommands::~SignInCommands() = default;

QUrl SignInCommands::graphUrl() const
{
    return m_identity ? m_identity->config().graphUrl : QUrl();
}

void SignInCommands::fail(const QString &message)
{
    m_err << "error: " << printable(message) << Qt::endl;
    finishLater(1);
}

void SignInCommands::finishLater(int exitCode)
{
    // Never from inside the call that started the command: the event loop may not run yet.
    QTimer::singleShot(0, this, [this, exitCode] { emit finished(exitCode); });
}

bool SignInCommands::configure(SignInConfig &config)
{
    QString problem = m_options.applyOptions ? m_options.applyOptions(config) : QString();
    if (problem.isEmpty())
        problem = config.problem();
    if (!problem.isEmpty()) {
        fail(problem);
        return false;
    }
    delete m_identity;
    m_identity = new IdentityClient(config, this);
    return true;
}

void SignInCommands::readKept(
    std::function<void(const std::optional<KeptSignIn> &, const QString &)> next)
{
    m_secrets->read(KeptSignIn::keychainKey(), this,
                    [next](const std::optional<QByteArray> &data, const QString &error) {
                        next(data ? KeptSignIn::fromJson(*data) : std::nullopt, error);
                    });
}

void SignInCommands::signInWithDeviceCode(std::function<void(const TokenSet &)> done)
{
    m_deviceCode = new DeviceCodeSignIn(*m_identity, m_clock, this);
    connect(m_deviceCode, &DeviceCodeSignIn::prompt, this,
            [this](const QString &uri, const QString &code, const QString &message) {
                // stderr: stdout may be a --json stream.
                m_err << "To sign in, open " << printable(uri) << " and enter the code "
                      << printable(code) << Qt::endl;
                if (!message.isEmpty())
                    m_err << "(" << printable(message) << ")" << Qt::endl;
            });
    connect(m_deviceCode, &DeviceCodeSignIn::failed, this, &SignInCommands::fail);
    connect(m_deviceCode, &DeviceCodeSignIn::signedIn, this, done);
    m_deviceCode->start();
}

void SignInCommands::signInWithBrowser(std::function<void(const TokenSet &)> done)
{
    m_browser = new BrowserSignIn(*m_identity, m_clock, this);
    connect(m_browser, &BrowserSignIn::openBrowser, this, [this](const QUrl &url) {
        // stderr: stdout may be a --json stream. The URL holds no secret (PKCE's challenge is a
        // hash; the verifier never leaves this process).
        m_err << "To sign in, open this page in your browser (it is being opened for you):\n  "
              << url.toString(QUrl::FullyEncoded) << Qt::endl;
        if (m_options.openBrowser)
            m_options.openBrowser(url);
    });
    connect(m_browser, &BrowserSignIn::failed, this, &SignInCommands::fail);
    connect(m_browser, &BrowserSignIn::signedIn, this, done);
    m_browser->start();
}

void SignInCommands::keep(const SignInConfig &config, const TokenSet &tokens,
                          std::function<void(const QString &error)> done)
{
    KeptSignIn kept{config, tokens};
    kept.tokens.accessToken.clear();
    ++m_pendingWrites;
    m_secrets->write(KeptSignIn::keychainKey(), kept.toJson(), this,
                     [this, done](const QString &error) {
                         done(error);
                         if (--m_pendingWrites == 0) {
                             const auto waiting = std::exchange(m_afterWrites, {});
                             for (const auto &next : waiting)
                                 next();
                         }
                     });
}

void SignInCommands::afterPendingWrites(std::function<void()> next)
{
    if (m_pendingWrites == 0)
        next();
    else
        m_afterWrites.append(std::move(next));
}

void SignInCommands::keepRenewal(const SignInConfig &config, const TokenSet &tokens,
                                 std::function<void()> done)
{
    keep(config, tokens, [this, done](const QString &error) {
        if (!error.isEmpty() && !m_warnedKeychain) {
            m_warnedKeychain = true;
            m_err << "warning: the renewed sign-in cannot be kept in the keychain ("
                  << printable(error) << "); it lasts for this run only" << Qt::endl;
        }
        done();
    });
}

void SignInCommands::login()
{
    readKept([this](const std::optional<KeptSignIn> &kept, const QString &) {
        SignInConfig config = kept ? kept->config : SignInConfig();
        if (!configure(config))
            return;
        const auto signIn = m_options.loginWithBrowser ? &SignInCommands::signInWithBrowser
                                                       : &SignInCommands::signInWithDeviceCode;
        (this->*signIn)([this, config](const TokenSet &tokens) {
            keep(config, tokens, [this, tokens](const QString &error) {
                if (!error.isEmpty()) {
                    fail(QStringLiteral("signed in as %1, but the sign-in cannot be kept: "
                                        "no keychain works here (%2). Use --sign-in "
                                        "device-code with each command instead")
                             .arg(tokens.accountText(), error));
                    return;
                }
                m_out << "Signed in as " << printable(tokens.accountText()) << " (tenant "
                      << printable(tokens.tenantId) << "); the sign-in is kept in the keychain"
                      << Qt::endl;
                finishLater(0);
            });
        });
    });
}

void SignInCommands::logout()
{
    readKept([this](const std::optional<KeptSignIn> &kept, const QString &readError) {
        m_secrets->remove(
            KeptSignIn::keychainKey(), this, [this, kept, readError](const QString &error) {
                if (!error.isEmpty()) {
                    fail(QStringLiteral("could not remove the sign-in from the keychain: ") +
                         error);
                    return;
                }
                if (kept)
                    m_out << "Signed out " << printable(kept->tokens.accountText()) << Qt::endl;
                else
                    m_out << "No sign-in was kept" << (readError.isEmpty() ? "" : " (keychain: ")
                          << printable(readError) << (readError.isEmpty() ? "" : ")") << Qt::endl;
                finishLater(0);
            });
    });
}

void SignInCommands::whoami()
{
    connect(this, &SignInCommands::ready, this, [this](const QString &, SignInSession *session) {
        if (!session) {
            fail(QStringLiteral("the token comes from TEAMSOPS_TOKEN or --token-file: there is "
                                "no sign-in to describe"));
            return;
        }
        const TokenSet &tokens = session->tokens();
        const SignInConfig &config = m_identity->config();
        if (m_options.json) {
            const QJsonObject json{
                {QStringLiteral("account"), tokens.appOnly ? QString() : tokens.accountName},
                {QStringLiteral("username"), tokens.username},
                {QStringLiteral("tenantId"), tokens.tenantId},
                {QStringLiteral("appOnly"), tokens.appOnly},
                {QStringLiteral("authority"), config.endpoint(QString()).toString()},
                {QStringLiteral("clientId"), config.clientId},
                {QStringLiteral("graphUrl"), config.graphUrl.toString()},
                {QStringLiteral("expiresAt"), tokens.expiresAt.toString(Qt::ISODate)}};
            m_out << jsonPrintable(QJsonDocument(json).toJson(QJsonDocument::Compact)) << Qt::endl;
        } else {
            m_out << "Account: " << printable(tokens.accountText()) << '\n'
                  << "Tenant: " << printable(tokens.tenantId) << '\n'
                  << "Signed in at: " << config.authorityHost.toString() << '/'
                  << printable(config.tenant) << " as app " << config.clientId << '\n'
                  << "Graph: " << config.graphUrl.toString() << '\n'
                  << "Access token expires: " << tokens.expiresAt.toString(Qt::ISODate) << Qt::endl;
        }
        finishLater(0);
    });
    obtain();
}

void SignInCommands::obtain()
{
    if (!m_options.fixedToken.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit ready(m_options.fixedToken, nullptr); });
        return;
    }
    if (m_options.method == QLatin1String("device-code")) {
        SignInConfig config;
        if (!configure(config))
            return;
        signInWithDeviceCode(
            [this, config](const TokenSet &tokens) { startSession(config, tokens, false); });
        return;
    }
    if (m_options.method == QLatin1String("browser")) {
        SignInConfig config;
        if (!configure(config))
            return;
        signInWithBrowser(
            [this, config](const TokenSet &tokens) { startSession(config, tokens, false); });
        return;
    }
    if (m_options.method == QLatin1String("client-secret")) {
        if (m_options.clientSecret.isEmpty()) {
            fail(QStringLiteral("--sign-in client-secret needs the secret in "
                                "TEAMSOPS_CLIENT_SECRET or --client-secret-file FILE"));
            return;
        }
        signInAppOnly(AppCredential{m_options.clientSecret, nullptr});
        return;
    }
    if (m_options.method == QLatin1String("certificate")) {
        if (!m_options.certificate) {
            fail(QStringLiteral("--sign-in certificate needs --certificate FILE (PEM, with the "
                                "private key in it or in --private-key FILE)"));
            return;
        }
        signInAppOnly(AppCredential{QString(), m_options.certificate});
        return;
    }
    if (!m_options.method.isEmpty()) {
        fail(QStringLiteral("--sign-in takes browser, device-code, client-secret or certificate "
                            "(got \"%1\")")
                 .arg(m_options.method));
        return;
    }
    readKept([this](const std::optional<KeptSignIn> &kept, const QString &error) {
        if (!kept) {
            fail(error.isEmpty() ? QStringLiteral("not signed in: run teamsops-cli login, or set "
                                                  "TEAMSOPS_TOKEN to an access token")
                                 : QStringLiteral("the keychain cannot be read (%1): use --sign-in "
                                                  "device-code, or set TEAMSOPS_TOKEN")
                                       .arg(error));
            return;
        }
        SignInConfig config = kept->config;
        if (!configure(config))
            return;
        // The kept sign-in's token goes only to its own cloud's Graph: another --graph-url is
        // refused rather than handed it. (TEAMSOPS_TOKEN or --token-file go where they are told.)
        const QUrl keptGraph = kept->config.graphUrl;
        if (SignInConfig::origin(config.graphUrl) != SignInConfig::origin(keptGraph)) {
            fail(QStringLiteral("--graph-url %1 is not the Graph of the kept sign-in (%2): its "
                                "token goes nowhere else. Sign in for that Graph (login "
                                "--graph-url), or give a token for it in TEAMSOPS_TOKEN or "
                                "--token-file")
                     .arg(config.graphUrl.toString(), keptGraph.toString()));
            return;
        }
        startSession(config, kept->tokens, true);
    });
}

void SignInCommands::signInAppOnly(const AppCredential &credential)
{
    SignInConfig config;
    if (!configure(config))
        return;
    const QDateTime askedAt = m_clock.now();
    m_identity->requestAppToken(
        credential, askedAt, this, [this, config, askedAt](const IdentityReply &reply) {
            TokenSet tokens = TokenSet::fromTokenAnswer(reply.json, askedAt);
            if (!reply.ok() || !tokens.hasAccessToken()) {
                fail(QStringLiteral("app-only sign-in failed (") +
                     (reply.ok() ? QStringLiteral("no access token") : reply.describe()) +
                     QLatin1Char(')'));
                return;
            }
            tokens.appOnly = true;
            startSession(config, tokens, false);
        });
}

void SignInCommands::startSession(const SignInConfig &config, const TokenSet &tokens,
                                  bool keepRenewals)
{
    m_session = new SignInSession(*m_identity, m_clock, this);
    if (tokens.appOnly)
        m_session->setAppCredential(AppCredential{m_options.clientSecret, m_options.certificate});
    m_session->setTokens(tokens);
    const auto keepEveryRenewal = [this, config, keepRenewals] {
        if (!keepRenewals)
            return;
        // Single use: the rotated refresh token replaces the kept one at once.
        connect(m_session, &SignInSession::renewed, this,
                [this, config](const TokenSet &renewed) { keepRenewal(config, renewed, [] {}); });
    };
    if (tokens.hasAccessToken()) {
        keepEveryRenewal();
        emit ready(QString(), m_session);
        return;
    }
    // A kept sign-in has no access token yet: renew once before anything is sent, and keep the
    // rotated refresh token before going on (a command may end soon after).
    auto first = std::make_shared<QMetaObject::Connection>();
    auto lost = std::make_shared<QMetaObject::Connection>();
    *first = connect(
        m_session, &SignInSession::renewed, this,
        [this, first, lost, config, keepRenewals, keepEveryRenewal](const TokenSet &renewed) {
            disconnect(*first);
            disconnect(*lost);
            keepEveryRenewal();
            const auto go = [this] { emit ready(QString(), m_session); };
            if (keepRenewals)
                keepRenewal(config, renewed, go);
            else
                go();
        });
    *lost = connect(m_session, &SignInSession::lost, this, [this, first, lost](const QString &why) {
        disconnect(*first);
        disconnect(*lost);
        fail(QStringLiteral("the kept sign-in no longer works (%1): run teamsops-cli login again")
                 .arg(why));
    });
    m_session->renew();
}
