#include "start/bulkclone.h"

#include "graph/graphclient.h"
#include "model/clock.h"
#include "model/operationref.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUuid>

using namespace std::chrono;

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(BulkClone)
};

// One CSV record's fields (RFC 4180: quotes around fields with commas, "" for a quote).
QStringList csvFields(const QString &line, bool &ok)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    ok = true;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() &&
                line.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"') && field.trimmed().isEmpty()) {
            quoted = true;
            field.clear();
        } else if (c == QLatin1Char(',')) {
            fields.append(field.trimmed());
            field.clear();
        } else {
            field += c;
        }
    }
    ok = !quoted;
    fields.append(field.trimmed());
    return fields;
}

} // namespace

QList<BulkCloneName> namesFromPattern(const QString &pattern, int count, int first,
                                      QString &problem)
{
    QList<BulkCloneName> names;
    if (!pattern.contains(QLatin1String("{n}"))) {
        problem = Text::tr("the name pattern needs {n} where the number goes (“Project {n}”)");
        return names;
    }
    if (count < 1 || count > 1000) {
        problem = Text::tr("a bulk clone makes 1 to 1000 teams (asked for %1)").arg(count);
        return names;
    }
    for (int n = first; n < first + count; ++n)
        names.append({QString(pattern).replace(QLatin1String("{n}"), QString::number(n)), {}});
    return names;
}

QList<BulkCloneName> namesFromCsv(const QByteArray &csv, QString &problem)
{
    QList<BulkCloneName> names;
    QString text = QString::fromUtf8(csv);
    if (text.startsWith(QChar(0xFEFF))) // a byte order mark, as spreadsheets write
        text.remove(0, 1);
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        line.remove(QLatin1Char('\r'));
        if (line.trimmed().isEmpty())
            continue;
        bool ok = true;
        const QStringList fields = csvFields(line, ok);
        if (!ok) {
            problem = Text::tr("line %1: a quote is not closed").arg(i + 1);
            return {};
        }
        const QString first = fields.value(0);
        if (names.isEmpty() &&
            (first.compare(QLatin1String("name"), Qt::CaseInsensitive) == 0 ||
             first.compare(QLatin1String("displayName"), Qt::CaseInsensitive) == 0))
            continue; // the header
        if (first.isEmpty()) {
            problem = Text::tr("line %1: no name in the first column").arg(i + 1);
            return {};
        }
        names.append({first, fields.value(1)});
    }
    if (names.isEmpty())
        problem = Text::tr("no names in the file");
    if (names.size() > 1000)
        problem =
            Text::tr("a bulk clone makes at most 1000 teams (the file has %1)").arg(names.size());
    return problem.isEmpty() ? names : QList<BulkCloneName>();
}

