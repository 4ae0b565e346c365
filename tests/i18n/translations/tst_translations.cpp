// The English plural forms: every "%n" string lupdate finds in the sources reads as English for
// one and for many, once installTranslations() has run (as both apps' main() do).
#include "i18n/translations.h"

#include <QFile>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct NumerusMessage
{
    QString context;
    QString source;
};

// The messages with numerus="yes" in a .ts file.
QList<NumerusMessage> numerusMessages(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QXmlStreamReader xml(&file);
    QList<NumerusMessage> found;
    QString context;
    bool numerus = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (xml.name() == QLatin1String("source") && numerus) {
            found.append({context, xml.readElementText()});
        }
    }
    if (xml.hasError())
        qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return found;
}

QString translated(const NumerusMessage &message, int n)
{
    return QCoreApplication::translate(message.context.toUtf8().constData(),
                                       message.source.toUtf8().constData(), nullptr, n);
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void everyPluralReadsAsEnglish();
};

void TestTranslations::everyPluralReadsAsEnglish()
{
    QVERIFY(installTranslations(*QCoreApplication::instance()));
    const QList<NumerusMessage> messages = numerusMessages(QStringLiteral(TEAMSOPS_TS_TEMPLATE));
    QVERIFY2(messages.size() >= 17, "lupdate found fewer plural strings than the sources hold");
    for (const NumerusMessage &message : messages) {
        const QString one = translated(message, 1);
        const QString many = translated(message, 3);
        QVERIFY2(!one.contains(QLatin1String("(s)")) && !many.contains(QLatin1String("(s)")),
                 qPrintable(QStringLiteral("%1: \"%2\" has no English plural forms in "
                                           "resources/translations/teamsops_en.ts")
                                .arg(message.context, message.source)));
    }
    // And the forms are the right way round.
    const NumerusMessage polls{QStringLiteral("DetailsPane"), QStringLiteral("%n poll(s)")};
    QCOMPARE(translated(polls, 1), QStringLiteral("1 poll"));
    QCOMPARE(translated(polls, 0), QStringLiteral("0 polls"));
    QCOMPARE(translated(polls, 2), QStringLiteral("2 polls"));
    const NumerusMessage archive{QStringLiteral("StartController"),
                                 QStringLiteral("Archive %n team(s)?")};
    QCOMPARE(translated(archive, 1), QStringLiteral("Archive this team?"));
    QCOMPARE(translated(archive, 4), QStringLiteral("Archive these 4 teams?"));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
