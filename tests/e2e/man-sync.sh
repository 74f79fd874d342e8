#!/bin/sh
# Every long option of the commands' --help (scan, report, collect-spec) is documented in
# docs/exsweep.1, and back; every command that 'exsweep --help' lists has its line in the man
# page's synopsis and a --help.
set -u
exe=${1:-build/exsweep}
help=$({ "$exe" scan --help; "$exe" report --help; "$exe" collect-spec --help; } |
    grep -oE -- '--[a-z][a-z-]+' | sort -u)
man=$(sed 's/\\-/-/g' docs/exsweep.1 | grep -oE -- '--[a-z][a-z-]+' | sort -u)
if [ "$help" != "$man" ]; then
    echo "the commands' --help and docs/exsweep.1 disagree:"
    printf '%s\n' "$help" >/tmp/exs-help.$$
    printf '%s\n' "$man" | diff /tmp/exs-help.$$ - 
    rm -f /tmp/exs-help.$$
    exit 1
fi
cmds=$("$exe" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p')
[ -n "$cmds" ] || { echo "exsweep --help lists no commands"; exit 1; }
for c in $cmds; do
    sed 's/\\-/-/g' docs/exsweep.1 | grep -qx "\.B exsweep $c" || { echo "docs/exsweep.1: no '.B exsweep $c' line"; exit 1; }
    "$exe" "$c" --help >/dev/null || { echo "exsweep $c --help failed"; exit 1; }
done
