#pragma once

// A real PostgreSQL server for the tests (Debian's postgresql package): initdb into a temporary
// folder, started on a free port of 127.0.0.1, stopped and its folder removed when this goes.
// Run as root, the server runs as the postgres user, as PostgreSQL insists. Connections over TCP
// need a password (scram-sha-256), as on a real shared server; the tests give it the way an admin
// would, through PGPASSWORD, never in the URL.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

class PostgresServer
{
    Q_DISABLE_COPY_MOVE(PostgresServer)
public:
    static constexpr const char *kUser = "teamsops";

    PostgresServer() = default;
    ~PostgresServer() { stop(); }

    // Empty when the server is up; else what went wrong.
    QString start()
    {
        const QStringList found = QDir(QStringLiteral("/usr/lib/postgresql"))
                                      .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &version : found) {
            const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(version);
            if (QFile::exists(bin + QStringLiteral("/initdb")))
                m_bin = bin;
        }
        if (m_bin.isEmpty())
            return QStringLiteral("no PostgreSQL server here (Debian's postgresql package)");
        if (!m_dir.isValid())
            return QStringLiteral("no temporary folder");
        if (geteuid() ==
            0) { // PostgreSQL refuses to run as root: as postgres, in a folder of its own
            const passwd *user = getpwnam("postgres");
            if (!user)
                return QStringLiteral("running as root and there is no postgres user");
            if (chown(qPrintable(m_dir.path()), user->pw_uid, user->pw_gid) != 0)
                return QStringLiteral("cannot give the folder to postgres");
            m_runAs = {QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("postgres"),
                       QStringLiteral("--")};
        }
        m_password = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QFile passwordFile(m_dir.filePath(QStringLiteral("password")));
        if (!passwordFile.open(QIODevice::WriteOnly) || passwordFile.write(m_password.toUtf8()) < 0)
            return QStringLiteral("cannot write the password file");
        passwordFile.close();
        passwordFile.setPermissions(QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
        QString problem =
            run(QStringLiteral("initdb"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QString::fromLatin1(kUser),
                 QStringLiteral("--pwfile=") + passwordFile.fileName(),
                 QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("--auth-local=trust"),
                 QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--no-sync")});
        if (!problem.isEmpty())
            return problem;
        QTcpServer probe; // a free port, given back at once for the server
        if (!probe.listen(QHostAddress::LocalHost))
            return QStringLiteral("no free port on 127.0.0.1");
        m_port = probe.serverPort();
        probe.close();
        return startServer();
    }

    // Stops the server as a crash or an admin would: connections are cut.
    QString stopServer()
    {
        if (!m_running)
            return QString();
        m_running = false;
        return run(QStringLiteral("pg_ctl"),
                   {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"),
                    QStringLiteral("-w"), QStringLiteral("stop")});
    }

    // Restarts the server speaking TLS with this certificate and key (PEM), as an admin sets
    // ssl = on; empty when it is up again.
    QString useTls(const QByteArray &certificatePem, const QByteArray &keyPem)
    {
        const QString certificate = m_dir.filePath(QStringLiteral("server.crt"));
        const QString key = m_dir.filePath(QStringLiteral("server.key"));
        QFile certificateFile(certificate);
        QFile keyFile(key);
        if (!certificateFile.open(QIODevice::WriteOnly) || !keyFile.open(QIODevice::WriteOnly) ||
            certificateFile.write(certificatePem) < 0 || keyFile.write(keyPem) < 0)
            return QStringLiteral("cannot write the server's certificate");
        certificateFile.close();
        keyFile.close();
        // The server refuses a key others can read; run as root, it must be postgres's.
        keyFile.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        if (geteuid() == 0) {
            const passwd *user = getpwnam("postgres");
            if (!user || chown(qPrintable(key), user->pw_uid, user->pw_gid) != 0 ||
                chown(qPrintable(certificate), user->pw_uid, user->pw_gid) != 0)
                return QStringLiteral("cannot give the key to postgres");
        }
        m_extraOptions = QStringLiteral(" -c ssl=on -c ssl_cert_file=%1 -c ssl_key_file=%2")
                             .arg(certificate, key);
        const QString stopped = stopServer();
        return stopped.isEmpty() ? startServer() : stopped;
    }

    QString startServer()
    {
        const QString problem =
            run(QStringLiteral("pg_ctl"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"),
                 m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"),
                 QStringLiteral("-o"),
                 QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off")
                         .arg(m_port)
                         .arg(m_dir.path()) +
                     m_extraOptions,
                 QStringLiteral("start")});
        m_running = problem.isEmpty();
        return problem;
    }

    void stop() { stopServer(); }

    quint16 port() const { return m_port; }
    QString password() const { return m_password; }

    // postgresql://teamsops@127.0.0.1:PORT/DATABASE
    QString url(const QString &database) const
    {
        return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
            .arg(QString::fromLatin1(kUser))
            .arg(m_port)
            .arg(database);
    }

    // A new, empty database; empty when made, else why not.
    QString createDatabase(const QString &name) const
    {
        return sql({QStringLiteral("CREATE DATABASE \"%1\"").arg(name)});
    }

    // Statements run as the superuser in `database`; empty when every one ran.
    QString sql(const QStringList &statements,
                const QString &database = QStringLiteral("postgres")) const
    {
        const QString connection = QUuid::createUuid().toString();
        QString problem;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(m_port);
            db.setUserName(QString::fromLatin1(kUser));
            db.setPassword(m_password);
            db.setDatabaseName(database);
            if (!db.open()) {
                problem = db.lastError().text();
            } else {
                for (const QString &statement : statements) {
                    QSqlQuery query(db);
                    if (!query.exec(statement)) {
                        problem = statement + QStringLiteral(": ") + query.lastError().text();
                        break;
                    }
                }
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
        return problem;
    }

private:
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }

    QString run(const QString &program, const QStringList &arguments) const
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        QStringList command = m_runAs;
        command << m_bin + QLatin1Char('/') + program << arguments;
        process.start(command.takeFirst(), command);
        if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit ||
            process.exitCode() != 0) {
            QFile log(m_dir.filePath(QStringLiteral("server.log")));
            log.open(QIODevice::ReadOnly);
            return QStringLiteral("%1 failed: %2 %3")
                .arg(program, QString::fromLocal8Bit(process.readAll()),
                     QString::fromLocal8Bit(log.readAll().right(2000)));
        }
        return QString();
    }

    QTemporaryDir m_dir;
    QString m_bin;
    QStringList m_runAs;
    QString m_password;
    quint16 m_port = 0;
    bool m_running = false;
    QString m_extraOptions; // for pg_ctl -o, after the port and folders
};
