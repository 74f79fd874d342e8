#!/bin/sh
# Sigma in the sweep (issue 14): exsweep scan without --sigma and with SigmaHQ's rules, the same
# run, the same flags, over two corpora:
#   EVTX  the EVTX bench's corpus (bench/evtx/run.sh: whole copies of the .evtx files under
#         EVTX_DIR, default ../shared/evaldata/evtx, until about EVTX_MIB MiB, default 300, in
#         bench/out/evtx/data) with SigmaHQ's Windows rules ($SIGMAHQ/rules/windows);
#   IIS   the log bench's corpus (bench/run.sh: build/gentree --scale LOG_MIB, default 1024, in
#         bench/out/logs) with every SigmaHQ rule of category webserver (rules,
#         rules-emerging-threats, rules-threat-hunting; copied into bench/out/sigma/webserver).
# The targets: at most 2x the time of the sweep without --sigma, at least 250,000 events/s on
# this 2-core machine, peak memory under 256 MiB.
#
#   bench/sigma/run.sh                     SIGMAHQ=../shared/evaldata/sigmahq REPEAT=3
#   EVTX_MIB=100 LOG_MIB=256 bench/sigma/run.sh
#
# Each sweep is exsweep scan -q -j2 --no-file-checks -f jsonl -o /dev/null, run REPEAT times
# after an untimed one (page cache warm), alternating without and with --sigma; the median wall
# time of each is kept, and the highest peak resident memory (GNU time %M). The sweeps with
# --sigma use the cache of compiled rules in bench/out/sigma/cache (XDG_CACHE_HOME), which the
# untimed run fills: warm, as an analyst's second sweep finds it; a third sweep with
# --no-sigma-cache is timed as well (cold: every database compiled). Events are the
# records and lines the sweep read of the evidence the rules apply to (its coverage lines of
# the EVTX families, of the IIS family); events/s is events over the time with --sigma.
set -eu
cd "$(dirname "$0")/../.."
EVTX_DIR=${EVTX_DIR:-../shared/evaldata/evtx}
EVTX_MIB=${EVTX_MIB:-300}
LOG_MIB=${LOG_MIB:-1024}
SIGMAHQ=${SIGMAHQ:-../shared/evaldata/sigmahq}
REPEAT=${REPEAT:-3}
OUT=bench/out/sigma
EXE=build/exsweep
[ -x /usr/bin/time ] || { echo "bench: GNU time missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
[ -d "$SIGMAHQ/rules/windows" ] || { echo "bench: no $SIGMAHQ/rules/windows (set SIGMAHQ)" >&2; exit 2; }
make -s build/exsweep build/gentree
mkdir -p "$OUT" bench/out/evtx
XDG_CACHE_HOME=$(pwd)/$OUT/cache
export XDG_CACHE_HOME
. bench/corpus.sh
bench_evtx "$EVTX_DIR" "$EVTX_MIB" bench/out/evtx
evtx_data=bench/out/evtx/data
bench_logs "$LOG_MIB" bench/out/logs bench/out/logs.stamp
log_data=bench/out/logs

rm -rf "$OUT/webserver"
mkdir -p "$OUT/webserver"
grep -rl --include='*.yml' '^ *category: webserver' "$SIGMAHQ"/rules* | sort |
    while IFS= read -r f; do cp "$f" "$OUT/webserver/$(echo "${f#"$SIGMAHQ"/}" | tr / _)"; done

# one sweep: "seconds peak_kib"; exit 0 (nothing found) and 1 (findings) are both a run
sweep() { # data args...
    d=$1
    shift
    st=0
    /usr/bin/time -f '%e %M' -o "$OUT/time" "$EXE" scan -q -j2 --no-file-checks -f jsonl \
        -o /dev/null "$@" "$d" 2>"$OUT/stderr" || st=$?
    [ "$st" -le 1 ] || { echo "bench: exsweep failed (exit $st): $(cat "$OUT/stderr")" >&2; exit 1; }
    tail -1 "$OUT/time" # GNU time first notes a non-zero exit status
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# part NAME DATA FAMILY RULES: the events, both sweeps, the line of each
part() {
    name=$1 data=$2 family=$3 rules=$4
    st=0
    "$EXE" scan -q -j2 --no-file-checks -f jsonl --sigma "$rules" "$data" >"$OUT/$name.jsonl" \
        2>"$OUT/$name.stderr" || st=$?
    [ "$st" -le 1 ] || { echo "bench: exsweep failed (exit $st): $(cat "$OUT/$name.stderr")" >&2; exit 1; }
    events=$(grep '"record":"coverage"' "$OUT/$name.jsonl" | grep "\"family\":\"$family" |
        sed 's/.*"lines":\([0-9]*\).*/\1/' | awk '{ n += $1 } END { print n + 0 }')
    findings=$(grep -c '"ruleset":"sigma"' "$OUT/$name.jsonl" || true)
    summary=$(grep '^sigma:' "$OUT/$name.stderr" | tr '\n' ';' | sed 's/;$//; s/;sigma:/;/')
    sweep "$data" >/dev/null
    : >"$OUT/$name.plain"
    : >"$OUT/$name.with"
    : >"$OUT/$name.cold"
    r=0
    while [ "$r" -lt "$REPEAT" ]; do
        sweep "$data" >>"$OUT/$name.plain"
        sweep "$data" --sigma "$rules" >>"$OUT/$name.with"
        sweep "$data" --sigma "$rules" --no-sigma-cache >>"$OUT/$name.cold"
        r=$((r + 1))
    done
    p=$(cut -d' ' -f1 "$OUT/$name.plain" | median)
    w=$(cut -d' ' -f1 "$OUT/$name.with" | median)
    c=$(cut -d' ' -f1 "$OUT/$name.cold" | median)
    prss=$(cut -d' ' -f2 "$OUT/$name.plain" | sort -n | tail -1)
    wrss=$(cut -d' ' -f2 "$OUT/$name.with" | sort -n | tail -1)
    echo "$name: $(find "$data" -type f | wc -l) files, $(du -sm "$data" | cut -f1) MiB, $events events; $summary"
    echo "  runs without (s, KiB): $(tr '\n' ';' <"$OUT/$name.plain")"
    echo "  runs with    (s, KiB): $(tr '\n' ';' <"$OUT/$name.with")"
    echo "  runs cold    (s, KiB): $(tr '\n' ';' <"$OUT/$name.cold")"
    awk -v p="$p" -v w="$w" -v c="$c" -v pr="$prss" -v wr="$wrss" -v e="$events" -v f="$findings" 'BEGIN {
        printf "  without --sigma  %6.2f s median  %9.0f events/s  %6.1f MiB peak\n", p, (p > 0 ? e / p : 0), pr / 1024
        printf "  with --sigma     %6.2f s median  %9.0f events/s  %6.1f MiB peak  %d Sigma findings (cache warm)\n", w, (w > 0 ? e / w : 0), wr / 1024, f
        printf "  cold             %6.2f s median  %9.0f events/s  (--no-sigma-cache: %.2fx)\n", c, (c > 0 ? e / c : 0), (p > 0 ? c / p : 0)
        printf "  ratio            %6.2fx the time (target: at most 2x, 250,000 events/s, 256 MiB)\n", (p > 0 ? w / p : 0)
    }'
}

echo "bench: $(nproc) CPUs; Hayabusa publishes about 11,500 events/s with its full rule set"
part EVTX "$evtx_data" EVTX "$SIGMAHQ/rules/windows"
part IIS "$log_data" IIS "$OUT/webserver"
