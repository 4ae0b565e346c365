#pragma once

#include <QWidget>

class QPushButton;

// What a first start shows instead of an empty table: what TeamsOps does and the ways to begin —
// paste Locations (or a whole team), or try it on the simulated demo tenant. The window swaps it
// for the table as soon as anything is watched.
class WelcomePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomePage)
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // Offer the demo tenant (not when the window is the demo already).
    void setDemoOffered(bool offered);

signals:
    void addRequested();
    void demoRequested();

private:
    QPushButton *m_demo;
};
