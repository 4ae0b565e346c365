#pragma once

#include "simreply.h"

#include <QJsonArray>
#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QUrl>

#include <optional>

// A fault some requests get: a Graph error, a broken body, a slow or missing answer. Tests add
// them in code (SimServer::injectFault); scenarios list them under "faults":
//   {"path": "/operations/", "rate": 0.05, "status": 503, "retryAfter": "7"}  a Graph error
//   {"path": "...", "rate": 0.05, "kind": "truncated"}   200 with a body cut in half
//   {"path": "...", "rate": 0.05, "kind": "html"}        502 with an HTML error page
//   {"path": "...", "rate": 0.05, "kind": "oversize"}    200 with an 8 MiB body
//   {"path": "...", "rate": 0.05, "kind": "hang"}        never answered
//   {"path": "...", "kind": "selfLink"}  a list page whose @odata.nextLink is the page itself
//   {"path": "...", "kind": "endless"}   a list page that always links to one more page
//   {"path": "...", "kind": "drip"}      the answer one byte at a time, 200 ms apart
//   {"path": "...", "kind": "stall"}     headers and half the body, then nothing
//   {"path": "...", "kind": "reset"}     headers and half the body, then the connection drops
//   {"path": "...", "kind": "close"}     the request is served, then the connection is closed
//                                        cleanly before any byte of the answer
//   {"path": "...", "kind": "abort"}     the request is served, then the connection is reset
//                                        (RST) before any byte of the answer
//   {"path": "...", "kind": "lost"}      the connection closes before the request reaches the
//                                        service: nothing is served
//   {"method": "POST", ...}              only requests of this method
//   {"status": 429, "served": true, ...} the request is served, and answered with the error
//   {"pathEndsWith": "/operations", ...} only paths ending so (a list, not its items)
//   {"path": "...", "latencyMs": 300}                    every matching answer delayed
//   {"path": "...", "times": 2, ...}                     only the next two matching requests
struct SimFault
{
    QString pathContains;  // matched against the decoded path
    QString pathEndsWith;  // when set, the decoded path must also end with it
    QString queryContains; // when set, the query must contain it ("$skiptoken": a next page)
    QByteArray method;     // when set, only requests of this method ("POST")
    double rate = 1.0;     // share of matching requests it answers
    int times = -1;        // how many requests it answers; -1 for all
    int status = 0;        // a Graph error with this status (429 and 503 read as throttling)
    QByteArray retryAfter;
    QString kind;    // truncated, html, oversize, hang; empty for a status or a body
    QByteArray body; // when set, sent as is with `status` (truncated JSON, an HTML page...)
    QByteArray contentType = "application/json";
    int latencyMs = 0; // added to every matching answer, drawn or not
    // With a status: the service does the work first, then the answer is that error (Graph has
    // answered 429 to a create that went through).
    bool served = false;

    // A Graph-style error answer to the next `times` matching requests, e.g. answer(path, 429,
    // "30").
    static SimFault answer(const QString &path, int status, const QByteArray &retryAfter = {},
                           int times = 1)
    {
        SimFault fault;
        fault.pathContains = path;
        fault.status = status;
        fault.retryAfter = retryAfter;
        fault.times = times;
        return fault;
    }

    // Whether the fault answers instead of the service (the service is not asked at all).
    bool replacesAnswer() const;
};

// The faults in force, in the order they were added: the first matching one that is drawn applies.
// Draws come from a generator seeded by the scenario, so a run can be repeated.
class SimFaults
{
public:
    // Replaces every fault with a scenario's list; returns an error for people, or "".
    QString load(const QJsonArray &specs, quint32 seed);
    void add(const SimFault &fault) { m_faults.append(fault); }
    bool isEmpty() const { return m_faults.isEmpty(); }
    qint64 drawn() const { return m_drawn; } // faults given so far, of every kind

    // The fault a request on `path` gets, if any, counted against its `times`. Latency of every
    // matching fault is added to `delayMs`.
    std::optional<SimFault> draw(const QByteArray &method, const QString &path,
                                 const QString &query, int &delayMs);

    // The answer a replacing fault sends.
    static SimReply answerOf(const SimFault &fault);
    // What a non-replacing fault does to the service's own answer to `url`.
    static void alter(const SimFault &fault, const QUrl &url, SimReply &reply);

private:
    QList<SimFault> m_faults;
    QRandomGenerator m_random;
    qint64 m_drawn = 0;
};
