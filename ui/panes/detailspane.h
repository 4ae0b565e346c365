#pragma once

#include "model/watchedoperation.h"

#include <QWidget>

#include <functional>

class QBoxLayout;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class TimelineWidget;

// Everything about the selected operation: each property, the error with a hint in plain words,
// the timeline of its status changes, and the raw JSON of the last reply, ready to copy.
class DetailsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailsPane)
public:
    explicit DetailsPane(QWidget *parent = nullptr);

    void showOperation(const WatchedOperation &operation, const QDateTime &now);
    void clear();
    QString shownKey() const { return m_key; }
    // A line under the title: whether a succeeded clone's team is complete ("Ready", "Channels
    // 7 of 12 — still settling"); hidden when empty.
    void setNote(const QString &note);
    // A team's display name by its id, when known (TeamNames): the team row says it, the id in its
    // tooltip.
    void setTeamNames(std::function<QString(const QString &teamId)> nameOf)
    {
        m_teamName = std::move(nameOf);
    }
    QString note() const;

signals:
    // The pane was built for this operation (once per change of it, not per change elsewhere).
    void shown(const QString &key);
    void openTargetRequested(const QString &key);
    // "Copy support details": what Microsoft support asks for about the operation shown.
    void supportDetailsRequested(const QString &key);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Two columns of properties when they fit, else one.
    void arrangeProperties();
    QLabel *addRow(QFormLayout *form, const QString &label, const QString &objectName);

    QString m_key;
    QLabel *m_title;
    QLabel *m_note;
    QLabel *m_id;
    QLabel *m_team;
    QLineEdit *m_location;
    QLabel *m_type;
    QLabel *m_status;
    QLabel *m_attempts;
    QLabel *m_created;
    QLabel *m_lastAction;
    QLabel *m_target;
    QWidget *m_problem; // the error and its hint, shown when there is one
    QLabel *m_error;
    QLabel *m_hint;
    QLabel *m_polling;
    QLabel *m_startRequest;
    TimelineWidget *m_timeline;
    QPlainTextEdit *m_json;
    QPushButton *m_copyJson;
    QPushButton *m_copySupport;
    QPushButton *m_openTarget;
    QWidget *m_body;
    std::function<QString(const QString &)> m_teamName;
    QBoxLayout *m_halves;      // the properties' two columns
    QWidget *m_propertiesView; // the viewport they scroll in
};
