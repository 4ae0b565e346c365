#include "panes/filtersidebar.h"

#include "store/operationcounts.h"
#include "table/operationpresentation.h"

namespace {

constexpr int kCategoryRole = Qt::UserRole + 1;
constexpr int kTypeRole = Qt::UserRole + 2;

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
{
    setObjectName(QStringLiteral("filterSidebar"));
    setAccessibleName(tr("Filters by status and type"));
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
    setCurrentRow(1);
    connect(this, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (!item)
            return;
        const QVariant type = item->data(kTypeRole);
        emit filterChanged(type.isValid() ? OperationCategory::All
                                          : OperationCategory(item->data(kCategoryRole).toInt()),
                           type.toString());
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
    // Type rows follow the types seen so far, in a stable (alphabetical) order.
    QStringList types = m_typeCounts.keys();
    std::sort(types.begin(), types.end());
    const int first = row(m_typesHeader) + 1;
    for (int i = 0; i < types.size(); ++i) {
        QListWidgetItem *entry = first + i < count() ? item(first + i) : nullptr;
        if (!entry || entry->data(kTypeRole).toString() != types[i]) {
            entry = new QListWidgetItem();
            entry->setData(kTypeRole, types[i]);
            insertItem(first + i, entry);
        }
        entry->setText(
            QStringLiteral("%1 (%2)").arg(typeLabel(types[i])).arg(m_typeCounts.value(types[i])));
    }
    while (count() > first + types.size())
        delete takeItem(first + int(types.size()));
}
