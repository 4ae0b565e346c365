#include "panes/filtersidebar.h"

#include "store/operationcounts.h"
#include "table/operationpresentation.h"

namespace {

constexpr int kCategoryRole = Qt::UserRole + 1;
constexpr int kTypeRole = Qt::UserRole + 2;
constexpr int kStarterRole = Qt::UserRole + 3;

// "All", then every status category.
QList<OperationCategory> categoriesShown()
{
    QList<OperationCategory> shown{OperationCategory::All};
    for (const OperationCategory category : kStatusCategories)
        shown.append(category);
    return shown;
}

QString typeLabel(const QString &raw)
{
    Operation op;
    op.operationTypeRaw = raw;
    op.operationType = operationTypeFromString(raw);
    const QString text = OperationPresentation::typeText(op);
    return text.isEmpty() ? QObject::tr("(unknown type)") : text;
}

} // namespace

FilterSidebar::FilterSidebar(QWidget *parent)
    : QListWidget(parent)
    , m_typesHeader(new QListWidgetItem(tr("Type")))
    , m_startersHeader(new QListWidgetItem(tr("Started by")))
{
    setObjectName(QStringLiteral("filterSidebar"));
    setAccessibleName(tr("Filters by status, type and who started them"));
    auto *statusHeader = new QListWidgetItem(tr("Status"), this);
    statusHeader->setFlags(Qt::NoItemFlags);
    QFont bold = font();
    bold.setBold(true);
    statusHeader->setFont(bold);
    // Headings, not disabled entries: the text colour of the window, not the greyed one.
    statusHeader->setForeground(palette().windowText());
    for (const OperationCategory category : categoriesShown()) {
        auto *item = new QListWidgetItem(categoryName(category), this);
        item->setData(kCategoryRole, int(category));
    }
    m_typesHeader->setFlags(Qt::NoItemFlags);
    m_typesHeader->setFont(bold);
    m_typesHeader->setForeground(palette().windowText());
    addItem(m_typesHeader);
    m_startersHeader->setFlags(Qt::NoItemFlags);
    m_startersHeader->setFont(bold);
    m_startersHeader->setForeground(palette().windowText());
    addItem(m_startersHeader);
    m_startersHeader->setHidden(true); // until a store says who started something
    setCurrentRow(1);
    connect(this, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (!item)
            return;
        const QVariant category = item->data(kCategoryRole);
        emit filterChanged(category.isValid() ? OperationCategory(category.toInt())
                                              : OperationCategory::All,
                           item->data(kTypeRole).toString(), item->data(kStarterRole).toString());
    });
}

void FilterSidebar::select(OperationCategory category)
{
    for (int row = 0; row < count(); ++row) {
        QListWidgetItem *candidate = item(row);
        if (candidate->data(kCategoryRole).isValid() &&
            candidate->data(kCategoryRole).toInt() == int(category)) {
            setCurrentItem(candidate);
        }
    }
}

void FilterSidebar::selectStarter(const QString &startedBy)
{
    for (int row = 0; row < count(); ++row) {
        if (item(row)->data(kStarterRole).toString() == startedBy && !startedBy.isEmpty())
            setCurrentItem(item(row));
    }
}

void FilterSidebar::showEntries(QListWidgetItem *header, QListWidgetItem *nextHeader,
                                const QHash<QString, int> &counts, int role,
                                const std::function<QString(const QString &)> &label)
{
    QStringList names = counts.keys();
    std::sort(names.begin(), names.end());
    const int first = row(header) + 1;
    for (int i = 0; i < names.size(); ++i) {
        QListWidgetItem *entry = first + i < count() ? item(first + i) : nullptr;
        if (!entry || entry == nextHeader || entry->data(role).toString() != names[i]) {
            entry = new QListWidgetItem();
            entry->setData(role, names[i]);
            insertItem(first + i, entry);
        }
        entry->setText(QStringLiteral("%1 (%2)").arg(label(names[i])).arg(counts.value(names[i])));
    }
    const int end = first + int(names.size());
    while (end < count() && item(end) != nextHeader)
        delete takeItem(end);
}

void FilterSidebar::showCounts(const OperationCounts &counts)
{
    m_categoryCounts.clear();
    for (const OperationCategory category : categoriesShown())
        m_categoryCounts.insert(int(category), counts.count(category));
    m_typeCounts = counts.types();

    for (int row = 0; row < count(); ++row) {
        QListWidgetItem *entry = item(row);
        if (entry->data(kCategoryRole).isValid()) {
            const auto category = OperationCategory(entry->data(kCategoryRole).toInt());
            entry->setText(QStringLiteral("%1 (%2)")
                               .arg(categoryName(category))
                               .arg(m_categoryCounts.value(int(category))));
        }
    }
    // Type and starter rows follow those seen so far, in a stable (alphabetical) order.
    showEntries(m_typesHeader, m_startersHeader, m_typeCounts, kTypeRole, typeLabel);
    m_starterCounts = counts.starters();
    m_startersHeader->setHidden(m_starterCounts.isEmpty());
    showEntries(m_startersHeader, nullptr, m_starterCounts, kStarterRole,
                [](const QString &name) { return name; });
}
