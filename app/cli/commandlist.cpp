#include "cli/commandlist.h"

#include <QStringList>

namespace {

constexpr int kTermWidth = 30; // as QCommandLineParser aligns the options below
constexpr int kLineWidth = 79;

QList<CliCommand> makeCommands()
{
    const auto command = [](const char *name, const char *arguments, const char *summary) {
        return CliCommand{QString::fromUtf8(name), QString::fromUtf8(arguments),
                          QString::fromUtf8(summary)};
    };
    return {
        command("watch", "[LOCATION...]",
                "Watch operations until they end: the LOCATIONs, every operation of --team TEAM, "
                "the lines of --from FILE (- for standard input); with none of them, every "
                "unfinished operation stored."),
        command("list", "[--json]", "What the store holds, the last status of each."),
        command("history", "[--json] LOCATION",
                "Every change seen of one operation; --support: as one JSON document for "
                "Microsoft support (replies, request ids, timeline; no token)."),
        command("forget", "LOCATION...",
                "Remove operations from the store, or --terminal-older-than DAYS the finished "
                "ones."),
        command("login", "--client-id ID",
                "Sign in (--tenant, --cloud; --device-code or --browser) and keep the sign-in "
                "in the keychain."),
        command("logout", "", "Forget the kept sign-in."),
        command("whoami", "[--json]", "Who is signed in, until when."),
        command("clone", "TEAM --name NAME",
                "Clone a team (--parts, --visibility, --description, --classification); "
                "--names-from FILE.csv or --name \"Project {n}\" --count N start many, paced."),
        command("archive", "TEAM", "Archive a team (--spo-read-only)."),
        command("unarchive", "TEAM", "Unarchive a team."),
        command("create", "--name NAME", "Create a team (--description, --visibility)."),
        command("operations", "create TEAM --body FILE|-",
                "Start the teamsAsyncOperation the JSON describes (--me: under "
                "/me/joinedTeams)."),
        command("archive-channel", "TEAM CHANNEL", "Archive one channel of a team."),
        command("unarchive-channel", "TEAM CHANNEL", "Unarchive one channel of a team."),
        command("teamify", "GROUP", "Make a team of a Microsoft 365 group."),
        command("plans", "[--json]", "The saved bulk clones and how far each got."),
        command("resume", "[PLAN]",
                "Finish starts left unfinished: each looked for first, never sent twice; then "
                "every saved plan, or only PLAN."),
    };
}

// `text` wrapped at kLineWidth, every line but the first indented to kTermWidth.
QString wrapBeside(const QString &text)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && kTermWidth + line.size() + 1 + word.size() > kLineWidth) {
            lines.append(line);
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    lines.append(line);
    return lines.join(QLatin1Char('\n') + QString(kTermWidth, QLatin1Char(' ')));
}

} // namespace

const QList<CliCommand> &cliCommands()
{
    static const QList<CliCommand> commands = makeCommands();
    return commands;
}

bool isCliCommand(const QString &name)
{
    for (const CliCommand &command : cliCommands()) {
        if (command.name == name)
            return true;
    }
    return false;
}

QString cliCommandNames()
{
    QStringList names;
    for (const CliCommand &command : cliCommands())
        names.append(command.name);
    const QString last = names.takeLast();
    return names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
}

QString cliCommandHelp()
{
    QString help = QStringLiteral("Commands:\n");
    for (const CliCommand &command : cliCommands()) {
        QString term = QStringLiteral("  ") + command.name;
        if (!command.arguments.isEmpty())
            term += QLatin1Char(' ') + command.arguments;
        // A long term gets its own line, the summary below it (as the options' do).
        if (term.size() + 2 > kTermWidth)
            help += term + QLatin1Char('\n') + QString(kTermWidth, QLatin1Char(' '));
        else
            help += term.leftJustified(kTermWidth);
        help += wrapBeside(command.summary) + QLatin1Char('\n');
    }
    return help;
}
