#pragma once

#include <QString>
#include <QStringList>

// Whether a clone's team is really there. Graph reports a clone succeeded before it is usable
// (GRAPH.md): the new team's GET answers 404 for a while, its channels appear one by one
// (microsoft-graph-docs #4883), its owners show later, and a channel's SharePoint folder exists
// only once someone asks for it. Each of those is a step people see:
// "Team readable · Channels 4 of 4 · Files 3 of 4 · Owners 2".
struct CloneReadiness
{
    enum class State
    {
        Waiting,  // the clone has not succeeded yet
        Checking, // the first round of checks is on its way
        Settling, // a step is not complete so far
        Ready,
        GaveUp, // still settling after the time allowed
    };
    // A step this account may not check (Graph answered 403): said, and not waited for.
    static constexpr int kNotAllowed = -2;

    State state = State::Waiting;
    bool readable = false; // the new team's GET answered
    int channels = 0;
    int channelsExpected = -1; // -1: not compared yet
    int apps = 0;
    int appsExpected = -1; // -1: not compared (apps were not cloned)
    int files = 0;         // standard channels whose files folder exists
    int filesExpected = -1;
    int owners = -1; // -1: not read yet; kNotAllowed
    int checks = 0;
    QString lastError; // the last check that failed, for people

    bool isFinal() const { return state == State::Ready || state == State::GaveUp; }
    // Every step checked is complete.
    bool isComplete() const;
    // "Team readable · Channels 4 of 4 · Files 3 of 4 · Owners 2"
    QString steps() const;
    // What is still missing, for people: "channels 7 of 12, no owner yet".
    QString missing() const;
    // Short, for a table cell: "Ready", "Channels 7 of 12, no owner yet — still settling",
    // "Gave up waiting: files 3 of 4".
    QString text() const;
    // Every step, for the details and the CLI: "Team readable · Channels 7 of 12 · … — still
    // settling", "Ready: Team readable · Channels 4 of 4 · Files 4 of 4 · Owners 2".
    QString detailedText() const;
};
