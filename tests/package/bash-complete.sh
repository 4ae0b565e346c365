#!/usr/bin/env bash
# bash-complete.sh FILE WORD...: what Tab offers after WORDs (the last one as typed so far, "" for
# a new word), with the completions of FILE loaded as bash-completion loads them; one per line.
# Loading FILE must print nothing: a message there is an error a user would see at every Tab.
source /usr/share/bash-completion/bash_completion
loaded=$(source "$1" 2>&1) || { echo "loading $1 failed: $loaded" >&2; exit 1; }
[ -z "$loaded" ] || { echo "loading $1 said: $loaded" >&2; exit 1; }
source "$1"
shift
function=$(complete -p "$1" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[ -n "$function" ] || { echo "no completion for $1" >&2; exit 1; }
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
