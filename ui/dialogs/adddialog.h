#pragma once

#include "graph/locationlist.h"

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

// "Add operations": paste Locations or Graph URLs, one per line, or import a text file. The good
// lines are added; each bad one stays in the box with its own error, to fix or drop.
class AddDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddDialog)
public:
    AddDialog(const QUrl &graphBase, QWidget *parent = nullptr);

    void setText(const QString &text);
    bool importFile(const QString &path); // false (with the reason shown) when unreadable
    // Parses the box: good lines go out through addRequested; bad lines stay with their errors.
    void submit();

    QString text() const;
    QString errorsText() const;

    // "Watch a whole team": asks for every operation of the team named in the team box.
    void submitTeam();
    void setTeamText(const QString &text);

signals:
    void addRequested(const QList<LocationList::Good> &locations);
    void watchTeamRequested(const QString &teamId);

private:
    QUrl m_graphBase;
    QPlainTextEdit *m_edit;
    QLabel *m_errors;
    QLineEdit *m_team;
};
