# Shared by ./scripts/demo, ./scripts/test and ./scripts/screenshot: install what is missing, then build.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${TEAMSOPS_BUILD_DIR:-$ROOT/build}"

# Debian bookworm packages. qt6-websockets-dev is needed by HttpServer's CMake config;
# libqt6sql6-sqlite is the SQLite driver the store opens at run time. QtKeychain keeps the sign-in;
# the tests run it against a real Secret Service (gnome-keyring-daemon in dbus-run-session).
# libssl-dev: libcrypto signs (core) and checks (sim) app-only client assertions, RS256.
# qt6-l10n-tools + qt6-tools-dev: lupdate/lrelease and their CMake functions, for the English
# plural forms ("1 poll", "2 polls") and the .ts of every string that the build generates.
# Packaging (./scripts/package, tests/package): help2man makes the man pages from --help,
# dpkg-dev's dpkg-shlibdeps the package's dependencies; lintian, desktop-file-utils and appstream
# check the package; bash-completion and zsh load the completions. libqt6sql6-psql: Qt's driver
# for a team's store in PostgreSQL; postgresql: the real server its tests start (initdb into a
# temporary folder, on a free port of 127.0.0.1).
PACKAGES=(cmake g++ ninja-build qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
          qt6-svg-dev libqt6svg6 qt6-qpa-plugins libqt6sql6-sqlite libssl3 libssl-dev xvfb xauth
          qtkeychain-qt6-dev gnome-keyring dbus-daemon
          qt6-l10n-tools qt6-tools-dev
          help2man dpkg-dev lintian desktop-file-utils appstream bash-completion zsh man-db
          libqt6sql6-psql libsecret-1-0 postgresql)

install_missing_packages() {
    local missing=()
    for pkg in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build_project() {
    if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
        cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fi
    cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}
