#pragma once

#include "graph/team.h"
#include "model/watchedoperation.h"

#include <QDialog>
#include <QList>
#include <QUrl>

#include <functional>

class GraphClient;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QWidget;

// The card for an operation's target: the team fetched from Graph (name, description, visibility,
// archived, its channels — one may be archived or unarchived from here) with "Open in Teams". When
// no browser can be opened the link is shown to copy; when the operation has no target, the card
// says why instead of fetching anything.
class TeamCardDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TeamCardDialog)
public:
    using UrlOpener = std::function<bool(const QUrl &)>;

    TeamCardDialog(GraphClient &client, const WatchedOperation &operation, UrlOpener openUrl,
                   QWidget *parent = nullptr);

    bool isLoading() const { return m_loading; }

signals:
    void loaded(); // the team arrived, or the reason it cannot be shown is on the card
    // Archive or unarchive the selected channel (the window confirms, then starts it).
    void channelArchiveRequested(const QString &teamId, const QString &teamName,
                                 const QString &channelId, const QString &channelName,
                                 bool archive);

private:
    void showTeam(const Team &team);
    void showProblem(const QString &text);
    void showChannels(const ChannelList &list);
    void askChannelArchive(bool archive);
    void openInTeams();

    GraphClient &m_client;
    UrlOpener m_openUrl;
    QLabel *m_message;
    QWidget *m_details;
    QLabel *m_name;
    QLabel *m_description;
    QLabel *m_visibility;
    QLabel *m_archived;
    QLabel *m_members;
    QListWidget *m_channels;
    QPushButton *m_archiveChannel;
    QPushButton *m_unarchiveChannel;
    Team m_team;
    QPushButton *m_openButton;
    QPushButton *m_copyButton;
    QWidget *m_linkBox;
    QLineEdit *m_link;
    QUrl m_webUrl;
    bool m_loading = false;
};
