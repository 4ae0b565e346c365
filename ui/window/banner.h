#pragma once

#include <QFrame>
#include <QList>
#include <QPointer>

class QLabel;

// What the admin must know now: the demo tenant, a lost sign-in, a store that cannot be saved,
// requests Graph refused, an operation that just finished. Each message is about a topic, so that
// whoever raised it takes it back when it no longer applies without hiding another's; one
// message per topic, each with its own close button.
//
// The messages float over the bottom right of the table (floatOver()), stacked, never in the
// window's layout: a message that comes or goes never moves the table under the pointer.
class Banner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Banner)
public:
    enum class Kind
    {
        Info,
        Warning
    };
    enum class Topic
    {
        General,
        Saving,
        Following, // what other processes write cannot be read
        SignIn,
        Starts,
        Refusals, // start requests Graph refused
        Demo,
        Notice,     // an operation that finished, with a link to it
        Connection, // offline, or the tenant throttled
        Undo        // what was just removed or stopped, with a link that takes it back
    };

    explicit Banner(QWidget *parent = nullptr);

    // Floats over `area` (the table's viewport), following its size.
    void floatOver(QWidget *area);
    // Rich text; links arrive as linkActivated(). Replaces this topic's message, if any.
    void showMessage(const QString &text, Kind kind, Topic topic = Topic::General);
    // Takes this topic's message away, if there is one.
    void clear(Topic topic);
    void clearAll();
    bool isAbout(Topic topic) const;
    // Every message shown, oldest first, one per line (rich text).
    QString text() const;

signals:
    void linkActivated(const QString &link);
    // The admin closed this topic's message.
    void closed(Banner::Topic topic);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Message
    {
        Topic topic;
        Kind kind;
        QString source; // the text as given
        QFrame *frame;
        QLabel *text;
    };
    void remove(Topic topic);
    void place();

    QList<Message> m_messages;
    QPointer<QWidget> m_area;
};
