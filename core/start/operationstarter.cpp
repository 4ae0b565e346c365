#include "start/operationstarter.h"

#include "graph/graphclient.h"
#include "graph/retryafter.h"
#include "model/clock.h"
#include "start/startresolver.h"
#include "store/startjournal.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUuid>

using namespace std::chrono;

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(OperationStarter)
};

} // namespace

QString describeStartFailure(const TeamRequest &request, int httpStatus, const QString &errorCode,
                             const QString &graphMessage)
{
    QString plain;
    switch (httpStatus) {
    case 400:
        plain = Text::tr("Graph refused the request as it was written");
        break;
    case 401:
        plain = Text::tr("the sign-in was refused: sign in again");
        break;
    case 403:
        plain =
            request.kind == TeamRequest::Kind::Clone || request.kind == TeamRequest::Kind::Create
                ? Text::tr("not allowed: the account needs Team.Create (and to own the team)")
                : Text::tr(
                      "not allowed: the account needs TeamSettings.ReadWrite.All or to own the "
                      "team");
        break;
    case 404:
        plain = request.kind == TeamRequest::Kind::Teamify
                    ? Text::tr("no such group, or it is too new: a group is known everywhere "
                               "about 15 minutes after it was made")
                    : Text::tr("no such team (or the account cannot see it)");
        break;
    case 409:
        plain = request.kind == TeamRequest::Kind::Archive
                    ? Text::tr("the team is already archived, or another change to it is running")
                : request.kind == TeamRequest::Kind::Unarchive
                    ? Text::tr("the team is not archived, or another change to it is running")
                    : Text::tr("it conflicts with something that already exists or is running");
        break;
    case 429:
        plain = Text::tr("Graph is throttling: still refused after %1 attempts")
                    .arg(OperationStarter::kMaxAttempts);
        break;
    default:
        plain = httpStatus >= 500 ? Text::tr("Graph failed on its side (HTTP %1)").arg(httpStatus)
                                  : Text::tr("HTTP %1").arg(httpStatus);
    }
    QString graph = graphMessage.trimmed();
    if (!errorCode.isEmpty())
        graph = graph.isEmpty() ? errorCode : errorCode + QStringLiteral(": ") + graph;
    return graph.isEmpty() ? plain : plain + QStringLiteral(" (") + graph + QLatin1Char(')');
}

OperationStarter::OperationStarter(GraphClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_retryDue.isValid() && m_clock.now() >= m_retryDue)
            sendAgain();
        else if (m_retryDue.isValid())
            retryAt(m_retryDue);
    });
    // A moved clock (tests, the soak) makes a wait due at once.
    connect(&m_clock, &Clock::jumped, this, [this] {
        if (m_retryDue.isValid() && m_clock.now() >= m_retryDue)
            sendAgain();
    });
}

void OperationStarter::setJournal(StartJournal *journal)
{
    m_journal = journal;
    if (journal && !m_resolver) {
        m_resolver = new StartResolver(m_client, m_clock, this);
        // Graph said no (429, 409): only a clone that made the team asked for is taken as ours.
        m_resolver->setOnlyNamedClones(true);
    }
    if (m_resolver)
        m_resolver->setJournal(journal);
}

void OperationStarter::lookFirst(const QString &why, std::function<void()> otherwise)
{
    const std::optional<StartRecord> start =
        m_journal && m_resolver ? m_journal->find(m_result.clientRequestId) : std::nullopt;
    if (!start || m_resolver->isBusy()) {
        otherwise();
        return;
    }
    const seconds lookFor = m_request.kind == TeamRequest::Kind::Create
                                ? duration_cast<seconds>(kCreateLookFirst)
                                : seconds(0);
    m_resolver->resolve(*start, lookFor, StartResolver::AtDeadline::Unknown,
                        [this, why, otherwise](const StartResolver::Outcome &outcome) {
                            if (outcome.kind != StartResolver::Outcome::Kind::Found) {
                                otherwise();
                                return;
                            }
                            Result found = m_result;
                            found.takeFound(
                                *outcome.ref, outcome.location,
                                tr("%1, but it had started: %2").arg(why, outcome.message));
                            finish(found);
                        });
}

bool OperationStarter::isWaiting() const
{
    return m_retryDue.isValid() || (m_resolver && m_resolver->isWaiting());
}

void OperationStarter::sendAgain()
{
    m_retry.stop();
    m_retryDue = QDateTime();
    lookFirst(tr("Graph answered that it was throttling"), [this] { send(); });
}

void OperationStarter::start(const TeamRequest &request, Handler done)
{
    start(request, std::move(done), Planned());
}

void OperationStarter::start(const TeamRequest &request, Handler done, const Planned &planned)
{
    Q_ASSERT(!m_done);
    m_request = request;
    m_done = std::move(done);
    m_result = Result();
    m_result.clientRequestId = planned.clientRequestId.isEmpty()
                                   ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                   : planned.clientRequestId;
    if (m_journal) {
        StartRecord intent = request.toJournal(m_result.clientRequestId);
        intent.sentAt = m_clock.now();
        intent.planId = planned.planId;
        intent.planPosition = planned.position;
        if (!m_journal->recordIntent(intent)) {
            // Sent without a trace, a lost answer could not be resolved: not sent at all.
            Result refused = m_result;
            refused.message = tr("not sent: TeamsOps saves a start request before sending it, "
                                 "and the store cannot be written (%1)")
                                  .arg(m_journal->lastError());
            QTimer::singleShot(0, this, [this, refused] { finish(refused); });
            return;
        }
    }
    send();
}

