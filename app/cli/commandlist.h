#pragma once

#include <QList>
#include <QString>

// Every command of teamsops-cli with its arguments and what it does: the one list that --help (and
// so the man page, made from --help by help2man), the check of the command word and the test of
// the shell completions read.
struct CliCommand
{
    QString name;
    QString arguments; // after the name, as --help shows them
    QString summary;
};

const QList<CliCommand> &cliCommands();
bool isCliCommand(const QString &name);
// "watch, list, history, … or teamify"
QString cliCommandNames();
// The "Commands:" section of --help: each command with its arguments, its summary wrapped beside
// them (help2man turns the section into the man page's COMMANDS).
QString cliCommandHelp();
