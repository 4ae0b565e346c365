# bash completion for teamsops-cli and teamsops (installed once under each name, so
# bash-completion loads it for whichever is typed first).
# tests/package/completion checks that every option and command --help lists is here.

_teamsops_cli_commands="watch list history forget login logout whoami clone archive unarchive
    create operations archive-channel unarchive-channel teamify plans resume"

# Options of both programs that take a value, and what completes it.
_teamsops_value() {
    local option=$1 cur=$2
    case $option in
        --cloud) COMPREPLY=($(compgen -W "global usgov usgovdod china" -- "$cur")) ;;
        --sign-in)
            COMPREPLY=($(compgen -W "browser device-code client-secret certificate" -- "$cur")) ;;
        --visibility) COMPREPLY=($(compgen -W "private public" -- "$cur")) ;;
        --parts)
            # A comma-separated list: complete the part after the last comma.
            local done="" part=$cur
            [[ $cur == *,* ]] && done=${cur%,*}, && part=${cur##*,}
            COMPREPLY=($(compgen -P "$done" -W "apps tabs settings channels members" -- "$part"))
            compopt -o nospace 2>/dev/null ;;
        --store | --certificate | --private-key | --client-secret-file | --token-file | \
            --screenshot)
            _filedir ;;
        --names-from) _filedir csv ;;
        --from | --body) _filedir ;;
        *) return 1 ;;
    esac
    return 0
}

_teamsops_cli() {
    local cur prev words cword
    _init_completion || return
    local valued="--graph-url --interval --tenant-budget --team-budget --store --timeout --team
        --terminal-older-than --cloud --authority --tenant --client-id --name --description
        --classification --visibility --parts --names-from --count --body --look-for --sign-in
        --certificate --private-key --client-secret-file --token-file --from"
    local flags="-h --help --help-all -v --version --json --spo-read-only --me --watch
        --wait-ready --support --device-code --browser"
    if [[ " ${valued//$'\n'/ } " == *" $prev "* ]]; then
        _teamsops_value "$prev" "$cur"
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$valued $flags" -- "$cur"))
        return
    fi
    # The first word that is neither an option nor an option's value is the command.
    local i command=""
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -* ]]; then
            [[ " ${valued//$'\n'/ } " == *" ${words[i]} "* ]] && ((i++))
            continue
        fi
        command=${words[i]}
        break
    done
    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$_teamsops_cli_commands" -- "$cur"))
    elif [[ $command == operations && $prev == operations ]]; then
        COMPREPLY=($(compgen -W "create" -- "$cur"))
    fi
}

_teamsops() {
    local cur prev words cword
    _init_completion || return
    local valued="--screenshot --graph-url --interval --tenant-budget --team-budget --store
        --cloud --authority --tenant --client-id"
    local flags="-h --help --help-all -v --version --demo --dark"
    if [[ " ${valued//$'\n'/ } " == *" $prev "* ]]; then
        _teamsops_value "$prev" "$cur"
        return
    fi
    [[ $cur == -* ]] && COMPREPLY=($(compgen -W "$valued $flags" -- "$cur"))
}

complete -F _teamsops_cli teamsops-cli
complete -F _teamsops teamsops
