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
    resize(480, sizeHint().height());
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
    m_copy->setFocus();
    adjustSize(); // the wrapped sentence needs its height
}

QString DeviceCodeDialog::userCode() const
{
    return m_code->text();
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
    const QString problem = config().problem();
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
