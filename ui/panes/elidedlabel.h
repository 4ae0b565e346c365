#pragma once

#include <QLabel>

// A one-line label that gives way: with less room than its text needs it ends in "…" rather than
// being cut mid-letter or running under its neighbours ("Graph aske", "42 fai"), and its tooltip
// then says the whole text. Screen readers read the whole text either way (it is the label's).
// For plain text only.
class ElidedLabel final : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    // Whether the text is shown cut short now.
    bool isElided() const;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
};
