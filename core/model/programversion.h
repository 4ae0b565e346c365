#pragma once

#include <QString>

// The project's version, as CMake's project() sets it ("0.1.0").
QString programVersion();

// "teamsops-cli 0.1.0 (Qt 6.4.2)": what --version prints, and what a bug report needs: the
// program's own version and the Qt it runs on, which a distribution upgrade can change under an
// installed TeamsOps.
QString programVersionLine(const QString &program);
