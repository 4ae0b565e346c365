#!/usr/bin/env bash
# The Debian package as an admin gets it: made by CPack from the build, checked by lintian,
# installed with apt-get, its programs, man pages, menu entry, AppStream data and completions used
# where they were installed, then removed without a trace.
# Usage: debian_test.sh BUILD_DIR VERSION
# It installs on this machine, so it needs root (CI runs as root on a throw-away machine) or
# passwordless sudo; without either it is skipped (exit 77), saying so.
set -euo pipefail
build=$1 version=$2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || { echo "SKIP: installing a package needs root or sudo"; exit 77; }
    as_root=(sudo -n)
fi
installed() { dpkg-query -W -f='${Status}' teamsops 2>/dev/null | grep -q "install ok installed"; }
if installed; then
    echo "SKIP: a teamsops package is already installed here; remove it to run this test"
    exit 77
fi

work=$(mktemp -d)
sim_pid=""
cleanup() {
    [ -z "$sim_pid" ] || kill "$sim_pid" 2>/dev/null || true
    if installed; then "${as_root[@]}" apt-get remove --purge -y -qq teamsops >/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Made and checked.
(cd "$build" && cpack -G DEB -B "$work/package" >"$work/cpack.log" 2>&1) ||
    fail "cpack failed: $(cat "$work/cpack.log")"
deb=$(ls "$work"/package/teamsops_"$version"_*.deb) || fail "cpack made no teamsops_${version}_*.deb"
said=$(lintian --fail-on error,warning "$deb" 2>&1) || fail "lintian on $deb: $said"
depends=$(dpkg-deb -f "$deb" Depends)
for plugin in libqt6sql6-sqlite libqt6sql6-psql libqt6svg6 libsecret-1-0 libqt6widgets6; do
    [[ $depends == *"$plugin"* ]] || fail "Depends lacks $plugin: $depends"
done
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print substr($6, 2)}')

# Installed.
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$deb" \
    >/dev/null || fail "apt-get install $deb failed"
for file in $files; do [ -e "$file" ] || fail "$file is in the package but not installed"; done

# The programs, from where they were installed.
for program in teamsops-cli teamsops-sim teamsops; do
    line=$(QT_QPA_PLATFORM=offscreen "/usr/bin/$program" --version 2>/dev/null)
    [[ $line == "$program $version (Qt 6."* ]] || fail "$program --version said '$line'"
done
QT_QPA_PLATFORM=offscreen /usr/bin/teamsops --help 2>/dev/null | grep -q -- "--demo" ||
    fail "teamsops --help does not list --demo"
# teamsops-cli watches an operation of the installed simulator's demo tenant into a new store.
coproc SIM { exec /usr/bin/teamsops-sim; }
sim_pid=$SIM_PID
read -r -t 30 graph <&"${SIM[0]}" && read -r -t 30 token <&"${SIM[0]}" &&
    read -r -t 30 location <&"${SIM[0]}" || fail "teamsops-sim printed no Graph URL, token and Location"
graph=${graph#graph-url=} token=${token#token=} location=${location#location=}
status=0
TEAMSOPS_TOKEN=$token /usr/bin/teamsops-cli watch --graph-url "$graph" --interval 1 --timeout 120 \
    --store "$work/store.sqlite" "$location" >/dev/null || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "teamsops-cli watch ended with $status"
listed=$(/usr/bin/teamsops-cli list --json --store "$work/store.sqlite")
[[ $listed == *"\"location\":\"$location\""* ]] || fail "teamsops-cli list shows '$listed', not $location"

# The man pages, the menu entry, the AppStream data and the icon.
for page in teamsops teamsops-cli teamsops-sim; do
    [ "$(man -w "$page")" = "/usr/share/man/man1/$page.1.gz" ] || fail "man -w $page: $(man -w "$page" 2>&1)"
done
man teamsops-cli 2>/dev/null | grep -q "TEAMSOPS_TOKEN" || fail "man teamsops-cli lacks its ENVIRONMENT"
desktop=/usr/share/applications/io.github.teamsops.TeamsOps.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
metainfo=/usr/share/metainfo/io.github.teamsops.TeamsOps.metainfo.xml
appstreamcli validate --no-net "$metainfo" >/dev/null || fail "appstreamcli validate $metainfo"
grep -q "<release version=\"$version\"" "$metainfo" || fail "$metainfo has no release $version"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for size in 16x16 48x48 256x256; do
    [ -s "/usr/share/icons/hicolor/$size/apps/$icon.png" ] || fail "no $size icon named $icon"
done
[ -s "/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "no scalable icon named $icon"

# The completions, as the shells load them from their installed places.
offered=$(bash "$here/bash-complete.sh" /usr/share/bash-completion/completions/teamsops-cli teamsops-cli wa)
[ "$offered" = "watch" ] || fail "bash: teamsops-cli wa<Tab> offered '$offered'"
left=$(timeout 30 zsh "$here/zsh-complete.zsh" /usr/share/zsh/vendor-completions "teamsops-cli wa")
[ "$left" = "teamsops-cli watch " ] || fail "zsh: teamsops-cli wa<Tab> left '$left'"

# Removed, without a trace.
kill "$sim_pid" 2>/dev/null || true
sim_pid=""
"${as_root[@]}" apt-get remove --purge -y -qq teamsops >/dev/null || fail "apt-get remove failed"
! installed || fail "teamsops is still installed"
for file in $files; do [ ! -e "$file" ] || fail "$file is left after removal"; done
for dir in /usr/share/doc/teamsops /usr/share/zsh/vendor-completions/_teamsops; do
    [ ! -e "$dir" ] || fail "$dir is left after removal"
done
echo "debian package: $(basename "$deb") made, installed, used and removed"
