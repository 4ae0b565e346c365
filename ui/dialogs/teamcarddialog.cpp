#include "dialogs/teamcarddialog.h"

#include "table/operationpresentation.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

QLabel *valueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

TeamCardDialog::TeamCardDialog(GraphClient &client, const WatchedOperation &operation,
                               UrlOpener openUrl, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_openUrl(std::move(openUrl))
    , m_message(new QLabel(this))
    , m_details(new QWidget(this))
    , m_name(valueLabel(QStringLiteral("teamName"), m_details))
    , m_description(valueLabel(QStringLiteral("teamDescription"), m_details))
    , m_visibility(valueLabel(QStringLiteral("teamVisibility"), m_details))
    , m_archived(valueLabel(QStringLiteral("teamArchived"), m_details))
    , m_members(valueLabel(QStringLiteral("teamMembers"), m_details))
    , m_channels(new QListWidget(m_details))
    , m_archiveChannel(new QPushButton(tr("&Archive channel…"), m_details))
    , m_unarchiveChannel(new QPushButton(tr("&Unarchive channel…"), m_details))
    , m_openButton(new QPushButton(tr("Open in Teams"), this))
    , m_copyButton(new QPushButton(tr("Copy link"), this))
    , m_linkBox(new QWidget(this))
    , m_link(new QLineEdit(m_linkBox))
{
    setWindowTitle(tr("Target of the operation"));
    setWindowIcon(OperationPresentation::appIcon());
    setMinimumWidth(460);

    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout(m_details);
    form->setContentsMargins(0, 0, 0, 0);
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    nameFont.setBold(true);
    m_name->setFont(nameFont);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Description:"), m_description);
    form->addRow(tr("Visibility:"), m_visibility);
    form->addRow(tr("Archived:"), m_archived);
    form->addRow(tr("Members:"), m_members);
    m_channels->setObjectName(QStringLiteral("teamChannels"));
    m_channels->setAccessibleName(tr("Channels"));
    m_channels->setMaximumHeight(m_channels->fontMetrics().height() * 7);
    m_archiveChannel->setObjectName(QStringLiteral("archiveChannel"));
    m_unarchiveChannel->setObjectName(QStringLiteral("unarchiveChannel"));
    auto *channelButtons = new QHBoxLayout;
    channelButtons->addWidget(m_archiveChannel);
    channelButtons->addWidget(m_unarchiveChannel);
    channelButtons->addStretch();
    auto *channelBox = new QVBoxLayout;
    channelBox->addWidget(m_channels);
    channelBox->addLayout(channelButtons);
    form->addRow(tr("Channels:"), channelBox);
    const auto channelChosen = [this] {
        const bool chosen = m_channels->currentItem() != nullptr;
        m_archiveChannel->setEnabled(chosen);
        m_unarchiveChannel->setEnabled(chosen);
    };
    connect(m_channels, &QListWidget::currentItemChanged, this, channelChosen);
    connect(m_archiveChannel, &QPushButton::clicked, this, [this] { askChannelArchive(true); });
    connect(m_unarchiveChannel, &QPushButton::clicked, this, [this] { askChannelArchive(false); });
    channelChosen();
    m_details->hide();

    // Shown only when no browser could be opened: the link, selected, ready to copy.
    auto *linkLayout = new QVBoxLayout(m_linkBox);
    linkLayout->setContentsMargins(0, 0, 0, 0);
    auto *linkHint =
        new QLabel(tr("No browser could be opened. Copy the link to open the team:"), m_linkBox);
    linkHint->setWordWrap(true);
    m_link->setObjectName(QStringLiteral("link"));
    m_link->setReadOnly(true);
    linkLayout->addWidget(linkHint);
    linkLayout->addWidget(m_link);
    m_linkBox->hide();

    m_openButton->setObjectName(QStringLiteral("openInTeams"));
    m_copyButton->setObjectName(QStringLiteral("copyLink"));
    m_openButton->setEnabled(false);
    m_copyButton->setEnabled(false);
    connect(m_openButton, &QPushButton::clicked, this, &TeamCardDialog::openInTeams);
    connect(m_copyButton, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_webUrl.toString()); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_copyButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_openButton, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(m_details);
    layout->addWidget(m_linkBox);
    layout->addStretch();
    layout->addWidget(buttons);

    const QString reason = OperationPresentation::reasonForNoTarget(operation);
    if (!reason.isEmpty()) {
        m_message->setText(reason);
        m_openButton->setToolTip(reason);
        return;
    }
    m_loading = true;
    const QString target = operation.latest->targetResourceLocation;
    m_message->setText(tr("Loading %1 from Microsoft Graph…").arg(target));
    fetchTeam(client, target, this, [this, target](const TeamResult &result) {
        if (!result.team) {
            m_loading = false;
            showProblem(tr("Could not load %1: %2").arg(target, result.error));
            emit loaded();
            return;
        }
        showTeam(*result.team);
        // The member count needs a scope the account may lack; the card says so if it does.
        // Asked before the channels: the reads are paced within the team's budget, and the
        // card is loaded once it knows its members.
        m_members->setText(tr("counting…"));
        fetchMemberCount(m_client, target, this, [this](const MemberCount &members) {
            m_members->setText(members.count ? QString::number(*members.count)
                                             : tr("unknown (%1)").arg(members.unavailable));
            m_loading = false;
            emit loaded();
        });
        m_channels->addItem(tr("listing…"));
        m_channels->setEnabled(false);
        fetchChannels(m_client, target, this,
                      [this](const ChannelList &list) { showChannels(list); });
    });
}

void TeamCardDialog::showTeam(const Team &team)
{
    m_team = team;
    m_message->setText(tr("The team this operation produced or changed:"));
    m_name->setText(team.displayName);
    m_description->setText(team.description.isEmpty() ? tr("(none)") : team.description);
    m_visibility->setText(team.visibility.isEmpty() ? tr("(not given)") : team.visibility);
    m_archived->setText(team.isArchived ? tr("Yes — read-only") : tr("No"));
    m_details->show();
    m_webUrl = team.webUrl;
    m_openButton->setEnabled(m_webUrl.isValid());
    m_copyButton->setEnabled(m_webUrl.isValid());
    if (!m_webUrl.isValid())
        m_openButton->setToolTip(tr("Graph sent no web link for this team."));
    m_openButton->setDefault(true);
}

void TeamCardDialog::showChannels(const ChannelList &list)
{
    m_channels->clear();
    m_channels->setEnabled(true);
    if (!list.channels) {
        m_channels->addItem(tr("Could not list the channels: %1").arg(list.error));
        m_channels->setEnabled(false);
        return;
    }
    for (const Channel &channel : *list.channels) {
        QString text = channel.displayName;
        if (channel.membershipType == QLatin1String("private"))
            text += tr(" (private)");
        if (channel.isArchived)
            text += tr(" — archived");
        auto *item = new QListWidgetItem(text, m_channels);
        item->setData(Qt::UserRole, channel.id);
        item->setData(Qt::UserRole + 1, channel.displayName);
        item->setToolTip(channel.id);
    }
}

void TeamCardDialog::askChannelArchive(bool archive)
{
    const QListWidgetItem *item = m_channels->currentItem();
    if (!item || m_team.id.isEmpty())
        return;
    emit channelArchiveRequested(m_team.id, m_team.displayName, item->data(Qt::UserRole).toString(),
                                 item->data(Qt::UserRole + 1).toString(), archive);
}

void TeamCardDialog::showProblem(const QString &text)
{
    m_message->setText(text);
}

void TeamCardDialog::openInTeams()
{
    if (m_openUrl && m_openUrl(m_webUrl))
        return;
    m_link->setText(m_webUrl.toString());
    m_linkBox->show();
    m_link->setFocus();
    m_link->selectAll();
}
