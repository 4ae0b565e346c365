#include "dialogs/startdialogs.h"

#include "graph/graphclient.h"
#include "graph/joinedteams.h"
#include "model/operationref.h"
#include "model/smallfile.h"
#include "polling/teamoperations.h"
#include "start/orgwideteams.h"
#include "table/operationpresentation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
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

CloneDialog::CloneDialog(GraphClient &client, Clock &clock, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_clock(clock)
    , m_many(new QCheckBox(tr("Make &several clones"), this))
    , m_count(new QSpinBox(this))
    , m_csv(new QLineEdit(this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_refused(new QListWidget(this))
    , m_retry(new QPushButton(tr("&Retry the refused"), this))
    , m_cancel(nullptr)
    , m_formArea(new QWidget(this))
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
    m_cancel = buttons->button(QDialogButtonBox::Cancel);
    buttons->addButton(m_retry, QDialogButtonBox::ActionRole);
    m_retry->hide();
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isMany())
            startBulk();
        else
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, [this] {
        if (m_bulk && m_bulk->isRunning())
            m_bulk->cancel(); // what is on its way finishes; the dialog stays to say so
        else
            reject();
    });
    connect(m_retry, &QPushButton::clicked, this, &CloneDialog::retryRefused);

    // Several clones: the name is a pattern, or the names come from a file.
    m_many->setObjectName(QStringLiteral("cloneMany"));
    m_count->setObjectName(QStringLiteral("cloneCount"));
    m_count->setRange(1, 1000);
    m_count->setValue(10);
    m_count->setPrefix(tr("count "));
    m_csv->setObjectName(QStringLiteral("cloneCsv"));
    m_csv->setPlaceholderText(tr("or a CSV file of names (and descriptions)"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Names of the new teams"),
                                                          QString(), tr("CSV files (*.csv *.txt)"));
        if (!path.isEmpty())
            m_csv->setText(path);
    });
    auto *manyRow = new QHBoxLayout;
    manyRow->addWidget(m_count);
    manyRow->addWidget(m_csv, 1);
    manyRow->addWidget(browse);
    auto *manyArea = new QWidget(this);
    manyArea->setLayout(manyRow);
    manyRow->setContentsMargins(0, 0, 0, 0);
    manyArea->setVisible(false);
    connect(m_many, &QCheckBox::toggled, this, [this, manyArea](bool many) {
        manyArea->setVisible(many);
        m_name->setPlaceholderText(many ? tr("Project {n}") : tr("Required"));
        m_ok->setText(many ? tr("&Start") : tr("&Clone"));
        update();
    });
    connect(m_count, &QSpinBox::valueChanged, this, &CloneDialog::update);
    connect(m_csv, &QLineEdit::textChanged, this, &CloneDialog::update);
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progressText->setObjectName(QStringLiteral("bulkProgressText"));
    m_refused->setObjectName(QStringLiteral("bulkRefused"));
    m_refused->setAccessibleName(tr("Refused requests"));
    for (QWidget *widget :
         {static_cast<QWidget *>(m_progress), static_cast<QWidget *>(m_progressText),
          static_cast<QWidget *>(m_refused)})
        widget->hide();

    auto *form = new QFormLayout(m_formArea);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Source team:"), m_source);
    form->addRow(QString(), m_sourceNote);
    form->addRow(tr("New team's &name:"), m_name);
    form->addRow(QString(), m_many);
    form->addRow(QString(), manyArea);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("C&lassification:"), m_classification);
    form->addRow(tr("&Visibility:"), m_visibility);
    form->addRow(tr("Parts to clone:"), partsRow);
    form->addRow(QString(), rules);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_formArea);
    layout->addWidget(new QLabel(tr("Request:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_refused);
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
                                  : sourceText(team.displayName, team.id),
                              team.id);
        }
        // A source set by its id (bare, or "Name — id"): picked by it from the list, so that its
        // name shows and its id is the one sent.
        const QString typedId = teamIdFromText(typed);
        const int byId = typedId.isEmpty()
                             ? -1
                             : m_source->findData(typedId, Qt::UserRole, Qt::MatchFixedString);
        m_source->setCurrentIndex(byId);
        if (byId < 0)
            m_source->setEditText(typed);
        m_sourceNote->setText(result.error.isEmpty()
                                  ? tr("%n team(s) you belong to; or paste any team's id or URL.",
                                       nullptr, int(result.teams.size()))
                                  : tr("Your teams could not be listed (%1); paste the team's id "
                                       "or URL.")
                                        .arg(result.error));
        update();
    });
}

QString CloneDialog::sourceText(const QString &name, const QString &teamId)
{
    return tr("%1 — %2").arg(name, teamId);
}

int CloneDialog::teamCount() const
{
    return m_source->count();
}

void CloneDialog::setSource(const QString &teamIdOrText, const QString &name)
{
    m_source->setEditText(name.isEmpty() ? teamIdOrText : sourceText(name, teamIdOrText));
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
    CloneOptions options = this->options();
    if (options.sourceTeamId.isEmpty())
        return tr("“%1” names no team").arg(typed);
    if (KnownOrgWideTeams::contains(options.sourceTeamId))
        return tr("Graph said this is an org-wide team, and org-wide teams cannot be cloned");
    QString problem;
    if (!isMany()) {
        cloneRequest(options, problem);
        return problem;
    }
    // Every clone of the bulk is checked before the first is sent.
    for (const BulkCloneName &name : names(problem)) {
        options.displayName = name.displayName;
        cloneRequest(options, problem);
        if (!problem.isEmpty())
            return tr("“%1”: %2").arg(name.displayName, problem);
    }
    return problem;
}

