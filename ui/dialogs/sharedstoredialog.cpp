#include "dialogs/sharedstoredialog.h"

#include "signin/storepassword.h"
#include "store/operationdatabase.h"
#include "store/storelocation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace {

const QString kUrlKey = QStringLiteral("sharedStore/url");

} // namespace

SharedStoreDialog::SharedStoreDialog(QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(savedUrl(), this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Keep the password in the keychain"), this))
    , m_result(new QLabel(this))
{
    setWindowTitle(tr("Shared store"));
    setObjectName(QStringLiteral("sharedStoreDialog"));
    auto *intro = new QLabel(
        tr("A team of admins can keep one store in a PostgreSQL database: each operation is then "
           "polled once, by one of you, and everyone sees what the others started. Sign-ins stay "
           "your own."),
        this);
    intro->setWordWrap(true);
    m_url->setObjectName(QStringLiteral("sharedStoreUrl"));
    m_url->setPlaceholderText(
        QStringLiteral("postgresql://USER@HOST/DATABASE?sslmode=verify-full"));
    m_url->setAccessibleName(tr("PostgreSQL URL"));
    m_password->setObjectName(QStringLiteral("sharedStorePassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("empty: from PGPASSWORD or ~/.pgpass"));
    m_password->setAccessibleName(tr("Password"));
    m_remember->setObjectName(QStringLiteral("sharedStoreRemember"));
    m_remember->setChecked(true);
    m_result->setObjectName(QStringLiteral("sharedStoreResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    QPushButton *testButton = buttons->addButton(tr("&Test"), QDialogButtonBox::ActionRole);
    testButton->setObjectName(QStringLiteral("sharedStoreTest"));
    QPushButton *ownFile = buttons->addButton(tr("Use my own &file"), QDialogButtonBox::ResetRole);
    ownFile->setObjectName(QStringLiteral("sharedStoreOwnFile"));
    ownFile->setEnabled(!savedUrl().isEmpty());
    connect(testButton, &QPushButton::clicked, this, &SharedStoreDialog::test);
    connect(ownFile, &QPushButton::clicked, this, &SharedStoreDialog::useOwnFile);
    connect(buttons, &QDialogButtonBox::accepted, this, &SharedStoreDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

QString SharedStoreDialog::savedUrl()
{
    return QSettings().value(kUrlKey).toString();
}

QString SharedStoreDialog::resultText() const
{
    return m_result->text();
}

void SharedStoreDialog::showResult(const QString &text, bool ok)
{
    // Told by words, not colour alone: "Works" or "Cannot use it".
    m_result->setText((ok ? tr("Works: %1") : tr("Cannot use it: %1")).arg(text));
}

bool SharedStoreDialog::test()
{
    const QString url = m_url->text().trimmed();
    QString problem;
    if (!StoreLocation::looksLikeServer(url)) {
        showResult(tr("the URL starts postgresql://"), false);
        return false;
    }
    StoreLocation::parse(url, problem);
    if (!problem.isEmpty()) {
        showResult(problem, false);
        return false;
    }
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    if (!m_password->text().isEmpty())
        OperationDatabase::rememberPassword(url, m_password->text());
    OperationDatabase database;
    const OperationDatabase::OpenResult opened = database.open(url);
    QGuiApplication::restoreOverrideCursor();
    if (!opened.ok) {
        showResult(opened.error, false);
        return false;
    }
    const qsizetype operations = database.count().value_or(0);
    showResult(tr("connected; the store holds %n operation(s).", nullptr, int(operations)), true);
    return true;
}

void SharedStoreDialog::accept()
{
    if (!test())
        return;
    const QString url = m_url->text().trimmed();
    QSettings().setValue(kUrlKey, url);
    if (m_remember->isChecked() && !m_password->text().isEmpty()) {
        StorePassword::keep(url, m_password->text(), this, [](const QString &) {});
    }
    emit saved(url);
    QDialog::accept();
}

void SharedStoreDialog::useOwnFile()
{
    const QString url = savedUrl();
    QSettings().remove(kUrlKey);
    StorePassword::keep(url, QString(), this, [](const QString &) {});
    emit saved(QString());
    QDialog::accept();
}
