#include "start/clonereadiness.h"

#include <QCoreApplication>

namespace {

// The context of this file's strings, for tr() at run time and for lupdate alike.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(CloneReadiness)
};

} // namespace

bool CloneReadiness::isComplete() const
{
    return readable && channelsExpected >= 0 && channels >= channelsExpected &&
           (appsExpected < 0 || apps >= appsExpected) && filesExpected >= 0 &&
           (files == kNotAllowed || files >= filesExpected) &&
           (owners == kNotAllowed || owners > 0);
}

QString CloneReadiness::steps() const
{
    QStringList shown;
    shown.append(readable ? Text::tr("Team readable") : Text::tr("Team not readable yet"));
    if (!readable)
        return shown.first();
    if (channelsExpected >= 0)
        shown.append(Text::tr("Channels %1 of %2").arg(channels).arg(channelsExpected));
    if (appsExpected >= 0)
        shown.append(Text::tr("Apps %1 of %2").arg(apps).arg(appsExpected));
    if (files == kNotAllowed)
        shown.append(Text::tr("Files not checked (not allowed for this account)"));
    else if (filesExpected >= 0)
        shown.append(Text::tr("Files %1 of %2").arg(files).arg(filesExpected));
    if (owners == kNotAllowed)
        shown.append(Text::tr("Owners not checked (not allowed for this account)"));
    else if (owners == 0)
        shown.append(Text::tr("No owner yet"));
    else if (owners > 0)
        shown.append(Text::tr("Owners %1").arg(owners));
    return shown.join(QStringLiteral(" · "));
}

QString CloneReadiness::missing() const
{
    QStringList missing;
    if (checks > 0 && !readable)
        missing.append(Text::tr("the team is not readable"));
    if (channelsExpected >= 0 && channels < channelsExpected)
        missing.append(Text::tr("channels %1 of %2").arg(channels).arg(channelsExpected));
    if (appsExpected >= 0 && apps < appsExpected)
        missing.append(Text::tr("apps %1 of %2").arg(apps).arg(appsExpected));
    if (filesExpected >= 0 && files >= 0 && files < filesExpected)
        missing.append(Text::tr("files %1 of %2").arg(files).arg(filesExpected));
    if (owners == 0)
        missing.append(Text::tr("no owner yet"));
    return missing.join(QStringLiteral(", "));
}

QString CloneReadiness::text() const
{
    switch (state) {
    case State::Waiting:
        return QString();
    case State::Checking:
        return Text::tr("Checking that the team is complete…");
    case State::Settling: {
        QString what = missing();
        if (what.isEmpty())
            return Text::tr("Still settling");
        what[0] = what[0].toUpper();
        return Text::tr("%1 — still settling").arg(what);
    }
    case State::Ready:
        return Text::tr("Ready");
    case State::GaveUp: {
        const QString what = missing();
        return Text::tr("Gave up waiting: %1").arg(what.isEmpty() ? lastError : what);
    }
    }
    return QString();
}

QString CloneReadiness::detailedText() const
{
    switch (state) {
    case State::Waiting:
    case State::Checking:
        return text();
    case State::Settling:
        return Text::tr("%1 — still settling").arg(steps());
    case State::Ready:
        return Text::tr("Ready: %1").arg(steps());
    case State::GaveUp:
        return Text::tr("%1 (%2)").arg(text(), steps());
    }
    return QString();
}
