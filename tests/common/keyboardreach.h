#pragma once

// The menu bar as the keyboard sees it: Alt+letter opens each menu, and a letter (or a shortcut)
// picks each of its actions. Returns what cannot be reached so: an item without a letter or a
// shortcut, or a letter two items of one menu (or two menus) share.
#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QStringList>

inline QStringList unreachableByKeyboard(const QMenuBar &bar)
{
    const auto letterOf = [](const QString &text) {
        const qsizetype at = text.indexOf(QLatin1Char('&'));
        return at >= 0 && at + 1 < text.size() ? text.at(at + 1).toLower() : QChar();
    };
    QStringList unreachable;
    QSet<QChar> menuLetters;
    for (QAction *menuAction : bar.actions()) {
        const QChar menuLetter = letterOf(menuAction->text());
        if (menuLetter.isNull() || menuLetters.contains(menuLetter))
            unreachable.append(menuAction->text());
        menuLetters.insert(menuLetter);
        QSet<QChar> letters;
        for (QAction *action : menuAction->menu()->actions()) {
            if (action->isSeparator())
                continue;
            const QChar letter = letterOf(action->text());
            if ((letter.isNull() && action->shortcut().isEmpty()) ||
                (!letter.isNull() && letters.contains(letter)))
                unreachable.append(menuAction->text() + QStringLiteral(" → ") + action->text());
            letters.insert(letter);
        }
    }
    return unreachable;
}
