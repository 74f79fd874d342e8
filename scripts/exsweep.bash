# bash completion for exsweep. The commands, options and formats come from exsweep's own
# --help at completion time, so this file never drifts from the program it completes.
# Installed by 'make install' into $(PREFIX)/share/bash-completion/completions/exsweep.
_exsweep()
{
    local cur prev cmd i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    local exe=${COMP_WORDS[0]}
    if [[ -z $cmd ]]; then
        # "  scan PATH...   sweep ..." lines under "commands:"
        COMPREPLY=($(compgen -W "$("$exe" --help 2>/dev/null |
            sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p')" -- "$cur"))
        return
    fi
    case $prev in
    -f | --format)
        # "  -f, --format FMT     text (default), jsonl, csv, ..." of the command's help
        COMPREPLY=($(compgen -W "$("$exe" report --help 2>/dev/null |
            sed -n 's/^  -f, --format FMT *//p' | tr -d '(),' | sed 's/default//')" -- "$cur"))
        return ;;
    -o | --output | -r | --rules | --ioc)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$exe" "$cmd" --help 2>/dev/null |
            grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _exsweep exsweep