bool CloneDialog::isMany() const
{
    return m_many->isChecked();
}

void CloneDialog::setMany(bool many, int count, const QString &csvPath)
{
    m_many->setChecked(many);
    m_count->setValue(count);
    m_csv->setText(csvPath);
}

QList<BulkCloneName> CloneDialog::names(QString &problem) const
{
    const QString path = m_csv->text().trimmed();
    if (path.isEmpty())
        return namesFromPattern(m_name->text().trimmed(), m_count->value(), 1, problem);
    const QByteArray csv = readSmallFile(path, 1024 * 1024, tr("a list of team names"), problem);
    return problem.isEmpty() ? namesFromCsv(csv, problem) : QList<BulkCloneName>();
}

void CloneDialog::startBulk()
{
    QString problem;
    const QList<BulkCloneName> names = this->names(problem);
    if (!problem.isEmpty())
        return;
    makeBulk();
    m_bulk->start(options(), names, problem);
    showProgress();
}

bool CloneDialog::resumePlan(const QString &planId, const QList<StartRecord> &starts)
{
    makeBulk();
    QString problem;
    const bool resumed = m_bulk->resume(planId, starts, problem);
    if (!resumed)
        m_progressText->setText(problem);
    else
        showProgress();
    return resumed;
}

void CloneDialog::makeBulk()
{
    m_bulk = new BulkCloner(m_client, m_clock, this);
    m_bulk->sharePollingBudget(m_pollingBudget);
    m_bulk->setJournal(m_journal);
    connect(m_bulk, &BulkCloner::itemFinished, this, [this](int index) {
        const BulkCloner::Item &item = m_bulk->items().at(index);
        if (item.state == BulkCloner::Item::State::Accepted && item.result.ref) {
            emit cloneStarted(item.result, item.request.clonedParts());
        } else {
            KnownOrgWideTeams::learnFrom(item.request, item.result); // as a single clone does
        }
        showProgress();
    });
    connect(m_bulk, &BulkCloner::finished, this, &CloneDialog::showProgress);
    m_formArea->setEnabled(false);
    m_ok->setEnabled(false);
    for (QWidget *widget :
         {static_cast<QWidget *>(m_progress), static_cast<QWidget *>(m_progressText)})
        widget->show();
    resize(width(), std::max(height(), sizeHint().height()));
}

void CloneDialog::showProgress()
{
    if (!m_bulk)
        return;
    const int total = int(m_bulk->items().size());
    m_progress->setRange(0, total);
    m_progress->setValue(m_bulk->done());
    const qint64 left = m_bulk->timeLeft().count();
    QString text = tr("%1 of %2 sent: %3 accepted, %4 refused")
                       .arg(m_bulk->done())
                       .arg(total)
                       .arg(m_bulk->accepted())
                       .arg(m_bulk->refused());
    if (m_bulk->isRunning())
        text += tr(" — about %1 left").arg(OperationPresentation::durationText(left));
    else if (m_bulk->done() < total)
        text += tr(" — cancelled; the rest were not sent");
    m_progressText->setText(text);
    m_refused->clear();
    for (const BulkCloner::Item &item : m_bulk->items()) {
        if (item.state == BulkCloner::Item::State::Refused)
            m_refused->addItem(tr("%1 — %2").arg(item.request.label, item.result.message));
    }
    m_refused->setVisible(m_refused->count() > 0);
    m_retry->setVisible(!m_bulk->isRunning() && m_bulk->refused() > 0);
    m_cancel->setText(m_bulk->isRunning() ? tr("Cancel") : tr("Close"));
}

QString CloneDialog::progressText() const
{
    return m_progressText->text();
}

QStringList CloneDialog::refusedLines() const
{
    QStringList lines;
    for (int i = 0; i < m_refused->count(); ++i)
        lines.append(m_refused->item(i)->text());
    return lines;
}

void CloneDialog::retryRefused()
{
    if (!m_bulk || m_bulk->isRunning())
        return;
    m_bulk->retryRefused();
    showProgress();
}

QString CloneDialog::preview() const
{
    return m_preview->toPlainText();
}

void CloneDialog::update()
{
    if (m_bulk)
        return; // the bulk is under way: its form is fixed
    const QString problem = this->problem();
    showProblem(m_problem, m_ok, problem);
    if (!problem.isEmpty() || !isMany()) {
        m_preview->setPlainText(problem.isEmpty() ? requestPreview(m_client, request())
                                                  : QString());
        return;
    }
    QString ignored;
    const QList<BulkCloneName> names = this->names(ignored);
    CloneOptions first = options();
    first.displayName = names.value(0).displayName;
    if (!names.value(0).description.isEmpty())
        first.description = names.value(0).description;
    m_preview->setPlainText(requestPreview(m_client, cloneRequest(first, ignored)) +
                            tr("\n…and %n more like it", nullptr, int(names.size()) - 1) +
                            tr(", sent at most 3 a second (Graph allows 4 on one team)"));
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
