// The window as a screen reader and a keyboard user meet it: QAccessible's tree walked from the
// window, the table's cells and headers, the overview's chips and the timeline described, every
// control reached by Tab or a shortcut, and the texts readable against their background.
//
// ctest runs it three times (tests/CMakeLists.txt): in Fusion's light palette; with
// TEAMSOPS_TEST_THEME=dark, in the dark palette of `teamsops --dark`; and at 2× (QT_SCALE_FACTOR=2
// on a 2560×1440 offscreen screen: 1280×720 logical).
#include "keyboardreach.h"
#include "panes/detailspane.h"
#include "panes/overviewstrip.h"
#include "panes/timelinewidget.h"
#include "table/operationsortproxy.h"
#include "table/operationtablemodel.h"
#include "window/darkpalette.h"
#include "window/mainwindow.h"
#include "windowonsimulator.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QScreen>
#include <QTableView>
#include <QtTest>

#include <cmath>

using namespace std::chrono;

namespace {

const QString kTeam = QStringLiteral("6d3f1a2b-8c4e-4f5a-9b0c-1d2e3f4a5b6c");
const QString kClone = QStringLiteral("1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
const QString kFails = QStringLiteral("3b2c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e");
const QString kRuns = QStringLiteral("4c3d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f");

// A clone that succeeds, one that fails with Graph's error, one still running.
QJsonObject scenario()
{
    QJsonObject fails = operation(kFails, kTeam, 1, 2, "failed");
    fails.insert("error",
                 QJsonObject{{"code", "InvalidRequest"},
                             {"message", "Tabs cannot be cloned without cloning Apps as well."}});
    return QJsonObject{{"teams", QJsonArray{team(kTeam, "Template")}},
                       {"operations", QJsonArray{operation(kClone, kTeam, 1, 2), fails,
                                                 operation(kRuns, kTeam, 1, 100000)}}};
}

// Controls a person acts on or reads a value from: each needs a name to be announced by.
bool needsAName(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::ProgressBar:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::List:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::PageTab:
    case QAccessible::MenuItem:
    case QAccessible::Link:
        return true;
    default:
        return false;
    }
}

QString describe(QAccessibleInterface *node)
{
    const QObject *object = node->object();
    return QStringLiteral("%1 \"%2\" (%3)")
        .arg(object ? QString::fromLatin1(object->metaObject()->className()) : QStringLiteral("?"),
             object ? object->objectName() : QString(), QString::number(int(node->role())));
}

// WCAG's contrast ratio of two colours: 1 (the same) to 21 (black on white).
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &colour) {
        const auto channel = [](double value) {
            return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) +
               0.0722 * channel(colour.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyControlHasANameAndARole();
    void theTableExposesItsCellsAndHeaders();
    void theOverviewAndTheTimelineAreDescribed();
    void everyControlIsReachableByKeyboard();
    void textsStandOutFromTheirBackground();

private:
    // Returns how many controls that need a name it met.
    int walk(QAccessibleInterface *node, QStringList &problems, int depth = 0);
    std::unique_ptr<WindowOnSimulator> m_d;
};

void TestAccessibility::initTestCase()
{
    if (qEnvironmentVariable("TEAMSOPS_TEST_THEME") == QLatin1String("dark"))
        useDarkPalette(*qApp);
    qInfo() << "palette base" << qApp->palette().color(QPalette::Base).name() << "scale"
            << qApp->primaryScreen()->devicePixelRatio() << "screen"
            << qApp->primaryScreen()->availableGeometry().size();
}

void TestAccessibility::init()
{
    m_d = std::make_unique<WindowOnSimulator>(scenario());
    for (const QString &op : {kClone, kFails, kRuns})
        m_d->poller.watch(m_d->refOf(kTeam, op));
    m_d->window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m_d->window));
    m_d->sim.clock.advance(seconds(5)); // the clone succeeded, the other failed
    QTRY_VERIFY(std::all_of(m_d->store.records().cbegin(), m_d->store.records().cend(),
                            [](const WatchedOperation &op) { return op.latest.has_value(); }));
    m_d->store.flush();
    QVERIFY(m_d->window.selectOperation((kTeam + '/' + kFails).toLower()));
}

void TestAccessibility::cleanup()
{
    m_d.reset();
}

int TestAccessibility::walk(QAccessibleInterface *node, QStringList &problems, int depth)
{
    if (!node || node->state().invisible)
        return 0;
    const QAccessible::Role role = node->role();
    if (role == QAccessible::NoRole)
        problems.append(describe(node) + QStringLiteral(": no role"));
    if (needsAName(role) && node->text(QAccessible::Name).trimmed().isEmpty())
        problems.append(describe(node) + QStringLiteral(": no name"));
    int controls = needsAName(role) ? 1 : 0;
    // The table's cells are checked through its table interface (the next test).
    if (role == QAccessible::Table || depth > 40)
        return controls;
    for (int i = 0; i < node->childCount(); ++i)
        controls += walk(node->child(i), problems, depth + 1);
    return controls;
}

void TestAccessibility::everyControlHasANameAndARole()
{
    QStringList problems;
    QAccessibleInterface *root = QAccessible::queryAccessibleInterface(&m_d->window);
    QVERIFY(root);
    QCOMPARE(root->role(), QAccessible::Window);
    QVERIFY(!root->text(QAccessible::Name).isEmpty());
    // The menus, the chips, the filters, the search, the table, the details' buttons and links.
    const int controls = walk(root, problems);
    QVERIFY2(controls >= 20, qPrintable(QString::number(controls)));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
}

