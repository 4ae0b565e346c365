#pragma once

#include "model/operationref.h"
#include "store/startjournal.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

class Clock;
class GraphClient;

// What became of a start request whose answer never came: found by looking at Graph, never by
// sending it again. A clone, archive or unarchive is looked for in its team's operation list, a
// create in the operations of the teams with its display name (GET /teams?$filter=displayName eq
// '…'): an operation of the request's type, created from a little before the request was sent
// and not already the answer to another start in the journal. A clone whose operation names its
// team must have produced a team of the requested name. Graph can take a while to show new work,
// so an unanswered look is repeated every `spacing` until the deadline.
class StartResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartResolver)
public:
    // How much earlier than the request's own time an operation may say it was created (the
    // machine's clock and Graph's differ).
    static constexpr std::chrono::minutes kClockSkew{2};
    // Graph shows a new team or operation within minutes; after this, nothing found means the
    // request did not start.
    static constexpr std::chrono::minutes kGracePeriod{5};
    // With only named clones taken (after a 429 or 409): an unnamed clone of the template that
    // started about when the request went may be its own, and names its team once it succeeds
    // (minutes). Looked at until then, this long at most, rather than a second clone sent.
    static constexpr std::chrono::minutes kCloneNameWait{30};
    // What is left of a start's grace period at `now` (none for an old one: decided at the first
    // look), to look for it through the whole of it and no longer.
    static std::chrono::seconds graceLeft(const StartRecord &start, const QDateTime &now);

    struct Outcome
    {
        enum class Kind
        {
            Found,      // the operation it started: `ref` and `location`
            NotStarted, // nothing after the whole grace period: it may be sent again
            Unknown,    // still nobody knows (looked briefly, several candidates, Graph failing)
        } kind = Kind::Unknown;
        std::optional<OperationRef> ref;
        QString location;
        QString message; // for people
    };
    using Handler = std::function<void(const Outcome &)>;

    // Whether running out of time means "not started" (the whole grace period was spent) or
    // only "still unknown" (a command that looks for a minute and leaves the rest for later).
    enum class AtDeadline
    {
        NotStarted,
        Unknown
    };

    StartResolver(GraphClient &client, Clock &clock, QObject *parent = nullptr);

    void setSpacing(std::chrono::seconds spacing) { m_spacing = spacing; }
    // Whether a clone that names no team yet may be taken as found when it is the only
    // candidate (a lost answer: it likely started), or only a clone that made a team of the
    // requested name (an answer that said no, such as a 429: it likely did not).
    void setOnlyNamedClones(bool only) { m_onlyNamedClones = only; }
    // With a journal, the outcome is written there (accepted, not started, or unknown), and the
    // starts it already answered are not candidates. Not owned.
    void setJournal(StartJournal *journal) { m_journal = journal; }

    // One start at a time; `done` runs once.
    void resolve(const StartRecord &start, std::chrono::seconds lookFor, AtDeadline atDeadline,
                 Handler done);
    bool isBusy() const { return bool(m_done); }
    // Between two looks: nothing in flight, the next look at a time to come.
    bool isWaiting() const { return m_againAt.isValid(); }

private:
    struct Candidate
    {
        OperationRef ref;
        QDateTime createdAt;
        QString targetTeamId;
    };
    void look();
    // The operations of each team in turn, every page, keeping the candidates.
    void listOperations(const QStringList &teamIds, QList<Candidate> found);
    void fetchPage(const QUrl &url, const QStringList &teamIds, int pagesLeft,
                   QList<Candidate> found);
    void decide(const QList<Candidate> &candidates, const QSet<QString> &teamsNamedSo);
    // Looks again after `spacing` while the deadline allows; then gives the outcome `why` (or
    // "not started" / "not found yet" when there is no reason to doubt).
    void lookAgainOrGiveUp(const QString &why);
    void finish(const Outcome &outcome);
    QString expectedType() const;
    QString requestedName() const;

    GraphClient &m_client;
    Clock &m_clock;
    StartJournal *m_journal = nullptr;
    std::chrono::seconds m_spacing{10};
    StartRecord m_start;
    AtDeadline m_atDeadline = AtDeadline::NotStarted;
    QDateTime m_deadline;
    QSet<QString> m_claimed; // keys of operations other starts were answered with
    QSet<QString> m_namedSo; // ids of the teams with the requested name (clone, create)
    Handler m_done;
    QTimer m_again;
    QDateTime m_againAt;
    int m_looks = 0;
    bool m_onlyNamedClones = false;
    bool m_waitingForAName = false; // the deadline was moved for an unnamed clone (kCloneNameWait)
};
