#include "startdialogs.h"

#include "graphclient.h"
#include "joinedteams.h"
#include "operationpresentation.h"
#include "operationref.h"
#include "teamoperations.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

QPlainTextEdit *previewBox(QWidget *parent)
{
    auto *box = new QPlainTextEdit(parent);
    box->setReadOnly(true);
    box->setObjectName(QStringLiteral("requestPreview"));
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    box->setMinimumHeight(box->fontMetrics().lineSpacing() * 9);
    box->setAccessibleName(QObject::tr("The request that will be sent"));
    return box;
}

QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("requestProblem"));
    label->setWordWrap(true);
    return label;
}

QComboBox *visibilityBox(const QString &sameAsSource, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    if (!sameAsSource.isEmpty())
        box->addItem(sameAsSource, QString());
    box->addItem(QObject::tr("Private"), QStringLiteral("private"));
    box->addItem(QObject::tr("Public"), QStringLiteral("public"));
    return box;
}

void showProblem(QLabel *label, QPushButton *ok, const QString &problem)
{
    // Said in words next to the greyed button, never by colour alone.
    label->setText(problem.isEmpty() ? QString()
                                     : QObject::tr("Cannot send yet: %1.").arg(problem));
    label->setVisible(!problem.isEmpty());
    ok->setEnabled(problem.isEmpty());
}

} // namespace

QString requestPreview(const GraphClient &client, const TeamRequest &request)
{
    if (request.path.isEmpty())
        return QString();
    const QUrl url = urlUnderBase(client.baseUrl(), request.path);
    QString text = QStringLiteral("POST %1\nContent-Type: application/json\n\n")
                       .arg(url.toString(QUrl::FullyEncoded));
    text += QString::fromUtf8(QJsonDocument(request.body).toJson(QJsonDocument::Indented));
    return text;
}

