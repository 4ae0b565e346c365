#pragma once

#include <QLabel>

// The message across the top of the window, for what the admin must know now: the demo tenant, a
// lost sign-in, a store that cannot be saved, requests Graph refused. One message at a time; each
// says what it is about, so that whoever raised it can take it back when it no longer applies
// without hiding someone else's.
class Banner final : public QLabel
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
        Starts
    };

    explicit Banner(QWidget *parent = nullptr);

    // Rich text; links arrive as linkActivated().
    void showMessage(const QString &text, Kind kind, Topic topic = Topic::General);
    // Hides the banner if it is about this topic.
    void clear(Topic topic);
    // Hides whatever it shows.
    void clearAll();
    bool isAbout(Topic topic) const { return !isHidden() && m_topic == topic; }

private:
    Topic m_topic = Topic::General;
};
