#pragma once

class QCoreApplication;

// Installs TeamsOps' translation for the user's language, falling back to English. English has
// one too: it holds the plural forms of the "%n poll(s)" strings ("1 poll", "2 polls"), which
// tr() takes from a translation (resources/translations/teamsops_en.ts). Returns whether one was
// installed; without it, plurals read "1 poll(s)" but nothing else changes.
bool installTranslations(QCoreApplication &app);
