#!/usr/bin/env bash
# Runs a command inside a D-Bus session of its own with an unlocked gnome-keyring-daemon: a real
# Secret Service for the keychain tests, which never touches the user's own keyring.
set -euo pipefail
if [ -z "${TEAMSOPS_KEYRING_SESSION:-}" ]; then
    export TEAMSOPS_KEYRING_SESSION=1
    exec dbus-run-session -- "$0" "$@"
fi
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
printf 'teamsops-test' | XDG_DATA_HOME="$keyring_home" HOME="$keyring_home" \
    gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
"$@"
