#include "window/notifier.h"

#include "polling/operationpoller.h"
#include "table/operationpresentation.h"

#include <QSystemTrayIcon>

Notifier::Notifier(OperationPoller &poller, QObject *parent)
    : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(OperationPresentation::appIcon(), this);
        m_tray->setToolTip(tr("TeamsOps"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, this,
                [this] { emit activated(m_lastKey); });
    }
    connect(&poller, &OperationPoller::operationObserved, this, &Notifier::onObserved);
}

void Notifier::onObserved(const WatchedOperation &operation, bool changed)
{
    // history holds the first sighting too: more than one entry means we saw it change.
    if (!m_enabled || !changed || !operation.isTerminal() || operation.history.size() < 2)
        return;
    const Operation &op = *operation.latest;
    const bool succeeded = op.status == OperationStatus::Succeeded;
    const QString what = OperationPresentation::typeText(op);
    const QString title = succeeded ? tr("%1 succeeded").arg(what) : tr("%1 failed").arg(what);
    // Which team, by name where known: "Clone team succeeded: from “Template”, made “Sales”".
    const QString team = m_teamText ? m_teamText(operation.ref.teamId) : operation.ref.teamId;
    const QString made = m_targetName && op.operationType == OperationType::CloneTeam
                             ? m_targetName(op.targetResourceLocation)
                             : QString();
    QString about;
    if (op.operationType == OperationType::CloneTeam)
        about = made.isEmpty() ? tr("from %1").arg(team) : tr("from %1, made “%2”").arg(team, made);
    else
        about = tr("team %1").arg(team);
    const QString text =
        succeeded ? about : tr("%1: %2").arg(about, OperationPresentation::errorText(operation));
    notify(operation.ref.key(), title, text, !succeeded);
}

void Notifier::notify(const QString &key, const QString &title, const QString &text, bool warning)
{
    if (!m_enabled)
        return;
    m_lastKey = key;
    emit notified(m_lastKey, title, text);
    if (m_tray) {
        m_tray->showMessage(title, text,
                            warning ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    } else {
        emit inWindowNotice(m_lastKey, title + QStringLiteral(": ") + text);
    }
}
