#include "dialogs/adddialog.h"

#include "polling/teamoperations.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

AddDialog::AddDialog(const QUrl &graphBase, QWidget *parent)
    : QDialog(parent)
    , m_graphBase(graphBase)
    , m_edit(new QPlainTextEdit(this))
    , m_errors(new QLabel(this))
    , m_team(new QLineEdit(this))
{
    setWindowTitle(tr("Add operations"));
    resize(640, 420);
    auto *intro = new QLabel(tr("Paste the Location header of each operation, or its Graph URL, "
                                "one per line — any shape Graph uses, e.g. "
                                "<tt>/teams('…')/operations('…')</tt>."),
                             this);
    intro->setWordWrap(true);
    m_edit->setObjectName(QStringLiteral("locations"));
    m_edit->setPlaceholderText(QStringLiteral("/teams('team-id')/operations('operation-id')"));
    m_errors->setObjectName(QStringLiteral("errors"));
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *add = buttons->addButton(tr("Add"), QDialogButtonBox::AcceptRole);
    add->setDefault(true);
    QPushButton *import = buttons->addButton(tr("Import file…"), QDialogButtonBox::ActionRole);
    connect(add, &QPushButton::clicked, this, &AddDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(import, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import Locations"), QString(),
                                         tr("Text files (*.txt *.csv *.log);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });

    m_team->setObjectName(QStringLiteral("team"));
    m_team->setPlaceholderText(tr("Team id, /teams('…') or a Graph URL of the team"));
    auto *watchTeam = new QPushButton(tr("Watch all its operations"), this);
    connect(watchTeam, &QPushButton::clicked, this, &AddDialog::submitTeam);
    connect(m_team, &QLineEdit::returnPressed, this, &AddDialog::submitTeam);
    auto *teamRow = new QHBoxLayout();
    teamRow->addWidget(new QLabel(tr("Or a whole team:"), this));
    teamRow->addWidget(m_team, 1);
    teamRow->addWidget(watchTeam);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_errors);
    layout->addLayout(teamRow);
    layout->addWidget(buttons);
}

void AddDialog::setTeamText(const QString &text)
{
    m_team->setText(text);
}

void AddDialog::submitTeam()
{
    const QString teamId = teamIdFromText(m_team->text());
    if (teamId.isEmpty()) {
        m_errors->setText(tr("No team id in \"%1\".").arg(m_team->text().toHtmlEscaped()));
        m_errors->show();
        return;
    }
    emit watchTeamRequested(teamId);
    accept();
}

void AddDialog::setText(const QString &text)
{
    m_edit->setPlainText(text);
}

QString AddDialog::text() const
{
    return m_edit->toPlainText();
}

QString AddDialog::errorsText() const
{
    return m_errors->isVisible() ? m_errors->text() : QString();
}

bool AddDialog::importFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        m_errors->setText(
            tr("Could not read %1: %2").arg(path.toHtmlEscaped(), file.errorString()));
        m_errors->show();
        return false;
    }
    QString text = m_edit->toPlainText();
    if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    m_edit->setPlainText(text + QString::fromUtf8(file.readAll()));
    return true;
}

void AddDialog::submit()
{
    const LocationList parsed = parseLocationList(m_edit->toPlainText(), m_graphBase);
    if (!parsed.good.isEmpty())
        emit addRequested(parsed.good);
    if (parsed.bad.isEmpty()) {
        m_errors->hide();
        accept();
        return;
    }
    QStringList remaining;
    QStringList errors;
    // Numbered as the box holds them now (the bad lines alone), with where each was in the paste.
    for (const LocationList::Bad &bad : parsed.bad) {
        remaining.append(bad.text);
        const int now = int(remaining.size());
        errors.append(now == bad.line ? tr("Line %1: %2").arg(now).arg(bad.error.toHtmlEscaped())
                                      : tr("Line %1 (line %2 of what was pasted): %3")
                                            .arg(now)
                                            .arg(bad.line)
                                            .arg(bad.error.toHtmlEscaped()));
    }
    m_edit->setPlainText(remaining.join(QLatin1Char('\n')));
    const QString heading = parsed.bad.size() == 1
                                ? tr("<b>1 line could not be added</b>")
                                : tr("<b>%1 lines could not be added</b>").arg(parsed.bad.size());
    m_errors->setText(heading + (parsed.good.isEmpty() ? QString() : tr(" (the others were)")) +
                      QStringLiteral(":<br>") + errors.join(QStringLiteral("<br>")));
    m_errors->show();
}
