// Small files read whole or refused: a secret, a PEM, a request body or a CSV of names is never
// read in part, and each refusal says which file and why.
#include "model/smallfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

class TestSmallFile : public QObject
{
    Q_OBJECT
private slots:
    void readsAFileWhole();
    void refusesOneLargerThanItsKindCanBe();
    void saysWhyAFileCannotBeRead();
};

namespace {

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName();
}

} // namespace

void TestSmallFile::readsAFileWhole()
{
    QTemporaryDir dir;
    const QByteArray content(4096, 'x');
    QString problem;
    QCOMPARE(readSmallFile(write(dir, "body.json", content), 4096, "a request body", problem),
             content); // exactly the limit is still whole
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(readSmallFile(write(dir, "empty", {}), 10, "a secret", problem), QByteArray());
    QVERIFY(problem.isEmpty()); // empty is the caller's to judge
}

void TestSmallFile::refusesOneLargerThanItsKindCanBe()
{
    QTemporaryDir dir;
    const QString path = write(dir, "huge.pem", QByteArray(4097, 'x'));
    QString problem;
    QCOMPARE(readSmallFile(path, 4096, "a PEM file", problem), QByteArray()); // nothing, not a part
    QCOMPARE(problem, QStringLiteral("%1 is larger than a PEM file can be").arg(path));
}

void TestSmallFile::saysWhyAFileCannotBeRead()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath("missing.csv");
    QString problem;
    QCOMPARE(readSmallFile(missing, 100, "a list of team names", problem), QByteArray());
    QVERIFY2(problem.startsWith(QStringLiteral("cannot read %1: ").arg(missing)) &&
                 problem.size() > missing.size() + 14,
             qPrintable(problem));
    // "-" is standard input only where the caller allows it; elsewhere it is a file's name.
    problem.clear();
    QCOMPARE(readSmallFile(QStringLiteral("-"), 100, "a secret", problem), QByteArray());
    QVERIFY2(problem.startsWith(QLatin1String("cannot read -: ")), qPrintable(problem));
}

QTEST_GUILESS_MAIN(TestSmallFile)
#include "tst_smallfile.moc"
