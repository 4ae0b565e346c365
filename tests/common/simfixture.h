#pragma once

// A simulated tenant on 127.0.0.1 driven by a manual clock, for tests that talk real HTTP.

#include "model/clock.h"
#include "signin/signinconfig.h"
#include "simserver.h"
#include "simtenant.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

struct SimFixture
{
    ManualClock clock{QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC)};
    SimTenant tenant{[this] { return clock.now(); }, 1.0};
    SimServer server{tenant, QStringLiteral("test-token")};

    explicit SimFixture(const QJsonObject &scenario = {})
    {
        if (!scenario.isEmpty()) {
            const QString problem =
                tenant.loadScenario(QJsonDocument(scenario).toJson(QJsonDocument::Compact));
            if (!problem.isEmpty())
                qFatal("bad test scenario: %s", qPrintable(problem));
        }
        if (server.listen() == 0)
            qFatal("simulator could not listen on 127.0.0.1");
    }

    QUrl base() const { return server.baseUrl(); }
};

// Signing in at the simulator's identity platform, as its demo app, for its Graph.
inline SignInConfig signInConfigOf(const SimFixture &sim)
{
    SignInConfig config;
    QUrl authority = sim.base();
    authority.setPath(QString());
    config.authorityHost = authority;
    config.tenant = sim.tenant.tenantId();
    config.clientId = SimIdentity::demoClientId();
    config.graphUrl = sim.base();
    return config;
}

inline QJsonObject team(const QString &id, const QString &name)
{
    return QJsonObject{{"id", id}, {"displayName", name}, {"visibility", "private"}};
}

inline QJsonObject operation(const QString &id, const QString &teamId, double startAfter,
                             double duration, const QString &outcome = QStringLiteral("succeeded"),
                             int attempts = 1)
{
    return QJsonObject{{"id", id},
                       {"teamId", teamId},
                       {"operationType", "cloneTeam"},
                       {"startAfter", startAfter},
                       {"duration", duration},
                       {"outcome", outcome},
                       {"attempts", attempts}};
}