BulkCloner::BulkCloner(GraphClient &client, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_starter(client, clock)
    , m_client(client)
    , m_clock(clock)
{
    m_pace.setSingleShot(true);
    connect(&m_pace, &QTimer::timeout, this, &BulkCloner::sendNext);
    connect(&m_starter, &OperationStarter::waiting, this, [this] {
        const auto sending = std::find_if(m_items.cbegin(), m_items.cend(), [](const Item &item) {
            return item.state == Item::State::Sending;
        });
        if (m_poller && sending != m_items.cend())
            m_poller->teamRequestThrottled(sending->request.teamId, m_lastSentAt);
    });
    connect(&m_clock, &Clock::jumped, this, [this] {
        if (m_pace.isActive())
            sendNext();
    });
}

void BulkCloner::setJournal(StartJournal *journal)
{
    m_journal = journal;
    m_starter.setJournal(journal);
}

void BulkCloner::setPerSecond(int perSecond)
{
    m_spacing = milliseconds(1000 / std::clamp(perSecond, 1, 6) + 1);
}

bool BulkCloner::start(const CloneOptions &common, const QList<BulkCloneName> &names,
                       QString &problem)
{
    QList<Item> items;
    for (qsizetype i = 0; i < names.size(); ++i) {
        CloneOptions options = common;
        options.displayName = names.at(i).displayName;
        if (!names.at(i).description.isEmpty())
            options.description = names.at(i).description;
        Item item;
        item.request = cloneRequest(options, problem);
        if (!problem.isEmpty()) {
            problem = tr("“%1”: %2").arg(names.at(i).displayName, problem);
            return false;
        }
        items.append(item);
    }
    if (m_journal) {
        // The plan first: every clone, waiting, before anything is sent.
        const QString planId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QList<StartRecord> plan;
        for (qsizetype i = 0; i < items.size(); ++i) {
            items[i].clientRequestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
            StartRecord waiting = items[i].request.toJournal(items[i].clientRequestId);
            waiting.planId = planId;
            waiting.planPosition = int(i);
            plan.append(waiting);
        }
        if (!m_journal->recordPlan(plan)) {
            problem = tr("nothing sent: the plan cannot be saved in the store (%1)")
                          .arg(m_journal->lastError());
            return false;
        }
        m_planId = planId;
    }
    m_items = items;
    m_running = true;
    emit progress(0, int(m_items.size()));
    sendNext();
    return true;
}

bool BulkCloner::resume(const QString &planId, const QList<StartRecord> &starts, QString &problem)
{
    QList<Item> items;
    for (const StartRecord &start : starts) {
        Item item;
        item.request = TeamRequest::fromJournal(start);
        item.clientRequestId = start.clientRequestId;
        item.result.clientRequestId = start.clientRequestId;
        item.result.location = start.location;
        item.result.message = start.message;
        if (start.state == StartRecord::State::Accepted) {
            item.state = Item::State::Accepted;
            item.result.accepted = true;
            item.result.ref = resolveLocation(start.location, m_client.baseUrl()).ref;
        } else if (start.isLeft()) {
            item.state = Item::State::Waiting;
        } else {
            item.state = Item::State::Refused;
            item.result.maybeStarted = start.isUnresolved();
        }
        if (item.request.path.isEmpty()) {
            problem = tr("the plan holds a request this TeamsOps cannot send (%1)").arg(start.kind);
            return false;
        }
        items.append(item);
    }
    m_planId = planId;
    m_items = items;
    m_running = true;
    emit progress(done(), int(m_items.size()));
    sendNext();
    return true;
}

void BulkCloner::retryRefused()
{
    for (Item &item : m_items) {
        if (item.state == Item::State::Refused && !item.result.maybeStarted) {
            item.state = Item::State::Waiting;
            // Sent again: a new request, with its own id, in the same place of the plan.
            if (m_journal)
                item.clientRequestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        }
    }
    m_running = true;
    sendNext();
}

void BulkCloner::cancel()
{
    // What is on its way finishes (it may already be accepted); nothing more goes out.
    m_pace.stop();
    const bool wasRunning = m_running;
    m_running = false;
    if (wasRunning && !m_starter.isBusy())
        emit finished(accepted(), refused(), true);
}

int BulkCloner::accepted() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [](const Item &item) { return item.state == Item::State::Accepted; }));
}

int BulkCloner::refused() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [](const Item &item) { return item.state == Item::State::Refused; }));
}

int BulkCloner::done() const
{
    return accepted() + refused();
}

milliseconds BulkCloner::timeLeft() const
{
    const qsizetype left = std::count_if(m_items.cbegin(), m_items.cend(), [](const Item &item) {
        return item.state == Item::State::Waiting || item.state == Item::State::Sending;
    });
    return m_spacing * left;
}

void BulkCloner::sendNext()
{
    if (!m_running || m_starter.isBusy())
        return;
    const auto next = std::find_if(m_items.begin(), m_items.end(), [](const Item &item) {
        return item.state == Item::State::Waiting;
    });
    if (next == m_items.end()) {
        m_running = false;
        emit finished(accepted(), refused(), false);
        return;
    }
    // Paced from the last send: never faster than the spacing, however fast Graph answers.
    const QDateTime now = m_clock.now();
    if (m_lastSentAt.isValid()) {
        const qint64 wait = m_spacing.count() - m_lastSentAt.msecsTo(now);
        if (wait > 0) {
            m_pace.start(int(wait));
            return;
        }
    }
    if (m_poller) {
        const QDateTime freeAt = m_poller->reserveTeamRequest(next->request.teamId);
        if (freeAt.isValid()) {
            m_pace.start(int(std::clamp<qint64>(now.msecsTo(freeAt), 1, 60000)));
            return;
        }
    }
    m_pace.stop();
    m_lastSentAt = now;
    const int index = int(next - m_items.begin());
    next->state = Item::State::Sending;
    const OperationStarter::Planned planned{next->clientRequestId, m_planId, index};
    m_starter.start(
        next->request,
        [this, index](const OperationStarter::Result &result) {
            Item &item = m_items[index];
            item.result = result;
            item.state = result.accepted ? Item::State::Accepted : Item::State::Refused;
            // A throttled one waited and was sent again inside the starter: the pace counts from
            // that last send, about now.
            if (result.attempts > 1)
                m_lastSentAt = m_clock.now();
            emit itemFinished(index);
            emit progress(done(), int(m_items.size()));
            if (!m_running) {
                emit finished(accepted(), refused(), true);
                return;
            }
            sendNext();
        },
        planned);
}
