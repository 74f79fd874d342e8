#!/bin/sh
# The commands' documentation (docs/man/exsweep*.txt, read here with a parser of this test's
# own) against the program, the man pages and the bash completion built from it:
#   - every documented option is accepted by its command (no unknown, ambiguous or unhandled
#     option), and takes a value exactly when the documentation names one (alone at the end
#     of the line it "needs a value"; --name=x of one without "takes no value");
#   - every value an option lists ('values') is taken, and a made-up one refused;
#   - the options of every --help, of the OPTIONS section of every man page and of the
#     completion are the documented ones (their terms, "-f, --format FMT"), and the
#     completion completes each option's value as documented;
#   - the commands: the list of exsweep.txt is the one of 'exsweep --help' and of the
#     completion, every command but help has its source and every source is a command; each
#     has a --help, which 'exsweep help COMMAND' prints too;
#   - no --help line is past 100 columns; every man page renders with no warning
#     (MANWIDTH=100 man --warnings) and holds no control character (such as the form feed an
#     awk makes of "\f");
#   - cli/ holds no getopt_long table of its own: its parsers take the generated ones.
# Usage: tests/e2e/man-sync.sh [BUILD/exsweep]: the man pages in BUILD/man, the completion in
# BUILD/completion/exsweep.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
exe=${1:-build/exsweep}
case "$exe" in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
bdir=$(dirname "$exe")
comp=$bdir/completion/exsweep
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exsweep-man-sync.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "$*"
    fail=1
}
# same WHAT EXPECTED ACTUAL: the two lists (one item a line) are the same, order aside
same() {
    printf '%s\n' "$2" | sort >"$tmp/want"
    printf '%s\n' "$3" | sort >"$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" && return 0
    bad "$1 differ from the documentation (-: documented, +: found):"
    diff "$tmp/want" "$tmp/got" | sed -n 's/^</    -/p; s/^>/    +/p'
    return 1
}
[ -x "$exe" ] || { echo "no $exe (run make)"; exit 1; }
[ -f "$comp" ] || { echo "no $comp (run make)"; exit 1; }

