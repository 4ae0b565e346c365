#include "i18n/translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

bool installTranslations(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    const QString folder = QStringLiteral(":/i18n");
    const bool loaded =
        translator->load(QLocale(), QStringLiteral("teamsops"), QStringLiteral("_"), folder) ||
        translator->load(QStringLiteral("teamsops_en"), folder);
    if (!loaded || !QCoreApplication::installTranslator(translator)) {
        delete translator;
        return false;
    }
    return true;
}