void OperationStarter::cancel()
{
    m_retry.stop();
    m_retryDue = QDateTime();
    m_done = nullptr;
}

void OperationStarter::send()
{
    m_retry.stop();
    m_retryDue = QDateTime();
    ++m_result.attempts;
    if (m_result.attempts == 1)
        m_firstSentAt = m_clock.now();
    const QUrl url = urlUnderBase(m_client.baseUrl(), m_request.path);
    m_client.postOnce(url, m_request.body, m_result.clientRequestId, this,
                      [this](const GraphReply &reply) { answered(reply); });
}

void OperationStarter::retryAt(const QDateTime &due)
{
    m_retryDue = due;
    const qint64 ms = std::max<qint64>(0, m_clock.now().msecsTo(due));
    m_retry.start(int(std::min<qint64>(ms, std::numeric_limits<int>::max())));
}

void OperationStarter::answered(const GraphReply &reply)
{
    // Cancelled: nobody waits for the result, but the journal still learns the answer.
    const bool cancelled = !m_done;
    if (cancelled && !m_journal)
        return;
    Result result = m_result;
    result.httpStatus = reply.httpStatus;
    result.errorCode = reply.errorCode;
    result.requestId = QString::fromLatin1(reply.requestId);
    if (reply.httpStatus == m_request.expectedStatus() ||
        (reply.ok() && reply.httpStatus / 100 == 2)) {
        result.location = QString::fromUtf8(reply.location);
        if (m_request.kind == TeamRequest::Kind::CreateOperation) {
            result.created = QJsonDocument::fromJson(reply.body).object();
            result.accepted = !result.created.isEmpty();
            if (!result.accepted)
                result.message = tr("Graph answered HTTP %1 without the created operation")
                                     .arg(reply.httpStatus);
        } else {
            const LocationResolution resolved =
                resolveLocation(result.location, m_client.baseUrl());
            result.ref = resolved.ref;
            result.accepted = resolved.ref.has_value();
            if (!result.accepted)
                result.message = result.location.isEmpty()
                                     ? tr("Graph accepted the request but sent no Location to "
                                          "watch")
                                     : tr("Graph accepted the request, but its Location cannot be "
                                          "read (%1)")
                                           .arg(resolved.error);
        }
        finish(result);
        return;
    }
    if (reply.failure == GraphFailure::Throttled && result.attempts < kMaxAttempts && !cancelled) {
        // Not taken: the same request again, once the service says it may come.
        const QDateTime now = m_clock.now();
        const std::optional<seconds> asked = parseRetryAfter(reply.retryAfterHeader, now);
        const seconds wait =
            std::min(asked.value_or(kFirstBackoff * (1 << (result.attempts - 1))), kRetryAfterCap);
        m_result = result;
        emit waiting(wait, result.attempts + 1);
        retryAt(now.addSecs(wait.count()));
        return;
    }
    // A group made minutes ago is not known everywhere yet: its team is asked for again, later.
    if (m_request.kind == TeamRequest::Kind::Teamify && reply.httpStatus == 404 && !cancelled) {
        const QDateTime now = m_clock.now();
        const seconds wait = std::min(seconds(10) * (1 << std::min(result.attempts - 1, 6)),
                                      duration_cast<seconds>(kReplicationDelay));
        if (now.addSecs(wait.count()) <=
            m_firstSentAt.addSecs(duration_cast<seconds>(kReplicationDelay).count())) {
            m_result = result;
            emit waiting(wait, result.attempts + 1);
            retryAt(now.addSecs(wait.count()));
            return;
        }
    }
    if (reply.httpStatus == 0 || reply.isNoAnswer()) {
        result.maybeStarted = reply.failure != GraphFailure::Refused;
        result.message =
            tr("no answer from Graph (%1): the request may or may not have started, so it is not "
               "sent again — look at the team's operations before trying again")
                .arg(reply.errorMessage);
        finish(result);
        return;
    }
    result.graphMessage = reply.errorMessage;
    result.message =
        describeStartFailure(m_request, reply.httpStatus, reply.errorCode, reply.errorMessage);
    // "already in progress" may be this very request, taken by an earlier attempt.
    // (A team from a group answers 409 when an earlier, timed-out try made it.)
    if (reply.httpStatus == 409 && !cancelled &&
        (m_request.kind == TeamRequest::Kind::Teamify ||
         reply.errorMessage.contains(QLatin1String("already in progress"), Qt::CaseInsensitive))) {
        m_result = result;
        lookFirst(tr("Graph answered that it was already in progress"),
                  [this, result] { finish(result); });
        return;
    }
    finish(result);
}

void OperationStarter::journalAnswer(const Result &result)
{
    StartRecord answer;
    answer.clientRequestId = result.clientRequestId;
    answer.state = result.accepted       ? StartRecord::State::Accepted
                   : result.maybeStarted ? StartRecord::State::Unknown
                                         : StartRecord::State::Refused;
    answer.location = result.location;
    answer.httpStatus = result.httpStatus;
    answer.requestId = result.requestId;
    answer.message = result.message;
    answer.answeredAt = m_clock.now();
    // The intent stays (an unknown outcome) when this cannot be written: looked at later.
    if (!m_journal->recordAnswer(answer))
        qWarning("teamsops: the answer to start %s was not saved: %s",
                 qPrintable(result.clientRequestId), qPrintable(m_journal->lastError()));
}

void OperationStarter::finish(const Result &result)
{
    if (m_journal && result.attempts > 0)
        journalAnswer(result);
    Handler done = std::exchange(m_done, nullptr);
    if (done)
        done(result);
}