# One line per option of SOURCE: its term, a tab, its values (@files for 'complete files').
options() {
    awk '
        function out() { if (t != "") print t "\t" v; t = "" }
        /^option[ \t]/ { out(); t = $0; sub(/^option[ \t]+/, "", t); sub(/[ \t]+$/, "", t); v = ""; next }
        /^values[ \t]/ { v = $0; sub(/^values[ \t]+/, "", v); gsub(/[ \t]+/, " ", v); sub(/ $/, "", v); next }
        /^complete[ \t]+files[ \t]*$/ { v = "@files"; next }
        /^(help|man)([ \t]|$)/ { next }
        /^[^ \t#]/ { out() }
        END { out() }' "$1"
}
# The options of a --help: the terms of the lines of its "options:" list.
help_terms() {
    sed -n '/^options:$/,/^$/p' |
        sed -n -e 's/^  \(-[A-Za-z0-9], --[a-z0-9-]*\( [A-Z][A-Z0-9_]*\)\{0,1\}\).*/\1/p' \
            -e 's/^      \(--[a-z0-9-]*\( [A-Z][A-Z0-9_]*\)\{0,1\}\).*/\1/p'
}
# The options of a man page: the tags of the .TP items of its OPTIONS section, as printed.
man_terms() {
    sed -n '/^\.SH OPTIONS$/,/^\.SH /p' "$1" | sed -n '/^\.TP$/{n;p;}' |
        sed -e 's/\\f[BIR]//g' -e 's/\\-/-/g'
}
# run ARGS...: exsweep ARGS in the scratch folder, nothing on standard input; its standard
# error in $tmp/err, its status returned.
run() {
    (cd "$tmp/cwd" && "$exe" "$@" </dev/null >/dev/null 2>"$tmp/err")
}
mkdir "$tmp/cwd"
parse_errors="unknown option|ambiguous option|is not handled|needs a value|takes no value"

main_src=$top/docs/man/exsweep.txt
[ -f "$main_src" ] || { echo "no $main_src"; exit 1; }
for src in "$top"/docs/man/exsweep*.txt; do
    page=$(basename "$src" .txt)
    verb=${page#exsweep}
    verb=${verb#-}
    man=$bdir/man/$page.1
    [ -f "$man" ] || { bad "$page: no $man"; continue; }
    options "$src" >"$tmp/opts"
    [ -s "$tmp/opts" ] || bad "$page: no option documented (-h, --help at least)"
    terms=$(cut -f1 "$tmp/opts")
    if [ -n "$verb" ]; then
        set -- "$verb"
    else
        set --
    fi

    # --help, the man page, the completion
    "$exe" "$@" --help >"$tmp/help" 2>&1 || bad "$page: 'exsweep $* --help' failed"
    same "$page: the options of 'exsweep $* --help'" "$terms" "$(help_terms <"$tmp/help")"
    same "$page: the options of $man" "$terms" "$(man_terms "$man")"
    awk -v p="$page" 'length > 100 { print p ": a --help line past 100 columns: " $0; bad = 1 }
        END { exit bad }' "$tmp/help" || fail=1
    words=$(printf '%s\n' "$terms" | sed -e 's/ [A-Z][A-Z0-9_]*$//' -e 's/, /\n/')
    got=$(bash -c '. "$1"; _exsweep_options "$2"' sh "$comp" "$verb" | tr ' ' '\n')
    same "$page: the completion's options" "$words" "$got"

    # each option through the parser, and through the completion's values
    while IFS='	' read -r term values; do
        arg=${term##* }
        case "$arg" in
        [A-Z]*) ;;
        *) arg= ;;
        esac
        long=${term#*--}
        long=--${long%% *}
        forms=$long
        case "$term" in
        -[A-Za-z0-9],*) forms="${term%%,*} $long" ;;
        esac
        got=$(bash -c '. "$1"; _exsweep_value "$2" "$3" || echo "(takes no value)"' sh "$comp" "$verb" "$long")
        if [ -n "$arg" ]; then
            [ "$got" = "$values" ] || bad "$page: the completion of $long's value is '$got', not '$values'"
        else
            [ "$got" = "(takes no value)" ] || bad "$page: the completion gives $long a value: '$got'"
        fi
        for o in $forms; do
            if [ -z "$verb" ]; then
                # exsweep itself has no values to its options: each prints and exits 0
                run "$o" || bad "exsweep $o: exit status $?: $(cat "$tmp/err")"
                continue
            fi
            val=x
            case "$values" in
            '' | @files) ;;
            *) val=${values%% *} ;;
            esac
            if [ -n "$arg" ]; then
                run "$verb" "$o" "$val"
            else
                run "$verb" "$o"
            fi
            ! grep -Eq "$parse_errors" "$tmp/err" ||
                bad "exsweep $verb $o${arg:+ $val}: not taken: $(head -1 "$tmp/err")"
        done
        [ -n "$verb" ] || continue
        if [ -n "$arg" ]; then
            run "$verb" "$long"
            grep -q "needs a value" "$tmp/err" ||
                bad "exsweep $verb $long: documented with a value ($arg), but it does not need one"
        else
            run "$verb" "$long=x"
            grep -q "takes no value" "$tmp/err" ||
                bad "exsweep $verb $long=x: documented without a value, but it takes one"
        fi
        case "$values" in
        '' | @files) continue ;;
        esac
        # an operand that exists nowhere: the command goes past its checks of the options
        operand=
        grep -q '^usage.*\.\.\.' "$src" && operand=$tmp/exsweep-no-such-path
        for v in $values exsweep-no-such-value; do
            run "$verb" "$long" "$v" ${operand:+"$operand"}
            if [ "$v" = exsweep-no-such-value ]; then
                grep -q "'$v'" "$tmp/err" ||
                    bad "exsweep $verb $long $v${operand:+ PATH}: a made-up value not refused"
            elif grep -q "'$v'" "$tmp/err"; then
                bad "exsweep $verb $long $v${operand:+ PATH}: a documented value refused: $(head -1 "$tmp/err")"
            fi
        done
    done <"$tmp/opts"

    # the man page renders cleanly
    if LC_ALL=C grep -n '[[:cntrl:]]' "$man" >"$tmp/cntrl"; then
        bad "$man: a control character:"
        sed 's/^/    /' "$tmp/cntrl" | cat -A | head -5
    fi
    if ! command -v man >/dev/null 2>&1 || ! command -v groff >/dev/null 2>&1; then
        bad "man and groff are needed to check $man: scripts/install-deps.sh --ci installs them"
    else
        warn=$(MANWIDTH=100 man --warnings -l "$man" 2>&1 >/dev/null)
        [ -z "$warn" ] || bad "$man: warnings of man --warnings: $warn"
        MANWIDTH=100 man -l "$man" 2>/dev/null | grep -q . || bad "$man: renders empty"
    fi
done

# The commands: exsweep.txt's list, 'exsweep --help', the completion, the sources.
cmds=$(sed -n 's/^command[ \t]*`\([a-z][a-z-]*\)`.*/\1/p' "$main_src")
[ -n "$cmds" ] || bad "$main_src: no command"
same "the commands of 'exsweep --help'" "$cmds" \
    "$("$exe" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p')"
same "the completion's commands" "$cmds" "$(bash -c '. "$1"; _exsweep_commands' sh "$comp" | tr ' ' '\n')"
same "the commands with a source (docs/man/exsweep-COMMAND.txt), and help" "$cmds" \
    "$(cd "$top/docs/man" && ls exsweep-*.txt | sed 's/^exsweep-\(.*\)\.txt$/\1/'; echo help)"
for c in $cmds; do
    "$exe" "$c" --help >"$tmp/c1" 2>&1 || bad "exsweep $c --help: exit status $?"
    "$exe" help "$c" >"$tmp/c2" 2>&1 || bad "exsweep help $c: exit status $?"
    cmp -s "$tmp/c1" "$tmp/c2" || bad "exsweep help $c and exsweep $c --help differ"
    grep -q "^usage: exsweep $c\( \|$\)" "$tmp/c1" || [ "$c" = help ] ||
        bad "exsweep $c --help: no 'usage: exsweep $c' line"
done

# No getopt_long table written by hand in cli/: every one is generated (XS_*_LONGOPTS).
if grep -n '_argument' "$top"/cli/*.c >"$tmp/tables"; then
    bad "cli/ has option tables of its own (they come from docs/man/exsweep*.txt):"
    sed 's/^/    /' "$tmp/tables"
fi
if grep -n 'getopt_long(' "$top"/cli/*.c | grep -v '_OPTSTRING\|optstring' >"$tmp/calls"; then
    bad "cli/ calls getopt_long with an option string of its own:"
    sed 's/^/    /' "$tmp/calls"
fi
exit $fail
