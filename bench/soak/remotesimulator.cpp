#include "remotesimulator.h"

#include <QJsonDocument>

namespace soak {

RemoteSimulator::RemoteSimulator(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &RemoteSimulator::readLines);
}

RemoteSimulator::~RemoteSimulator()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.write("quit\n");
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(10000))
        m_process.kill();
}

void RemoteSimulator::start(const QString &program, const QStringList &arguments)
{
    m_process.start(program, arguments);
    if (!m_process.waitForStarted())
        qFatal("soak: the simulator process did not start: %s",
               qPrintable(m_process.errorString()));
    const QByteArray port = awaitLine("port").mid(5);
    m_baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1.0").arg(QString::fromLatin1(port)));
    for (;;) {
        const QByteArray line = awaitLine(QByteArray());
        if (line == "planned")
            break;
        const QList<QByteArray> words = line.split(' ');
        if (words.size() != 4 || words[0] != "plan")
            qFatal("soak: the simulator sent \"%s\" in its plan", line.constData());
        m_planned.append(
            {words[1].toDouble(), QString::fromLatin1(words[2]), QString::fromLatin1(words[3])});
    }
}

void RemoteSimulator::readLines()
{
    while (m_process.canReadLine()) {
        QByteArray line = m_process.readLine();
        line.chop(1);
        if (!line.startsWith("state ")) {
            m_replies.append(line);
            continue;
        }
        const QList<QByteArray> words = line.split(' ');
        m_inTransit = words.value(1).toInt();
        m_held = words.value(2).toInt();
        const qint64 next = words.value(3).toLongLong();
        m_nextArrival = next < 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(next, Qt::UTC);
    }
}

// The next line other than a state line; it must start with `word` unless that is empty.
QByteArray RemoteSimulator::awaitLine(const QByteArray &word)
{
    readLines();
    while (m_replies.isEmpty()) {
        if (m_process.state() != QProcess::Running || !m_process.waitForReadyRead(60000))
            qFatal("soak: the simulator process stopped answering (%s)",
                   qPrintable(m_process.errorString()));
        readLines();
    }
    const QByteArray line = m_replies.takeFirst();
    if (!word.isEmpty() && !line.startsWith(word))
        qFatal("soak: the simulator answered \"%s\", not %s", line.constData(), word.constData());
    return line;
}

QByteArray RemoteSimulator::ask(const QByteArray &command, const QByteArray &replyWord)
{
    m_process.write(command + '\n');
    m_process.waitForBytesWritten();
    return awaitLine(replyWord);
}

void RemoteSimulator::advanceTo(const QDateTime &to)
{
    ask("advance " + QByteArray::number(to.toMSecsSinceEpoch()), "advanced");
}

std::optional<QJsonObject> RemoteSimulator::operationJson(const QString &teamId,
                                                          const QString &operationId)
{
    const QByteArray answer =
        ask("truth " + teamId.toLatin1() + ' ' + operationId.toLatin1(), "truth").mid(6);
    if (answer == "none")
        return std::nullopt;
    return QJsonDocument::fromJson(answer).object();
}

SimulatorFigures RemoteSimulator::figures()
{
    const QList<QByteArray> words = ask("stats", "stats").split(' ');
    if (words.size() != 7)
        qFatal("soak: the simulator's figures were cut short");
    return {words[1].toLongLong(), words[2].toLongLong(), words[3].toLongLong(),
            words[4].toLongLong(), words[5].toLongLong(), words[6].toLongLong()};
}

} // namespace soak
