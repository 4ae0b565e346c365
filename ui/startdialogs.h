#pragma once

#include "teamrequests.h"

#include <QDialog>

class GraphClient;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

// Clone a team: the source (picked from the teams the user belongs to, with search, or pasted as
// an id or URL), the new team's name, description, classification and visibility, and the parts
// to clone — with Graph's rules kept as the boxes are ticked (tabs bring apps and channels with
// them). OK stays off, saying why, while the request would be refused; below, the request exactly
// as it will be sent.
class CloneDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloneDialog)
public:
    explicit CloneDialog(GraphClient &client, QWidget *parent = nullptr);

    void setSource(const QString &teamIdOrText);
    void setDisplayName(const QString &name);
    // The request OK sends; empty path while there is a problem.
    TeamRequest request() const;
    QString problem() const;
    QString preview() const;
    // How many teams the source list holds (once /me/joinedTeams answered).
    int teamCount() const;

private:
    CloneOptions options() const;
    void keepGraphsRules(QCheckBox *changed);
    void update();

    GraphClient &m_client;
    QComboBox *m_source;
    QLabel *m_sourceNote;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QLineEdit *m_classification;
    QComboBox *m_visibility;
    QList<QCheckBox *> m_parts; // in cloneParts() order
    QPlainTextEdit *m_preview;
    QLabel *m_problem;
    QPushButton *m_ok;
};

// Create a team from the standard template: name, description, visibility, and the request.
class CreateTeamDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CreateTeamDialog)
public:
    explicit CreateTeamDialog(GraphClient &client, QWidget *parent = nullptr);
    void setDisplayName(const QString &name);
    TeamRequest request() const;
    QString problem() const;

private:
    void update();

    GraphClient &m_client;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QComboBox *m_visibility;
    QPlainTextEdit *m_preview;
    QLabel *m_problem;
    QPushButton *m_ok;
};

// "POST https://…/teams/{id}/clone" and the body, indented: what a preview shows.
QString requestPreview(const GraphClient &client, const TeamRequest &request);
