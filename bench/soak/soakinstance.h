#pragma once

#include "graph/graphclient.h"
#include "model/clock.h"
#include "polling/operationpoller.h"
#include "signin/identityclient.h"
#include "signin/signinconfig.h"
#include "signin/signinsession.h"
#include "signin/tokenset.h"
#include "soakworld.h"
#include "store/operationdatabase.h"
#include "store/operationstore.h"
#include "store/storesaver.h"

#include <memory>

namespace soak {

constexpr int kConnectionsPerHost = 6; // Qt's, per QNetworkAccessManager and host

// One run of TeamsOps, from start (restoring the store) to exit or crash: the store, the
// sign-in (an app secret, renewed when Graph says 401) and the poller, as the app wires them.
class Instance
{
public:
    Instance(const QString &path, const QUrl &graphUrl, Clock &clock)
        : m_clock(clock)
        , m_identity(signInConfig(graphUrl))
        , m_session(m_identity, clock)
        , m_client(graphUrl, m_session.tokenProvider())
    {
        const OperationDatabase::OpenResult opened = m_database.open(path);
        if (!opened.ok)
            qFatal("soak: the store did not open: %s", qPrintable(opened.error));
        m_saver = std::make_unique<StoreSaver>(m_database, m_store, clock);
        m_restored = m_saver->restore();
        if (m_restored < 0)
            qFatal("soak: the store could not be read: %s", qPrintable(m_saver->lastError()));
        // Simulated time is not real time: a request may wait for the clock to move for as
        // long as the harness takes, so Qt's real-time transfer timeout would abort answers
        // still on their way. The reply deadline (the app's two minutes) runs on the moved
        // clock instead: it is what ends the requests the simulator never answers.
        m_client.setTransferTimeout(std::chrono::hours(1));
        m_client.setClock(&clock);
        const AppCredential credential{kSecret, nullptr};
        m_session.setAppCredential(credential);
        m_identity.requestAppToken(
            credential, m_clock.now(), &m_receiver, [this](const IdentityReply &reply) {
                if (!reply.ok())
                    qFatal("soak: no app token: %s", qPrintable(reply.describe()));
                TokenSet tokens = TokenSet::fromTokenAnswer(reply.json, m_clock.now());
                tokens.appOnly = true;
                m_session.setTokens(tokens);
                startPolling();
            });
        m_tokenPending = true;
        QObject::connect(&m_session, &SignInSession::renewed, &m_receiver, [this] {
            ++m_renewals;
            if (m_poller && m_poller->isPausedForSignIn())
                m_poller->resume();
        });
        QObject::connect(&m_session, &SignInSession::lost, &m_receiver, [](const QString &why) {
            qFatal("soak: sign-in lost: %s", qPrintable(why));
        });
    }

    qsizetype restored() const { return m_restored; }
    int renewals() const { return m_renewals; }
    bool isRenewing() const { return m_tokenPending || m_session.isRenewing(); }
    OperationStore &store() { return m_store; }
    OperationPoller *poller() const { return m_poller.get(); }
    void saveNow() { m_saver->saveNow(); }

    void watch(const OperationRef &ref, const QString &location)
    {
        if (m_poller)
            m_poller->watch(ref, location);
        else
            m_pending.append({ref, location});
    }
    int inFlight() const
    {
        const int polls = m_poller ? m_poller->inFlightRequests() : 0;
        return std::min(polls, kConnectionsPerHost) +
               (m_tokenPending || m_session.isRenewing() ? 1 : 0);
    }
    QDateTime wakeAt() const { return m_poller ? m_poller->wakeAt() : QDateTime(); }

private:
    static SignInConfig signInConfig(const QUrl &graphUrl)
    {
        SignInConfig config;
        QUrl host = graphUrl;
        host.setPath(QString());
        config.authorityHost = host;
        config.tenant = QStringLiteral("contoso.onmicrosoft.com");
        config.clientId = kClientId;
        config.graphUrl = graphUrl;
        return config;
    }

    void startPolling()
    {
        m_tokenPending = false;
        m_poller = std::make_unique<OperationPoller>(m_client, m_clock, m_store);
        m_poller->setInterval(std::chrono::seconds(30));
        m_poller->restorePace(m_saver->savedPace());
        m_saver->setPaceSource([this] { return m_poller->savedPace(); });
        QObject::connect(m_poller.get(), &OperationPoller::authenticationRequired, &m_receiver,
                         [this] {
                             if (!m_session.isRenewing())
                                 m_session.renew();
                         });
        for (const auto &[ref, location] : std::as_const(m_pending))
            m_poller->watch(ref, location);
        m_pending.clear();
    }

    Clock &m_clock;
    OperationDatabase m_database;
    OperationStore m_store;
    std::unique_ptr<StoreSaver> m_saver;
    IdentityClient m_identity;
    SignInSession m_session;
    GraphClient m_client;
    std::unique_ptr<OperationPoller> m_poller;
    QObject m_receiver;
    QList<std::pair<OperationRef, QString>> m_pending;
    qsizetype m_restored = 0;
    bool m_tokenPending = false;
    int m_renewals = 0;
};

} // namespace soak
