#include "table/emptyviewnotice.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

EmptyViewNotice::EmptyViewNotice(QAbstractItemView *view, QAbstractItemModel *all)
    : QFrame(view->viewport())
    , m_view(view)
    , m_all(all)
    , m_message(new QLabel(this))
    , m_clear(new QPushButton(this))
{
    setObjectName(QStringLiteral("emptyViewNotice"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_message->setObjectName(QStringLiteral("emptyViewMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_clear->setObjectName(QStringLiteral("emptyViewClear"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(m_clear, 0, Qt::AlignCenter);
    connect(m_clear, &QPushButton::clicked, this, [this] {
        if (!m_search.isEmpty())
            emit clearSearchRequested();
        else
            emit showAllRequested();
    });
    // Rows come and go in the view's model as the store and the filters change.
    QAbstractItemModel *shown = view->model();
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(shown, signal, this, &EmptyViewNotice::update);
    connect(shown, &QAbstractItemModel::modelReset, this, &EmptyViewNotice::update);
    connect(shown, &QAbstractItemModel::layoutChanged, this, &EmptyViewNotice::update);
    connect(all, &QAbstractItemModel::rowsInserted, this, &EmptyViewNotice::update);
    connect(all, &QAbstractItemModel::rowsRemoved, this, &EmptyViewNotice::update);
    connect(all, &QAbstractItemModel::modelReset, this, &EmptyViewNotice::update);
    view->viewport()->installEventFilter(this);
    hide();
}

void EmptyViewNotice::setHiddenBy(const QString &search, bool filtered)
{
    m_search = search.trimmed();
    m_filtered = filtered;
    update();
}

QString EmptyViewNotice::text() const
{
    return m_message->text();
}

void EmptyViewNotice::update()
{
    if (!m_view || !m_view->model() || !m_all)
        return;
    const bool empty = m_view->model()->rowCount() == 0 && m_all->rowCount() > 0;
    if (!empty) {
        hide();
        return;
    }
    if (!m_search.isEmpty()) {
        m_message->setText(m_filtered ? tr("No operation in this view matches “%1”.").arg(m_search)
                                      : tr("No operation matches “%1”.").arg(m_search));
        m_clear->setText(tr("Clear the search"));
    } else {
        m_message->setText(tr("No operation in this view."));
        m_clear->setText(tr("Show all operations"));
    }
    m_clear->setAccessibleName(m_clear->text());
    setAccessibleName(m_message->text());
    place();
    show();
    raise();
}

void EmptyViewNotice::place()
{
    // Centred near the top of the empty table, as wide as its text needs.
    const QRect area = m_view->viewport()->rect();
    const int width = std::min(area.width() - 16, std::max(sizeHint().width(), area.width() / 2));
    const int height = heightForWidth(width) > 0 ? heightForWidth(width) : sizeHint().height();
    setGeometry(area.center().x() - width / 2, std::min(area.height() / 4, 48), width, height);
}

bool EmptyViewNotice::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && isVisible())
        place();
    return QFrame::eventFilter(watched, event);
}
