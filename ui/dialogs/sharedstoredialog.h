#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

// Settings → Shared store: the PostgreSQL database a team of admins keeps one store in
// (README, "Working as a team"). What is typed is tried before it is kept: Save connects, sets
// the store up if it is new, and only then keeps the URL (in the settings) and the password (in
// the keychain, when asked; never in a file). The dashboard uses it from its next start; --store
// overrides it. "Use my own file" goes back to the file of one admin.
class SharedStoreDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SharedStoreDialog)
public:
    explicit SharedStoreDialog(QWidget *parent = nullptr);

    // The store kept by Save (empty: the file of one admin).
    static QString savedUrl();

    // Connects with what is typed; says how it went beside the buttons. True when it works.
    bool test();
    QString resultText() const;

    void accept() override;

signals:
    // Kept: used from the next start ("" for the file of one admin).
    void saved(const QString &url);

private:
    void useOwnFile();
    void showResult(const QString &text, bool ok);

    QLineEdit *m_url;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_result;
};
