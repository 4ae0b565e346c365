#include "panes/detailspane.h"

#include "panes/errorhints.h"
#include "panes/timelinewidget.h"
#include "table/operationpresentation.h"

#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace P = OperationPresentation;

namespace {

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : QStringLiteral("—");
}

} // namespace

DetailsPane::DetailsPane(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_note(new QLabel(this))
    , m_timeline(new TimelineWidget(this))
    , m_json(new QPlainTextEdit(this))
    , m_copyJson(new QPushButton(tr("Copy JSON"), this))
    , m_copySupport(new QPushButton(tr("Copy support details"), this))
    , m_openTarget(new QPushButton(tr("Open target…"), this))
    , m_body(new QWidget(this))
{
    setObjectName(QStringLiteral("detailsPane"));
    setAccessibleName(tr("Details of the selected operation"));
    m_title->setObjectName(QStringLiteral("detailsTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::RichText);

    // The properties in two columns: what the operation is, then what happened to it; the
    // Location (no spaces to wrap at) spans both.
    auto *what = new QFormLayout();
    auto *when = new QFormLayout();
    for (QFormLayout *form : {what, when})
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_id = addRow(what, tr("Operation id:"), QStringLiteral("detailId"));
    m_team = addRow(what, tr("Team:"), QStringLiteral("detailTeam"));
    m_type = addRow(what, tr("Type:"), QStringLiteral("detailType"));
    m_status = addRow(what, tr("Status:"), QStringLiteral("detailStatus"));
    m_attempts = addRow(what, tr("Attempts:"), QStringLiteral("detailAttempts"));
    m_created = addRow(when, tr("Created:"), QStringLiteral("detailCreated"));
    m_lastAction = addRow(when, tr("Last action:"), QStringLiteral("detailLastAction"));
    m_target = addRow(when, tr("Target:"), QStringLiteral("detailTarget"));
    m_polling = addRow(when, tr("Polling:"), QStringLiteral("detailPolling"));
    m_startRequest = addRow(when, tr("Start request:"), QStringLiteral("detailStartRequest"));
    m_startRequest->setToolTip(tr("The ids Microsoft support asks for: the client-request-id "
                                  "TeamsOps sent, and the request-id Graph answered with"));
    // The Location has no spaces to wrap at: a read-only line edit keeps it whole and copyable.
    m_location = new QLineEdit(this);
    m_location->setObjectName(QStringLiteral("detailLocation"));
    m_location->setReadOnly(true);
    m_location->setFrame(false);
    m_location->setStyleSheet(QStringLiteral("QLineEdit { background: transparent; }"));
    auto *location = new QFormLayout();
    location->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    location->addRow(tr("Location:"), m_location);

    // A failure's error and what to do about it come first, above the properties: they are what
    // an admin selects a failed operation to read.
    m_problem = new QWidget(this);
    m_problem->setObjectName(QStringLiteral("detailProblem"));
    auto *problem = new QFormLayout(m_problem);
    problem->setContentsMargins(0, 0, 0, 4);
    problem->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_error = addRow(problem, tr("Error:"), QStringLiteral("detailError"));
    m_hint = addRow(problem, tr("What to do:"), QStringLiteral("detailHint"));

    m_json->setObjectName(QStringLiteral("detailJson"));
    m_json->setAccessibleName(tr("Last reply from Graph"));
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlaceholderText(tr("No reply yet"));
    m_copyJson->setObjectName(QStringLiteral("copyJson"));
    m_openTarget->setObjectName(QStringLiteral("openTarget"));
    connect(m_copyJson, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_json->toPlainText()); });
    connect(m_openTarget, &QPushButton::clicked, this, [this] { emit openTargetRequested(m_key); });
    m_copySupport->setObjectName(QStringLiteral("copySupport"));
    m_copySupport->setToolTip(tr("The operation's replies, request ids and timeline, as Microsoft "
                                 "support asks for them; no token or secret is in them"));
    connect(m_copySupport, &QPushButton::clicked, this,
            [this] { emit supportDetailsRequested(m_key); });

    auto *buttons = new QHBoxLayout();
    buttons->addWidget(m_openTarget);
    buttons->addStretch();
    buttons->addWidget(m_copySupport);
    buttons->addWidget(m_copyJson);

    // The properties scroll when the pane is short (the error and its hint first, never cut
    // mid-line); the timeline stays in view below them.
    auto *properties = new QWidget();
    auto *propertyRows = new QVBoxLayout(properties);
    propertyRows->setContentsMargins(0, 0, 0, 0);
    propertyRows->addWidget(m_problem);
    propertyRows->addLayout(location);
    // Side by side when there is room for both, one under the other when not (a narrow window,
    // 2× scale): never cut at the right edge.
    m_halves = new QBoxLayout(QBoxLayout::LeftToRight);
    m_halves->addLayout(what, 1);
    m_halves->addLayout(when, 1);
    m_halves->setSpacing(12);
    propertyRows->addLayout(m_halves);
    propertyRows->addStretch();
    auto *scroll = new QScrollArea(m_body);
    m_propertiesView = scroll->viewport();
    m_propertiesView->installEventFilter(this);
    scroll->setWidget(properties);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *left = new QVBoxLayout();
    left->addWidget(scroll, 1);
    left->addWidget(m_timeline);
    auto *right = new QVBoxLayout();
    right->addWidget(new QLabel(tr("Last reply from Graph:"), m_body));
    right->addWidget(m_json, 1);
    right->addLayout(buttons);
    auto *columns = new QHBoxLayout(m_body);
    columns->setContentsMargins(0, 0, 0, 0);
    columns->addLayout(left, 3);
    columns->addLayout(right, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    m_note->setObjectName(QStringLiteral("detailsNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);
    layout->addWidget(m_body, 1);
    clear();
}

bool DetailsPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_propertiesView && event->type() == QEvent::Resize)
        arrangeProperties();
    return QWidget::eventFilter(watched, event);
}

void DetailsPane::arrangeProperties()
{
    // What the two columns take side by side with the texts shown now.
    int sideBySide = m_halves->spacing();
    for (int i = 0; i < m_halves->count(); ++i)
        sideBySide += m_halves->itemAt(i)->sizeHint().width();
    const auto direction =
        m_propertiesView->width() >= sideBySide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_halves->direction() != direction)
        m_halves->setDirection(direction);
}

void DetailsPane::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

QString DetailsPane::note() const
{
    return m_note->text();
}

QLabel *DetailsPane::addRow(QFormLayout *form, const QString &label, const QString &objectName)
{
    auto *value = new QLabel(this);
    value->setObjectName(objectName);
    // Long prose wraps; ids and times stay on one line.
    value->setWordWrap(objectName == QLatin1String("detailError") ||
                       objectName == QLatin1String("detailHint") ||
                       objectName == QLatin1String("detailTarget") ||
                       objectName == QLatin1String("detailPolling"));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label, value);
    return value;
}

