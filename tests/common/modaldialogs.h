#pragma once

// Answers the modal dialog an action is about to open (a confirmation, an input box): the test
// plays the admin without blocking on exec().
#include <QApplication>
#include <QTimer>
#include <QWidget>

#include <functional>

inline void whenModalOpens(const std::function<void(QWidget *)> &answer)
{
    auto *poll = new QTimer;
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, answer] {
        if (QWidget *modal = QApplication::activeModalWidget()) {
            poll->stop();
            poll->deleteLater();
            answer(modal);
        }
    });
    poll->start();
}
