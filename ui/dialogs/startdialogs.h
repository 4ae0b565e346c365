#pragma once

#include "model/operationref.h"
#include "start/bulkclone.h"
#include "start/teamrequests.h"

#include <QDialog>
#include <QPointer>

class BulkCloner;
class Clock;
class GraphClient;
class QCheckBox;
class QListWidget;
class QProgressBar;
class QSpinBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

// Clone a team: the source (picked from the teams the user belongs to, with search, or pasted as
// an id or URL), the new team's name, description, classification and visibility, and the parts
// to clone — with Graph's rules kept as the boxes are ticked (tabs bring apps and channels with
// them). OK stays off, saying why, while the request would be refused; below, the request exactly
// as it will be sent. "Make several clones" turns the name into a pattern ("Project {n}", with a
// count) or takes the names from a CSV file; Start then sends them paced (BulkCloner), with a
// progress bar, the time left, Cancel, and the refused ones listed for a retry.
class CloneDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloneDialog)
public:
    CloneDialog(GraphClient &client, Clock &clock, QWidget *parent = nullptr);

    // Several clones: from a pattern with {n} and a count, or (csvPath set) from a CSV file.
    void setMany(bool many, int count = 10, const QString &csvPath = QString());
    bool isMany() const;
    BulkCloner *bulk() const { return m_bulk; }
    QString progressText() const;
    QStringList refusedLines() const;
    void retryRefused();

    // The source to start from: a team id or what was pasted, and the team's name when known
    // (then shown as the list shows its teams, "Name — id", and picked from it once listed).
    void setSource(const QString &teamIdOrText, const QString &name = QString());
    // A bulk clone takes its POSTs' places in this poller's team budget (BulkCloner).
    void sharePollingBudget(OperationPoller *poller) { m_pollingBudget = poller; }
    // Each clone of a bulk saved in the store before it is sent (OperationStarter::setJournal).
    void setJournal(StartJournal *journal) { m_journal = journal; }
    // Shows an interrupted bulk clone (a saved plan) and sends what is left of it, as the bulk
    // it was: its progress, refusals and retry.
    bool resumePlan(const QString &planId, const QList<StartRecord> &starts);
    void setDisplayName(const QString &name);
    // The request OK sends; empty path while there is a problem.
    TeamRequest request() const;
    QString problem() const;
    QString preview() const;
    // How many teams the source list holds (once /me/joinedTeams answered).
    int teamCount() const;

signals:
    // One clone of a bulk was accepted: watch it (the parts tell its readiness).
    void cloneStarted(const OperationStarter::Result &clone, const QStringList &parts);

private:
    // How the list shows a team: "Name — id".
    static QString sourceText(const QString &name, const QString &teamId);
    CloneOptions options() const;
    QList<BulkCloneName> names(QString &problem) const;
    void keepGraphsRules(QCheckBox *changed);
    void update();
    void startBulk();
    // The bulk and its progress shown in place of the form.
    void makeBulk();
    void showProgress();

    GraphClient &m_client;
    Clock &m_clock;
    QPointer<OperationPoller> m_pollingBudget;
    StartJournal *m_journal = nullptr;
    QCheckBox *m_many;
    QSpinBox *m_count;
    QLineEdit *m_csv;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QListWidget *m_refused;
    QPushButton *m_retry;
    QPushButton *m_cancel;
    QWidget *m_formArea;
    BulkCloner *m_bulk = nullptr;
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
