#pragma once

// The dashboard on a simulated tenant: the pieces app/gui/main.cpp wires (a Graph client, the
// watch list, its poller and the window), talking real HTTP to the simulator on 127.0.0.1, on the
// test's manual clock, polling every 30 s. Tests derive their own rig from it and add what they
// look at.

#include "graph/graphclient.h"
#include "model/operationref.h"
#include "polling/operationpoller.h"
#include "simfixture.h"
#include "store/operationstore.h"
#include "window/banner.h"
#include "window/mainwindow.h"

#include <QLabel>

struct WindowOnSimulator
{
    SimFixture sim;
    GraphClient client{sim.base(), [] { return QStringLiteral("test-token"); }};
    OperationStore store;
    OperationPoller poller{client, sim.clock, store};
    MainWindow window{client, poller, sim.clock};

    explicit WindowOnSimulator(const QJsonObject &scenario)
        : sim(scenario)
    {
        poller.setInterval(std::chrono::seconds(30));
    }

    // The operation of a team, as its Location names it.
    OperationRef refOf(const QString &team, const QString &operation) const
    {
        return *resolveLocation(
                    QStringLiteral("/teams('%1')/operations('%2')").arg(team, operation),
                    sim.base())
                    .ref;
    }
    Banner *banner() const { return window.findChild<Banner *>(QStringLiteral("banner")); }
};
