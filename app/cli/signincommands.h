#pragma once

#include "signin/keptsignin.h"
#include "signin/signinconfig.h"
#include "signin/signinsession.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class Clock;
class BrowserSignIn;
class DeviceCodeSignIn;
class IdentityClient;
class QTextStream;
class SecretStore;

// teamsops-cli's sign-in: `login` (browser or device code; the sign-in is kept in the keychain),
// `logout`,
// `whoami`, and for every command that talks to Graph, a token from, in this order:
// TEAMSOPS_TOKEN, --token-file, --sign-in METHOD (this run only), the sign-in kept by `login`.
// The device code prompt goes to stderr, so --json output on stdout stays clean. Tokens,
// secrets and refresh tokens are never printed.
class SignInCommands final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInCommands)
public:
    struct Options
    {
        // Applies --cloud, --authority, --tenant, --client-id over a config (SignInConfig::read).
        std::function<QString(SignInConfig &)> applyOptions;
        QString method; // --sign-in: "", "device-code", "browser", "client-secret", "certificate"
        bool loginWithBrowser = false; // login: the browser (PKCE) rather than a device code
        // Opens the authorization URL in the user's browser (the URL is printed as well).
        std::function<void(const QUrl &)> openBrowser;
        QString clientSecret; // for client-secret: from TEAMSOPS_CLIENT_SECRET or a file
        std::shared_ptr<const ClientCertificate> certificate; // for certificate: --certificate
        QString fixedToken; // TEAMSOPS_TOKEN or --token-file: used as it is
        bool json = false;
        QString keychainService = KeptSignIn::keychainService();
    };

    SignInCommands(Options options, Clock &clock, QTextStream &out, QTextStream &err,
                   QObject *parent = nullptr);
    ~SignInCommands() override;

    void login();
    void logout();
    void whoami();
    // For commands that talk to Graph: ready() once there is a token, else finished(1).
    void obtain();

    // Runs next once the keychain holds the latest rotated refresh token: a command ends through
    // here, so the refresh token a renewal just used up is never the one left kept.
    void afterPendingWrites(std::function<void()> next);

    // The Graph URL the sign-in is for (a kept sign-in remembers its cloud's); empty for a fixed
    // token.
    QUrl graphUrl() const;

signals:
    void finished(int exitCode);
    // session is null for a fixed token; it stays owned by this object.
    void ready(const QString &fixedToken, SignInSession *session);

private:
    // Reads the kept sign-in (nullopt when none), then calls next; on a keychain error, next
    // gets nullopt and the error.
    void readKept(std::function<void(const std::optional<KeptSignIn> &, const QString &)> next);
    bool configure(SignInConfig &config); // applies the options and checks; prints why not
    // App-only, for this run: client credentials with the secret or the certificate.
    void signInAppOnly(const AppCredential &credential);
    void signInWithDeviceCode(std::function<void(const TokenSet &)> done);
    void signInWithBrowser(std::function<void(const TokenSet &)> done);
    void startSession(const SignInConfig &config, const TokenSet &tokens, bool keep);
    // Writes the sign-in to the keychain (refresh token and account only).
    void keep(const SignInConfig &config, const TokenSet &tokens,
              std::function<void(const QString &error)> done);
    // The same for a renewal: a failure is told once on stderr, and the run goes on.
    void keepRenewal(const SignInConfig &config, const TokenSet &tokens,
                     std::function<void()> done);
    void fail(const QString &message);
    void finishLater(int exitCode);

    Options m_options;
    Clock &m_clock;
    QTextStream &m_out;
    QTextStream &m_err;
    SecretStore *m_secrets;
    IdentityClient *m_identity = nullptr;
    DeviceCodeSignIn *m_deviceCode = nullptr;
    BrowserSignIn *m_browser = nullptr;
    SignInSession *m_session = nullptr;
    bool m_warnedKeychain = false;
    int m_pendingWrites = 0;
    QList<std::function<void()>> m_afterWrites;
};
