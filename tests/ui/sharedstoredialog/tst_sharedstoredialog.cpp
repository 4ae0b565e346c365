// Settings → Shared store against a real PostgreSQL server and a real Secret Service (the test
// runs in with-keyring.sh): what is typed is tried before it is kept; the URL goes to the
// settings, the password only to the keychain.
#include "dialogs/sharedstoredialog.h"
#include "i18n/translations.h"
#include "signin/storepassword.h"
#include "store/operationdatabase.h"

#include "postgresserver.h"

#include <QCheckBox>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

class TestSharedStoreDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void refusesWhatDoesNotWork();
    void keepsTheUrlInSettingsAndThePasswordInTheKeychain();

private:
    void type(SharedStoreDialog &dialog, const QString &url, const QString &password, bool remember)
    {
        dialog.findChild<QLineEdit *>(QStringLiteral("sharedStoreUrl"))->setText(url);
        dialog.findChild<QLineEdit *>(QStringLiteral("sharedStorePassword"))->setText(password);
        dialog.findChild<QCheckBox *>(QStringLiteral("sharedStoreRemember"))->setChecked(remember);
    }

    PostgresServer m_server;
    QString m_url;
};

void TestSharedStoreDialog::initTestCase()
{
    QVERIFY(installTranslations(*QCoreApplication::instance()));
    QStandardPaths::setTestModeEnabled(true); // settings of the test's own
    QCoreApplication::setOrganizationName(QStringLiteral("TeamsOpsTest"));
    QCoreApplication::setApplicationName(QStringLiteral("TeamsOpsTest"));
    QSettings().clear();
    qunsetenv("PGPASSWORD");
    qputenv("PGPASSFILE", "/nonexistent");
    const QString problem = m_server.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(m_server.createDatabase(QStringLiteral("team")), QString());
    m_url = m_server.url(QStringLiteral("team"));
}

void TestSharedStoreDialog::refusesWhatDoesNotWork()
{
    SharedStoreDialog dialog;
    dialog.show();
    type(dialog, QStringLiteral("/home/admin/operations.sqlite"), QString(), false);
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.resultText().startsWith("Cannot use it: the URL starts postgresql://"),
             qPrintable(dialog.resultText()));

    type(dialog, m_url, QStringLiteral("not the password"), true);
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.resultText().contains("password authentication failed"),
             qPrintable(dialog.resultText()));
    QVERIFY(!dialog.resultText().contains("not the password"));
    QCOMPARE(SharedStoreDialog::savedUrl(), QString());
    QString problem;
    QCOMPARE(StorePassword::readNow(m_url, problem), QString());
}

void TestSharedStoreDialog::keepsTheUrlInSettingsAndThePasswordInTheKeychain()
{
    SharedStoreDialog dialog;
    dialog.show();
    type(dialog, m_url, m_server.password(), true);
    QVERIFY(dialog.test());
    QCOMPARE(dialog.resultText(),
             QStringLiteral("Works: connected; the store holds 0 operations."));
    dialog.accept();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(SharedStoreDialog::savedUrl(), m_url);
    // Tried, so set up: a store another TeamsOps can open.
    OperationDatabase::rememberPassword(m_url, QString());
    qputenv("PGPASSWORD", m_server.password().toUtf8());
    OperationDatabase database;
    QVERIFY(database.open(m_url, OperationDatabase::Access::ReadOnly).ok);
    qunsetenv("PGPASSWORD");

    // The password is in the keychain, under the URL, and nowhere in the settings file.
    QString problem;
    QTRY_COMPARE(StorePassword::readNow(m_url, problem), m_server.password());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // teamsops-cli finds it there too, with no PGPASSWORD and no ~/.pgpass.
    QProcess cli;
    cli.start(QStringLiteral(TEAMSOPS_CLI_PATH),
              {QStringLiteral("list"), QStringLiteral("--store"), m_url});
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

    QSettings().sync();
    QFile settings(QSettings().fileName());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(!settings.readAll().contains(m_server.password().toUtf8()));

    // Back to one admin's file: the URL and the kept password both go.
    SharedStoreDialog again;
    again.show();
    QPushButton *ownFile = again.findChild<QPushButton *>(QStringLiteral("sharedStoreOwnFile"));
    QVERIFY(ownFile && ownFile->isEnabled());
    ownFile->click();
    QCOMPARE(SharedStoreDialog::savedUrl(), QString());
    QTRY_COMPARE(StorePassword::readNow(m_url, problem), QString());
}

QTEST_MAIN(TestSharedStoreDialog)
#include "tst_sharedstoredialog.moc"
