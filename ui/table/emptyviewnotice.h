#pragma once

#include <QFrame>
#include <QPointer>

class QAbstractItemModel;
class QAbstractItemView;
class QLabel;
class QPushButton;

// Said over the table when a search or a filter leaves no row out of some: "No operation
// matches 'Walk'", with a button that clears what hides them. An empty table never looks like
// an empty watch list.
class EmptyViewNotice final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyViewNotice)
public:
    // Over `view`'s viewport; shown while `shown` (the view's model) has no rows and `all` has.
    EmptyViewNotice(QAbstractItemView *view, QAbstractItemModel *all);

    // What hides the rows: the search text (may be empty) and whether a filter is chosen.
    void setHiddenBy(const QString &search, bool filtered);
    QString text() const;

signals:
    void clearSearchRequested();
    void showAllRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update();
    void place();

    // Either may go first when the window closes (the proxy says it is reset as its source goes).
    QPointer<QAbstractItemView> m_view;
    QPointer<QAbstractItemModel> m_all;
    QLabel *m_message;
    QPushButton *m_clear;
    QString m_search;
    bool m_filtered = false;
};
