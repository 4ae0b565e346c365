#!/usr/bin/env bash
# The shell completions in resources/completions against the programs they complete:
# every command and option --help lists is offered, in bash and in zsh, and Tab completes what
# an admin types (teamsops-cli wa<Tab> → watch).
# Usage: completion_test.sh TEAMSOPS_CLI TEAMSOPS COMPLETION_DIR
set -euo pipefail
cli=$1 gui=$2 dir=$3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

bash_offers() { # expected, then the words typed
    local expected=$1 got
    shift
    got=$(bash "$here/bash-complete.sh" "$dir/teamsops.bash" "$@" | sort | tr '\n' ' ')
    [ "$got" = "$expected " ] || fail "bash: '$*' offered '$got', expected '$expected'"
}
zsh_leaves() { # the line Tab should leave, then the line typed
    local got
    got=$(timeout 30 zsh "$here/zsh-complete.zsh" "$dir" "$2") || fail "zsh: '$2' did not complete"
    [ "$got" = "$1" ] || fail "zsh: '$2'<Tab> left '$got', expected '$1'"
}
in_script() { grep -qE -- "(^|[^a-z-])$1([^a-z-]|$)" "$2"; }

# Nothing in --help is missing from either script.
options_of() { "$@" --help 2>/dev/null | grep -oE '^  (-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'; }
for option in $(options_of "$cli") $(QT_QPA_PLATFORM=offscreen options_of "$gui"); do
    in_script "$option" "$dir/teamsops.bash" || fail "bash lacks $option"
    in_script "$option" "$dir/_teamsops" || fail "zsh lacks $option"
done
commands=$("$cli" --help | sed -n '/^Commands:/,/^$/p' | grep -oE '^  [a-z-]+' | tr -d ' ')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "--help lists too few commands: $commands"
for command in $commands; do
    in_script "$command" "$dir/teamsops.bash" || fail "bash lacks the command $command"
    grep -q -- "'$command:" "$dir/_teamsops" || fail "zsh lacks the command $command"
done
clouds=$("$cli" --help | grep -oE 'global\|[a-z|]+' | tr '|' '\n' | sort | tr '\n' ' ')
[ -n "$clouds" ] || fail "--help names no cloud"

# What Tab offers in bash.
bash_offers "watch" teamsops-cli wa
bash_offers "archive archive-channel" teamsops-cli --interval 30 ar
bash_offers "${clouds% }" teamsops-cli --cloud ""
bash_offers "device-code" teamsops-cli watch --sign-in d
bash_offers "apps,tabs" teamsops-cli clone T --parts apps,t
bash_offers "private public" teamsops-cli create --visibility ""
bash_offers "create" teamsops-cli operations c
bash_offers "--dark --demo" teamsops --d
bash_offers "usgov usgovdod" teamsops --cloud u
files=$(mktemp -d)
touch "$files/names.csv"
bash_offers "$files/names.csv" teamsops-cli clone T --names-from "$files/na"
rm -r "$files"

# What Tab leaves on the line in zsh (a real interactive zsh in a pseudo-terminal).
zsh_leaves "teamsops-cli watch " "teamsops-cli wa"
zsh_leaves "teamsops-cli --sign-in device-code " "teamsops-cli --sign-in dev"
zsh_leaves "teamsops-cli clone T --parts apps,channels," "teamsops-cli clone T --parts apps,ch"
zsh_leaves "teamsops-cli operations create " "teamsops-cli operations c"
zsh_leaves "teamsops --cloud usgovdod " "teamsops --cloud usgovd"
zsh_leaves "teamsops --demo " "teamsops --dem"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "completion: every check passed"
