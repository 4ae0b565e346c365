#!/usr/bin/env zsh
# zsh-complete.zsh DIR LINE: types LINE and a Tab into an interactive zsh whose completion
# functions come from DIR, and prints the command line the Tab left (what a user sees).
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "PS1='' PROMPT_EOL_MARK=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
# The marker is split where it is typed, so the echo of this line cannot match it.
zpty -w z 'show-buffer() { zle -I; print -r -- "BUF""FER[$BUFFER]END" }; zle -N show-buffer; bindkey "^X" show-buffer'
zpty -w -n z "$2"$'\t'
zpty -w -n z $'\C-x'
local out
zpty -r z out '*BUFFER\[*\]END*' || exit 1
out=${out##*BUFFER\[}
print -r -- "${out%%\]END*}"
zpty -d z
