#include "dialogs/signindialogs.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

DeviceCodeDialog::DeviceCodeDialog(QWidget *parent)
    : QDialog(parent)
    , m_intro(new QLabel(this))
    , m_code(new QLabel(this))
    , m_copy(new QPushButton(tr("&Copy code"), this))
    , m_open(new QPushButton(tr("&Open the page"), this))
    , m_approve(new QPushButton(tr("&Approve (demo tenant)"), this))
{
    setWindowTitle(tr("Sign in with a device code"));
    setObjectName(QStringLiteral("deviceCodeDialog"));
    m_intro->setWordWrap(true);
    m_intro->setMinimumWidth(m_intro->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 72);
    m_intro->setTextFormat(Qt::RichText);
    m_intro->setOpenExternalLinks(false);
    m_code->setObjectName(QStringLiteral("deviceCode"));
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_code->setAlignment(Qt::AlignCenter);
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    big.setBold(true);
    big.setLetterSpacing(QFont::PercentageSpacing, 115);
    m_code->setFont(big);
    m_code->setAccessibleName(tr("Code to enter"));
    m_copy->setObjectName(QStringLiteral("copyDeviceCode"));
    m_open->setObjectName(QStringLiteral("openDeviceCodePage"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    buttons->addButton(m_open, QDialogButtonBox::ActionRole);
    m_approve->setObjectName(QStringLiteral("approveDeviceCode"));
    m_approve->setVisible(false);
    buttons->addButton(m_approve, QDialogButtonBox::ActionRole);
    connect(m_approve, &QPushButton::clicked, this, [this] {
        if (m_approver)
            m_approver(userCode());
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(userCode()); });
    connect(m_open, &QPushButton::clicked, this, [this] { emit openPageRequested(QUrl(m_uri)); });
    connect(m_intro, &QLabel::linkActivated, this,
            [this](const QString &link) { emit openPageRequested(QUrl(link)); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addSpacing(8);
    layout->addWidget(m_code);
    layout->addSpacing(8);
    layout->addWidget(buttons);
    m_intro->setText(tr("Asking Microsoft for a code…"));
    m_copy->setEnabled(false);
    m_open->setEnabled(false);
    m_approve->setEnabled(false);
    resize(480, sizeHint().height());
}

void DeviceCodeDialog::setDemoApprover(std::function<void(const QString &)> approve)
{
    m_approver = std::move(approve);
    m_approve->setVisible(bool(m_approver));
}

void DeviceCodeDialog::showPrompt(const QString &verificationUri, const QString &userCode,
                                  const QString &message)
{
    m_uri = verificationUri;
    m_intro->setText(tr("On this or any other device, open <a href=\"%1\">%2</a> and enter this "
                        "code. TeamsOps goes on by itself once you have signed in there.")
                         .arg(verificationUri.toHtmlEscaped(), verificationUri.toHtmlEscaped()));
    m_intro->setToolTip(message);
    m_code->setText(userCode);
    m_copy->setEnabled(true);
    m_open->setEnabled(true);
    m_approve->setEnabled(true);
    m_copy->setFocus();
    adjustSize(); // the wrapped sentence needs its height
}

QString DeviceCodeDialog::userCode() const
{
    return m_code->text();
}

BrowserSignInDialog::BrowserSignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_intro(new QLabel(this))
    , m_linkText(new QLineEdit(this))
{
    setWindowTitle(tr("Sign in with Microsoft"));
    setObjectName(QStringLiteral("browserSignInDialog"));
    m_intro->setWordWrap(true);
    m_intro->setMinimumWidth(m_intro->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 64);
    m_linkText->setObjectName(QStringLiteral("signInLink"));
    m_linkText->setReadOnly(true);
    m_linkText->setAccessibleName(tr("Sign-in link"));
    auto *copy = new QPushButton(tr("&Copy link"), this);
    copy->setObjectName(QStringLiteral("copySignInLink"));
    auto *open = new QPushButton(tr("&Open again"), this);
    open->setObjectName(QStringLiteral("openSignInLink"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(copy, QDialogButtonBox::ActionRole);
    buttons->addButton(open, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_link.toString(QUrl::FullyEncoded)); });
    connect(open, &QPushButton::clicked, this, [this] { emit openAgainRequested(m_link); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_linkText);
    layout->addWidget(buttons);
    copy->setFocus();
}

void BrowserSignInDialog::showLink(const QUrl &authorizationUrl, bool browserOpened)
{
    m_link = authorizationUrl;
    m_intro->setText(
        browserOpened
            ? tr("Finish signing in in the browser window that opened. If none did, or to use "
                 "another browser on this computer, copy this link into it:")
            : tr("No browser could be opened. Copy this link into a browser on this computer; "
                 "TeamsOps goes on by itself once you have signed in there:"));
    m_linkText->setText(authorizationUrl.toString(QUrl::FullyEncoded));
    m_linkText->setCursorPosition(0);
    adjustSize();
}

SignInSettingsDialog::SignInSettingsDialog(const SignInConfig &current, QWidget *parent)
    : QDialog(parent)
    , m_base(current)
    , m_cloud(new QComboBox(this))
    , m_tenant(new QLineEdit(current.tenant, this))
    , m_clientId(new QLineEdit(current.clientId, this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Sign-in settings"));
    setObjectName(QStringLiteral("signInSettings"));
    for (const SignInConfig::Cloud &cloud : SignInConfig::clouds()) {
        m_cloud->addItem(tr("%1 — %2").arg(cloud.name, cloud.authorityHost.host()), cloud.name);
        if (cloud.authorityHost == current.authorityHost)
            m_cloud->setCurrentIndex(m_cloud->count() - 1);
    }
    m_tenant->setPlaceholderText(QStringLiteral("organizations"));
    m_tenant->setToolTip(tr("organizations (any work account), your tenant's id, or its domain "
                            "(contoso.onmicrosoft.com)"));
    m_clientId->setPlaceholderText(QStringLiteral("00000000-0000-0000-0000-000000000000"));
    m_clientId->setToolTip(tr("Application (client) ID of the app registration in Entra ID"));
    m_problem->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("signInSettingsProblem"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_cloud, &QComboBox::currentIndexChanged, this, &SignInSettingsDialog::check);
    connect(m_tenant, &QLineEdit::textChanged, this, &SignInSettingsDialog::check);
    connect(m_clientId, &QLineEdit::textChanged, this, &SignInSettingsDialog::check);

    auto *form = new QFormLayout;
    form->addRow(tr("&Cloud:"), m_cloud);
    form->addRow(tr("&Tenant:"), m_tenant);
    form->addRow(tr("Client &ID:"), m_clientId);
    auto *note = new QLabel(tr("A change of cloud takes effect for Graph when TeamsOps starts "
                               "again; the next sign-in uses these at once."),
                            this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    check();
}

SignInConfig SignInSettingsDialog::config() const
{
    SignInConfig config = m_base;
    if (const auto cloud = SignInConfig::cloud(m_cloud->currentData().toString())) {
        config.authorityHost = cloud->authorityHost;
        config.graphUrl = cloud->graphUrl;
    }
    const QString tenant = m_tenant->text().trimmed();
    config.tenant = tenant.isEmpty() ? QStringLiteral("organizations") : tenant;
    config.clientId = m_clientId->text().trimmed();
    return config;
}

void SignInSettingsDialog::check()
{
    const QString problem = config().problem(SignInConfig::Wording::Dialog);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_ok->setEnabled(problem.isEmpty());
}

SignInConfig SignInSettingsDialog::load(const SignInConfig &defaults)
{
    QSettings settings;
    SignInConfig config = defaults;
    if (const auto cloud = SignInConfig::cloud(settings.value("sign-in/cloud").toString())) {
        config.authorityHost = cloud->authorityHost;
        config.graphUrl = cloud->graphUrl;
    }
    config.tenant = settings.value("sign-in/tenant", defaults.tenant).toString();
    config.clientId = settings.value("sign-in/clientId", defaults.clientId).toString();
    return config;
}

void SignInSettingsDialog::save(const SignInConfig &config)
{
    QSettings settings;
    for (const SignInConfig::Cloud &cloud : SignInConfig::clouds()) {
        if (cloud.authorityHost == config.authorityHost && cloud.graphUrl == config.graphUrl)
            settings.setValue("sign-in/cloud", cloud.name);
    }
    settings.setValue("sign-in/tenant", config.tenant);
    settings.setValue("sign-in/clientId", config.clientId);
}