void TestAccessibility::theTableExposesItsCellsAndHeaders()
{
    QAccessibleInterface *table = QAccessible::queryAccessibleInterface(m_d->window.table());
    QVERIFY(table);
    QCOMPARE(table->role(), QAccessible::Table);
    QAccessibleTableInterface *cells = table->tableInterface();
    QVERIFY(cells);
    QCOMPARE(cells->rowCount(), 3);
    QCOMPARE(cells->columnCount(), m_d->window.proxy()->columnCount());
    QStringList problems;
    for (int column = 0; column < cells->columnCount(); ++column) {
        if (m_d->window.table()->isColumnHidden(column))
            continue;
        const QString header = cells->columnDescription(column);
        if (header.isEmpty())
            problems.append(QStringLiteral("column %1 has no header").arg(column));
        for (int row = 0; row < cells->rowCount(); ++row) {
            QAccessibleInterface *cell = cells->cellAt(row, column);
            if (!cell || cell->role() != QAccessible::Cell)
                problems.append(QStringLiteral("no cell at %1, %2").arg(row).arg(column));
        }
    }
    // The status is said in words, never by its colour alone.
    const int status = OperationTableModel::Status;
    for (int row = 0; row < cells->rowCount(); ++row) {
        const QString said = cells->cellAt(row, status)->text(QAccessible::Name);
        if (!said.contains(QRegularExpression(QStringLiteral("Succeeded|Failed|In progress|"
                                                             "Not started|Running"))))
            problems.append(QStringLiteral("row %1 status says \"%2\"").arg(row).arg(said));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
}

void TestAccessibility::theOverviewAndTheTimelineAreDescribed()
{
    QStringList problems;
    for (QAbstractButton *chip : m_d->window.overview()->findChildren<QAbstractButton *>()) {
        QAccessibleInterface *node = QAccessible::queryAccessibleInterface(chip);
        if (node->text(QAccessible::Name).isEmpty() ||
            node->text(QAccessible::Description).isEmpty())
            problems.append(
                QStringLiteral("chip \"%1\" has no name or description").arg(chip->text()));
    }
    auto *timeline = m_d->window.details()->findChild<TimelineWidget *>();
    QVERIFY(timeline);
    QAccessibleInterface *node = QAccessible::queryAccessibleInterface(timeline);
    const QString description = node->text(QAccessible::Description);
    // What the picture shows, in words: the failed operation's steps and its end.
    if (node->text(QAccessible::Name).isEmpty() || !description.contains(QLatin1String("ailed")))
        problems.append(QStringLiteral("timeline says \"%1\"").arg(description));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
}

// Tab walks the panes and their controls; whatever Tab does not reach has a shortcut of its own.
void TestAccessibility::everyControlIsReachableByKeyboard()
{
    QApplication::setActiveWindow(&m_d->window);
    QVERIFY(QTest::qWaitForWindowActive(&m_d->window));
    m_d->window.table()->setFocus();
    QSet<QWidget *> reached;
    for (int press = 0; press < 200; ++press) {
        QWidget *focus = QApplication::focusWidget();
        if (!focus || reached.contains(focus))
            break;
        reached.insert(focus);
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    QVERIFY2(reached.size() >= 5, qPrintable(QString::number(reached.size())));
    QStringList unreached;
    for (QWidget *widget : m_d->window.findChildren<QWidget *>()) {
        if (!widget->isVisibleTo(&m_d->window) || !widget->isEnabled() ||
            !(widget->focusPolicy() & Qt::TabFocus) || widget->focusProxy() ||
            reached.contains(widget))
            continue;
        // Inside a table or list: reached with the arrows once it has the focus.
        if (reached.contains(widget->parentWidget()))
            continue;
        const auto *button = qobject_cast<QAbstractButton *>(widget);
        if (button && !button->shortcut().isEmpty())
            continue;
        unreached.append(QStringLiteral("%1 \"%2\" %3")
                             .arg(QString::fromLatin1(widget->metaObject()->className()),
                                  widget->objectName(), widget->accessibleName()));
    }
    QVERIFY2(unreached.isEmpty(), qPrintable(unreached.join(QStringLiteral("\n"))));
    const QStringList menus = unreachableByKeyboard(*m_d->window.menuBar());
    QVERIFY2(menus.isEmpty(), qPrintable(menus.join(QStringLiteral(" | "))));
}

// WCAG AA: 4.5:1 for text, 3:1 for the status colour (always beside its icon and word).
void TestAccessibility::textsStandOutFromTheirBackground()
{
    QStringList problems;
    for (QLabel *label : m_d->window.findChildren<QLabel *>()) {
        if (!label->isVisibleTo(&m_d->window) || label->text().isEmpty())
            continue;
        const QPalette palette = label->palette();
        const double ratio = contrast(palette.color(label->foregroundRole()),
                                      palette.color(label->backgroundRole()));
        if (ratio < 4.5)
            problems.append(QStringLiteral("label \"%1\": %2:1")
                                .arg(label->objectName())
                                .arg(ratio, 0, 'f', 1));
    }
    const QPalette table = m_d->window.table()->palette();
    for (int row = 0; row < m_d->window.proxy()->rowCount(); ++row) {
        const QModelIndex status = m_d->window.proxy()->index(row, OperationTableModel::Status);
        const QVariant colour = status.data(Qt::ForegroundRole);
        if (!colour.isValid())
            continue;
        const double ratio = contrast(colour.value<QBrush>().color(), table.color(QPalette::Base));
        if (ratio < 3.0)
            problems.append(QStringLiteral("status \"%1\": %2:1")
                                .arg(status.data().toString())
                                .arg(ratio, 0, 'f', 1));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
}

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
