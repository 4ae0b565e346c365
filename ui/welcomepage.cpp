#include "welcomepage.h"

#include "operationpresentation.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_demo(new QPushButton(tr("Try the &demo tenant"), this))
{
    setObjectName(QStringLiteral("welcomePage"));
    auto *icon = new QLabel(this);
    icon->setPixmap(OperationPresentation::appIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignCenter);
    icon->setMinimumHeight(72);
    auto *title = new QLabel(tr("Watch your Microsoft Teams operations"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    auto *text = new QLabel(
        tr("Team clones, archives and creations run for hours. Give TeamsOps the Location header "
           "Microsoft Graph answered with (or a whole team): it polls every operation within "
           "Graph's limits, shows each one's status, attempts and error, tells you when one "
           "needs attention, and opens the team it produced."),
        this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    // A fixed width, so that the wrapped text gets the height it needs.
    text->setFixedWidth(text->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 70);
    text->setMinimumHeight(text->heightForWidth(text->width()));
    auto *add = new QPushButton(tr("&Paste Locations or a team…"), this);
    add->setObjectName(QStringLiteral("welcomeAdd"));
    add->setDefault(true);
    m_demo->setObjectName(QStringLiteral("welcomeDemo"));
    m_demo->setToolTip(
        tr("Opens another window on a simulated tenant; nothing touches a real one"));
    connect(add, &QPushButton::clicked, this, &WelcomePage::addRequested);
    connect(m_demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    layout->addWidget(add, 0, Qt::AlignHCenter);
    layout->addWidget(m_demo, 0, Qt::AlignHCenter);
    layout->addStretch(2);
}

void WelcomePage::setDemoOffered(bool offered)
{
    m_demo->setVisible(offered);
}
