# bash completion for exsweep. make writes build/completion/exsweep: this file, then the
# commands, each command's options and what their values complete to, generated from the
# commands' documentation (docs/man/exsweep*.txt, by scripts/gen-doc.awk), the source of their
# --help and of their parsers' option tables too: the completion never drifts from the program.
# Installed by 'make install' into $(PREFIX)/share/bash-completion/completions/exsweep.
# COMPREPLY: one completion a line of compgen ARGS (a file name with spaces stays whole).
_exsweep_reply()
{
    mapfile -t COMPREPLY < <(compgen "$@")
}
_exsweep()
{
    local cur prev cmd i vals
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _exsweep_reply -W "$(_exsweep_options '')" -- "$cur"
        else
            _exsweep_reply -W "$(_exsweep_commands)" -- "$cur"
        fi
        return
    fi
    if [[ $cmd == help ]]; then
        [[ $COMP_CWORD -eq $((i + 1)) ]] && _exsweep_reply -W "$(_exsweep_commands)" -- "$cur"
        return
    fi
    # the value of the option before: its words, a file name, or nothing to offer
    if [[ $COMP_CWORD -gt $((i + 1)) ]] && vals=$(_exsweep_value "$cmd" "$prev"); then
        if [[ $vals == @files ]]; then
            _exsweep_reply -f -- "$cur"
        else
            _exsweep_reply -W "$vals" -- "$cur"
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        _exsweep_reply -W "$(_exsweep_options "$cmd")" -- "$cur"
        return
    fi
    _exsweep_reply -f -- "$cur"
}
complete -o filenames -F _exsweep exsweep
