#include "panes/welcomepage.h"

#include "table/operationpresentation.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_signIn(new QPushButton(tr("&Sign in with Microsoft"), this))
    , m_deviceCode(new QPushButton(tr("Use a device &code"), this))
    , m_demo(new QPushButton(tr("Try the &demo tenant"), this))
    , m_account(new QLabel(this))
{
    setObjectName(QStringLiteral("welcomePage"));
    setAccessibleName(tr("Welcome"));
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
    m_signIn->setObjectName(QStringLiteral("welcomeSignIn"));
    m_signIn->setToolTip(tr("Opens your browser at Microsoft's sign-in page"));
    m_deviceCode->setObjectName(QStringLiteral("welcomeDeviceCode"));
    m_deviceCode->setToolTip(
        tr("Shows a code to enter on another device, for when no browser opens here"));
    m_account->setObjectName(QStringLiteral("welcomeAccount"));
    m_account->setAlignment(Qt::AlignCenter);
    m_account->hide();
    connect(m_signIn, &QPushButton::clicked, this, &WelcomePage::signInRequested);
    connect(m_deviceCode, &QPushButton::clicked, this, &WelcomePage::deviceCodeSignInRequested);
    connect(add, &QPushButton::clicked, this, &WelcomePage::addRequested);
    connect(m_demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    layout->addWidget(m_account, 0, Qt::AlignHCenter);
    layout->addWidget(m_signIn, 0, Qt::AlignHCenter);
    layout->addWidget(m_deviceCode, 0, Qt::AlignHCenter);
    layout->addWidget(add, 0, Qt::AlignHCenter);
    layout->addWidget(m_demo, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    setSignInOffered(false);
}

void WelcomePage::setSignInOffered(bool offered, const QString &account)
{
    m_signIn->setVisible(offered);
    m_deviceCode->setVisible(offered);
    m_account->setText(account.isEmpty() ? QString() : tr("Signed in as %1").arg(account));
    m_account->setVisible(!offered && !account.isEmpty());
    // The first step is the default: signing in while nobody is, else adding operations.
    m_signIn->setDefault(offered);
    findChild<QPushButton *>(QStringLiteral("welcomeAdd"))->setDefault(!offered);
}

void WelcomePage::setDemoOffered(bool offered)
{
    m_demo->setVisible(offered);
}
