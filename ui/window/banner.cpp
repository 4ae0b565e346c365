#include "window/banner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

// The gap between the messages and the edges of what they float over.
constexpr int kMargin = 10;

} // namespace

Banner::Banner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    setAccessibleName(tr("Messages"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    hide();
}

void Banner::floatOver(QWidget *area)
{
    if (m_area)
        m_area->removeEventFilter(this);
    m_area = area;
    area->installEventFilter(this);
    place();
}

void Banner::showMessage(const QString &text, Kind kind, Topic topic)
{
    // Said again as it stands (a refresh every second): left alone, not built anew.
    for (const Message &message : std::as_const(m_messages)) {
        if (message.topic == topic && message.kind == kind && message.source == text)
            return;
    }
    remove(topic);
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("bannerMessage"));
    frame->setAutoFillBackground(true);
    // Palette roles, not fixed colours: a message reads in light and dark themes alike; a
    // warning says so by its icon and its wider orange border, not by colour alone.
    frame->setStyleSheet(
        kind == Kind::Warning
            ? QStringLiteral("QFrame#bannerMessage { border: 2px solid #d9861c; "
                             "border-radius: 4px; background: palette(alternate-base); }")
            : QStringLiteral("QFrame#bannerMessage { border: 1px solid palette(highlight);"
                             " border-radius: 4px; background: palette(alternate-base); }"));
    auto *row = new QHBoxLayout(frame);
    row->setContentsMargins(8, 6, 4, 6);
    auto *icon = new QLabel(frame);
    const int side = fontMetrics().height() * 3 / 2;
    icon->setPixmap(QIcon(kind == Kind::Warning ? QStringLiteral(":/icons/status-attention.svg")
                                                : QStringLiteral(":/icons/teamsops.svg"))
                        .pixmap(side, side));
    icon->setAccessibleName(kind == Kind::Warning ? tr("Warning") : tr("Information"));
    row->addWidget(icon, 0, Qt::AlignTop);
    auto *label = new QLabel(text, frame);
    label->setObjectName(QStringLiteral("bannerText"));
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setOpenExternalLinks(false);
    connect(label, &QLabel::linkActivated, this, &Banner::linkActivated);
    row->addWidget(label, 1);
    auto *close = new QToolButton(frame);
    close->setObjectName(QStringLiteral("bannerClose"));
    close->setAutoRaise(true);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close this message"));
    close->setAccessibleName(tr("Close this message"));
    connect(close, &QToolButton::clicked, this, [this, topic] {
        remove(topic);
        emit closed(topic);
    });
    row->addWidget(close, 0, Qt::AlignTop);
    static_cast<QVBoxLayout *>(layout())->addWidget(frame);
    m_messages.append({topic, kind, text, frame, label});
    place();
}

void Banner::clear(Topic topic)
{
    remove(topic);
}

void Banner::clearAll()
{
    while (!m_messages.isEmpty())
        remove(m_messages.constFirst().topic);
}

bool Banner::isAbout(Topic topic) const
{
    return std::any_of(m_messages.cbegin(), m_messages.cend(),
                       [topic](const Message &message) { return message.topic == topic; });
}

QString Banner::text() const
{
    QStringList texts;
    for (const Message &message : m_messages)
        texts.append(message.text->text());
    return texts.join(QLatin1Char('\n'));
}

void Banner::remove(Topic topic)
{
    for (qsizetype i = 0; i < m_messages.size(); ++i) {
        if (m_messages.at(i).topic != topic)
            continue;
        delete m_messages.takeAt(i).frame;
        break;
    }
    place();
}

void Banner::place()
{
    if (m_messages.isEmpty()) {
        hide();
        return;
    }
    if (m_area && parentWidget()) {
        // At the bottom right of the area, as wide as half of it (at least what a message
        // needs to read in a few lines), growing upwards.
        const QRect area(m_area->mapTo(parentWidget(), QPoint(0, 0)), m_area->size());
        const int readable = fontMetrics().averageCharWidth() * 60;
        const int width =
            std::min(area.width() - 2 * kMargin, std::max(readable, area.width() / 2));
        // Each message as tall as its wrapped text needs at this width.
        int needed = 0;
        for (const Message &message : std::as_const(m_messages)) {
            const int forWidth = message.frame->heightForWidth(width);
            needed += (forWidth > 0 ? forWidth : message.frame->sizeHint().height()) +
                      layout()->spacing();
        }
        const int height = std::min(needed - layout()->spacing(), area.height() - 2 * kMargin);
        setGeometry(area.right() - kMargin - width, area.bottom() - kMargin - height, width,
                    height);
    }
    show();
    raise();
}

bool Banner::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_area && (event->type() == QEvent::Resize || event->type() == QEvent::Move))
        place();
    return QFrame::eventFilter(watched, event);
}