CloneDialog::CloneDialog(GraphClient &client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_source(new QComboBox(this))
    , m_sourceNote(new QLabel(tr("Loading the teams you belong to…"), this))
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_classification(new QLineEdit(this))
    , m_visibility(visibilityBox(tr("Same as the source"), this))
    , m_preview(previewBox(this))
    , m_problem(problemLabel(this))
{
    setWindowTitle(tr("Clone a team"));
    setObjectName(QStringLiteral("cloneDialog"));
    m_source->setEditable(true);
    m_source->setObjectName(QStringLiteral("cloneSource"));
    m_source->setInsertPolicy(QComboBox::NoInsert);
    m_source->lineEdit()->setPlaceholderText(tr("Search your teams, or paste a team id or URL"));
    m_source->completer()->setFilterMode(Qt::MatchContains);
    m_source->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_source->setAccessibleName(tr("Source team"));
    m_sourceNote->setWordWrap(true);
    m_name->setObjectName(QStringLiteral("cloneName"));
    m_name->setPlaceholderText(tr("Required"));
    m_name->setMaxLength(256);

    auto *partsRow = new QHBoxLayout;
    for (const QString &part : cloneParts()) {
        auto *box = new QCheckBox(part, this);
        box->setObjectName(QStringLiteral("clonePart-") + part);
        partsRow->addWidget(box);
        m_parts.append(box);
        connect(box, &QCheckBox::toggled, this, [this, box] { keepGraphsRules(box); });
    }
    partsRow->addStretch(1);
    auto *rules = new QLabel(tr("Tabs are cloned only with apps and channels; private channels and "
                                "org-wide teams are never cloned."),
                             this);
    rules->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Clone"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Source team:"), m_source);
    form->addRow(QString(), m_sourceNote);
    form->addRow(tr("New team's &name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("C&lassification:"), m_classification);
    form->addRow(tr("&Visibility:"), m_visibility);
    form->addRow(tr("Parts to clone:"), partsRow);
    form->addRow(QString(), rules);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Request:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    for (QLineEdit *edit : {m_name, m_description, m_classification, m_source->lineEdit()})
        connect(edit, &QLineEdit::textChanged, this, &CloneDialog::update);
    connect(m_visibility, &QComboBox::currentIndexChanged, this, &CloneDialog::update);
    connect(m_source, &QComboBox::currentIndexChanged, this, &CloneDialog::update);
    update();
    resize(640, sizeHint().height());

    listJoinedTeams(client, this, [this](const JoinedTeamsResult &result) {
        const QString typed = m_source->currentText();
        for (const JoinedTeam &team : result.teams) {
            m_source->addItem(team.isArchived
                                  ? tr("%1 (archived) — %2").arg(team.displayName, team.id)
                                  : tr("%1 — %2").arg(team.displayName, team.id),
                              team.id);
        }
        m_source->setCurrentIndex(-1);
        m_source->setEditText(typed);
        m_sourceNote->setText(result.error.isEmpty()
                                  ? OperationPresentation::counted(
                                        int(result.teams.size()),
                                        tr("1 team you belong to; or paste any team's id or URL."),
                                        tr("%1 teams you belong to; or paste any team's id or "
                                           "URL."))
                                  : tr("Your teams could not be listed (%1); paste the team's id "
                                       "or URL.")
                                        .arg(result.error));
        update();
    });
}

int CloneDialog::teamCount() const
{
    return m_source->count();
}

void CloneDialog::setSource(const QString &teamIdOrText)
{
    m_source->setEditText(teamIdOrText);
}

void CloneDialog::setDisplayName(const QString &name)
{
    m_name->setText(name);
}

void CloneDialog::keepGraphsRules(QCheckBox *changed)
{
    QCheckBox *apps = m_parts.at(0), *tabs = m_parts.at(1), *channels = m_parts.at(3);
    if (changed == tabs && tabs->isChecked()) {
        apps->setChecked(true);
        channels->setChecked(true);
    }
    if ((changed == apps || changed == channels) && !changed->isChecked())
        tabs->setChecked(false);
    update();
}

CloneOptions CloneDialog::options() const
{
    CloneOptions options;
    // A picked team carries its id; typed text may be an id, /teams('id') or a URL.
    const int picked = m_source->findText(m_source->currentText());
    options.sourceTeamId = picked >= 0 ? m_source->itemData(picked).toString()
                                       : teamIdFromText(m_source->currentText().trimmed());
    options.displayName = m_name->text();
    options.description = m_description->text();
    options.classification = m_classification->text();
    options.visibility = m_visibility->currentData().toString();
    for (QCheckBox *box : m_parts) {
        if (box->isChecked())
            options.parts.append(box->text());
    }
    return options;
}

TeamRequest CloneDialog::request() const
{
    QString problem;
    return cloneRequest(options(), problem);
}

QString CloneDialog::problem() const
{
    const QString typed = m_source->currentText().trimmed();
    if (typed.isEmpty())
        return tr("pick or paste the source team");
    const CloneOptions options = this->options();
    if (options.sourceTeamId.isEmpty())
        return tr("“%1” names no team").arg(typed);
    QString problem;
    cloneRequest(options, problem);
    return problem;
}

QString CloneDialog::preview() const
{
    return m_preview->toPlainText();
}

void CloneDialog::update()
{
    const QString problem = this->problem();
    showProblem(m_problem, m_ok, problem);
    m_preview->setPlainText(problem.isEmpty() ? requestPreview(m_client, request()) : QString());
}

CreateTeamDialog::CreateTeamDialog(GraphClient &client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_visibility(visibilityBox(QString(), this))
    , m_preview(previewBox(this))
    , m_problem(problemLabel(this))
{
    setWindowTitle(tr("Create a team"));
    setObjectName(QStringLiteral("createTeamDialog"));
    m_name->setObjectName(QStringLiteral("createName"));
    m_name->setPlaceholderText(tr("Required"));
    m_name->setMaxLength(256);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("C&reate"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Visibility:"), m_visibility);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("A new team from Microsoft's standard template."), this));
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Request:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    for (QLineEdit *edit : {m_name, m_description})
        connect(edit, &QLineEdit::textChanged, this, &CreateTeamDialog::update);
    connect(m_visibility, &QComboBox::currentIndexChanged, this, &CreateTeamDialog::update);
    update();
    resize(560, sizeHint().height());
}

void CreateTeamDialog::setDisplayName(const QString &name)
{
    m_name->setText(name);
}

TeamRequest CreateTeamDialog::request() const
{
    QString problem;
    return createTeamRequest(
        {m_name->text(), m_description->text(), m_visibility->currentData().toString()}, problem);
}

QString CreateTeamDialog::problem() const
{
    QString problem;
    createTeamRequest(
        {m_name->text(), m_description->text(), m_visibility->currentData().toString()}, problem);
    return problem;
}

void CreateTeamDialog::update()
{
    const QString problem = this->problem();
    showProblem(m_problem, m_ok, problem);
    m_preview->setPlainText(problem.isEmpty() ? requestPreview(m_client, request()) : QString());
}
