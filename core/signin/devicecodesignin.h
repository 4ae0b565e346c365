#pragma once

#include "signin/tokenset.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

class Clock;
class IdentityClient;

// The device code flow (RFC 8628), for machines without a usable browser and for the CLI: ask for
// a code, show the URL and the user code, then poll the token endpoint no faster than the interval
// the platform gave — five seconds slower after each slow_down — until the user approves, declines
// or the code expires.
class DeviceCodeSignIn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceCodeSignIn)
public:
    DeviceCodeSignIn(IdentityClient &client, Clock &clock, QObject *parent = nullptr);

    // How long one of the platform's seconds lasts here. Tests speed the simulated tenant up and
    // this with it; the app leaves it at a second.
    void setSecondLength(std::chrono::milliseconds length) { m_second = length; }
    std::chrono::seconds interval() const { return m_interval; }

    void start();
    void cancel();

signals:
    // Show these to the user: open verificationUri and enter userCode. `message` is the
    // platform's own sentence saying so (in the user's language).
    void prompt(const QString &verificationUri, const QString &userCode, const QString &message);
    void signedIn(const TokenSet &tokens);
    // One line for people: what happened in plain words, then the platform's error and
    // error_description.
    void failed(const QString &message);

private:
    void poll();
    void schedulePoll();
    void fail(const QString &plainWords, const QString &platformError);

    IdentityClient &m_client;
    Clock &m_clock;
    QTimer m_timer;
    QElapsedTimer m_sinceCode;
    QString m_deviceCode;
    std::chrono::seconds m_interval{5};
    std::chrono::seconds m_lifetime{900};
    std::chrono::milliseconds m_second{1000};
    bool m_running = false;
};
