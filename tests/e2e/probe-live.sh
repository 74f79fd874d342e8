#!/bin/sh
# Live probing against fakeexch servers on 127.0.0.1 (tests/tools/fakeexch.c), for the cases
# tests/e2e/cases/probe-live-*.case. Nothing but loopback is ever named.
#
#   tests/e2e/probe-live.sh DIR SPECS [EXSWEEP-PROBE-ARGS...]
#
# SPECS is a file of "LABEL FAKEEXCH-ARGS..." lines: one server each, on a port the kernel
# picks (LABEL "closed" with no arguments: a port where nothing listens). Every @LABEL@ in the
# arguments becomes that server's port; exsweep probe runs with them (fakeexch and exsweep on
# PATH). Its standard output is written with each port back to @LABEL@, every "seen" time to
# SEEN and the run's seconds to S, so that it compares byte for byte; its standard error as
# it is; the exit status is exsweep's. Each server writes its accepted connections to
# DIR/LABEL.count and its requests to DIR/LABEL.log. The servers are stopped at the end
# (they stop by themselves after 60 s in any case).
set -u
dir=$1
specs=$2
shift 2
mkdir -p "$dir" || exit 2
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
labels=""
while read -r label args; do
    case "$label" in '' | '#'*) continue ;; esac
    rm -f "$dir/$label.port" "$dir/$label.log" "$dir/$label.count"
    if [ "$label" = closed ]; then
        # a port that was just free: a server bound it, said it and went away
        fakeexch --life 1 --http --port-file "$dir/$label.port" plain >/dev/null 2>&1 &
        p=$!
        i=0
        while [ ! -s "$dir/$label.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    else
        # shellcheck disable=SC2086
        fakeexch --life 60 --port-file "$dir/$label.port" --count-file "$dir/$label.count" \
            --log "$dir/$label.log" $args >"$dir/$label.err" 2>&1 &
        pids="$pids $!"
    fi
    labels="$labels $label"
done <"$specs"
for label in $labels; do
    i=0
    while [ ! -s "$dir/$label.port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    [ -s "$dir/$label.port" ] || { echo "probe-live: server $label did not start" >&2; cat "$dir/$label.err" >&2; exit 2; }
done
# the arguments, @LABEL@ replaced by the port
n=$#
i=0
while [ $i -lt $n ]; do
    a=$1
    shift
    for label in $labels; do
        a=$(printf '%s' "$a" | sed "s/@$label@/$(cat "$dir/$label.port")/g")
    done
    set -- "$@" "$a"
    i=$((i + 1))
done
exsweep probe "$@" >"$dir/raw.out"
rc=$?
script=""
for label in $labels; do
    p=$(cat "$dir/$label.port")
    script="$script -e s/\"port\":$p,/\"port\":\"@$label@\",/g -e s/:$p\\([^0-9]\\)/:@$label@\\1/g -e s/\"$p\"/\"@$label@\"/g"
done
# shellcheck disable=SC2086
sed $script -e 's/"seen":"[0-9TZ:-]*"/"seen":"SEEN"/g' -e 's/ in [0-9.]* s:/ in S s:/' \
    -e 's/^\("[^"]*","[^"]*","[^"]*","[^"]*",\)"[0-9TZ:-]*"/\1"SEEN"/' "$dir/raw.out"
exit $rc
