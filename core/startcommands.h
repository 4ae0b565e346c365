#pragma once

#include "operationstarter.h"
#include "teamrequests.h"

#include <QObject>
#include <QStringList>

class Clock;
class GraphClient;
class QCommandLineParser;
class QTextStream;

// teamsops-cli clone, archive, unarchive, create and operations create: the options they take,
// the request they make (checked before anything is sent), and sending it — once, or again after
// a throttled answer's Retry-After — then printing the Location (or, with --json, one object).
// With --watch the caller goes on to watch the operation as `watch` does.
class StartCommands final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartCommands)
public:
    static bool isStartCommand(const QString &command);
    static void addOptions(QCommandLineParser &parser);
    // The request for `command` and its positional arguments; empty path and `problem` set when
    // the command line cannot make one. `--body -` reads stdin.
    static TeamRequest build(const QString &command, const QStringList &positional,
                             const QCommandLineParser &parser, QString &problem);

    StartCommands(GraphClient &client, Clock &clock, QTextStream &out, QTextStream &err, bool json,
                  QObject *parent = nullptr);

    // Sends it; done(exit code, the operation's Location to watch — empty when there is none).
    void run(const TeamRequest &request, std::function<void(int, const QString &)> done);

private:
    void report(const TeamRequest &request, const OperationStarter::Result &result);

    GraphClient &m_client;
    QTextStream &m_out;
    QTextStream &m_err;
    bool m_json;
    OperationStarter m_starter;
};
