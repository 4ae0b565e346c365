#include "window/banner.h"

Banner::Banner(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("banner"));
    setAccessibleName(tr("Notice"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setMargin(8);
    hide();
}

void Banner::showMessage(const QString &text, Kind kind, Topic topic)
{
    const QString icon = kind == Kind::Warning ? QStringLiteral(":/icons/status-attention.svg")
                                               : QStringLiteral(":/icons/teamsops.svg");
    setText(QStringLiteral("<table><tr><td valign='middle'><img src='%1' width='22' "
                           "height='22'></td><td>&nbsp;&nbsp;</td><td>%2</td></tr></table>")
                .arg(icon, text));
    m_topic = topic;
    // Palette roles, not fixed colours: the banner reads in light and dark themes alike.
    setStyleSheet(
        kind == Kind::Warning
            ? QStringLiteral("QLabel#banner { border: 2px solid #d9861c; "
                             "border-radius: 4px; background: palette(alternate-base); }")
            : QStringLiteral("QLabel#banner { border: 1px solid palette(highlight);"
                             " border-radius: 4px; background: palette(alternate-base); }"));
    show();
}

void Banner::clear(Topic topic)
{
    if (m_topic == topic)
        clearAll();
}

void Banner::clearAll()
{
    hide();
    m_topic = Topic::General;
}