void DetailsPane::clear()
{
    m_key.clear();
    m_title->setText(tr("Select an operation to see its details"));
    m_body->setEnabled(false);
    m_timeline->clear();
    m_json->clear();
    for (QLabel *label : {m_id, m_team, m_type, m_status, m_attempts, m_created, m_lastAction,
                          m_target, m_error, m_hint, m_polling, m_startRequest})
        label->clear();
    m_location->clear();
    m_problem->hide();
}

void DetailsPane::showOperation(const WatchedOperation &operation, const QDateTime &now)
{
    m_key = operation.ref.key();
    m_body->setEnabled(true);
    const Operation op = operation.latest.value_or(Operation());
    m_title->setText(QStringLiteral("%1 — %2").arg(
        P::statusText(operation).toHtmlEscaped(),
        (op.operationTypeRaw.isEmpty() ? tr("operation") : P::typeText(op)).toHtmlEscaped()));
    m_id->setText(operation.ref.operationId);
    const QString teamName = m_teamName ? m_teamName(operation.ref.teamId) : QString();
    // By name when known, the id in the tooltip (and in the Location above).
    m_team->setText(teamName.isEmpty() ? operation.ref.teamId : teamName);
    m_team->setToolTip(teamName.isEmpty() ? QString() : operation.ref.teamId);
    if (m_location->text() != operation.location()) {
        m_location->setText(operation.location());
        m_location->setCursorPosition(0);
    }
    m_type->setText(op.operationTypeRaw.isEmpty() ? QStringLiteral("—") : op.operationTypeRaw);
    m_status->setText(op.statusRaw.isEmpty() ? QStringLiteral("—") : op.statusRaw);
    m_attempts->setText(QString::number(op.attemptsCount));
    m_created->setText(timeText(op.createdDateTime));
    m_lastAction->setText(timeText(op.lastActionDateTime));
    const QString reason = P::reasonForNoTarget(operation);
    m_target->setText(reason.isEmpty() ? op.targetResourceLocation : reason);
    m_openTarget->setEnabled(reason.isEmpty());
    m_openTarget->setToolTip(reason);
    const QString error = P::errorText(operation);
    const QString hint = errorHint(operation);
    m_error->setText(error.isEmpty() ? tr("none") : error);
    m_hint->setText(hint.isEmpty() ? QStringLiteral("—") : hint);
    m_problem->setVisible(!error.isEmpty() || !hint.isEmpty());
    const QString checked =
        operation.lastPolledAt.isValid()
            ? tr("checked %1 ago").arg(P::durationText(operation.lastPolledAt.msecsTo(now)))
            : tr("not checked yet");
    const QString polls = tr("%n poll(s)", nullptr, operation.polls);
    m_polling->setText(
        operation.isPolled()
            ? tr("%1; %2; next not before %3").arg(polls, checked, timeText(operation.nextPollAt))
            : tr("%1; %2; no longer polled").arg(polls, checked));
    m_startRequest->setText(
        operation.startClientRequestId.isEmpty()
            ? tr("— (not started from this TeamsOps)")
            : tr("client-request-id %1 · request-id %2")
                  .arg(operation.startClientRequestId,
                       operation.startRequestId.isEmpty() ? tr("none") : operation.startRequestId));
    arrangeProperties();
    m_timeline->setOperation(operation, now);
    const QJsonDocument json = QJsonDocument::fromJson(operation.lastReply);
    const QString pretty = json.isNull() ? QString::fromUtf8(operation.lastReply)
                                         : QString::fromUtf8(json.toJson(QJsonDocument::Indented));
    if (m_json->toPlainText() != pretty)
        m_json->setPlainText(pretty);
    emit shown(m_key);
}
