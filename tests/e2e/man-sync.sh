#!/bin/sh
# Every long option of 'exsweep scan --help' is documented in docs/exsweep.1, and back.
set -u
exe=${1:-build/exsweep}
help=$("$exe" scan --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
man=$(sed 's/\\-/-/g' docs/exsweep.1 | grep -oE -- '--[a-z][a-z-]+' | sort -u)
if [ "$help" != "$man" ]; then
    echo "exsweep scan --help and docs/exsweep.1 disagree:"
    printf '%s\n' "$help" >/tmp/exs-help.$$
    printf '%s\n' "$man" | diff /tmp/exs-help.$$ - 
    rm -f /tmp/exs-help.$$
    exit 1
fi
