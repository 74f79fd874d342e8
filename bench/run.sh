#!/bin/sh
# exsweep against ripgrep on a few GiB of realistic Exchange logs. See bench/README.md.
#
#   bench/run.sh                  3 GiB, 5 timed runs of each tool
#   SIZE_MIB=512 REPS=3 bench/run.sh
#
# Steps: build; generate the logs with build/gentree --scale into bench/out/ (git-ignored;
# kept between runs while the size and the generator are unchanged); write exsweep's own
# prefilter expressions to a pattern file (build/exspatterns); one untimed run of each
# command to warm the page cache; then REPS timed runs of each, alternating. Reports the
# median wall time of each, the ratios, exsweep's peak RSS (GNU time %M) and its findings.
#
# The peer is rg -i -c -j 2 -f <patterns> over the same folder (--no-ignore, since bench/out
# is git-ignored), against exsweep scan with its default jobs (one per CPU), with two pattern
# files:
#   bench/rg-reference.txt  the 51 indicator expressions of exsweep's prefilter as of
#                           2026-11-25 (frozen: the peer's work stays the same when
#                           exsweep's expressions change); the headline ratio
#   bench/out/patterns.txt  exsweep's current expressions
# rg is faster on the first: half its lines hold a frequent word (POST, .js), and rg stops
# reading a line at its first match. exsweep does more than match (parses candidate rows,
# runs the detectors, correlates, writes a report); rg only counts matching lines.
set -eu
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-3072}
REPS=${REPS:-5}
OUT=bench/out
DATA=$OUT/logs
TIME=/usr/bin/time

command -v rg >/dev/null || { echo "bench: ripgrep missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
[ -x "$TIME" ] || { echo "bench: GNU time missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
make --no-print-directory all >/dev/null

mkdir -p "$OUT"
. bench/corpus.sh
bench_logs "$SIZE_MIB" "$DATA" "$OUT/logs.stamp"
build/exspatterns >"$OUT/patterns.txt"
bytes=$(du -sb "$DATA" | cut -f1)
files=$(find "$DATA" -type f | wc -l)
echo "bench: $files files, $bytes bytes ($(($bytes / 1048576)) MiB), $(nproc) CPUs, $(wc -l <"$OUT/patterns.txt") expressions"

# One run: prints "seconds peak_kib". Exit status 1 is normal for both (exsweep: findings;
# rg: a file without a match does not change it, no match at all does).
run_exsweep() {
    $TIME -f '%e %M' -o "$OUT/time.txt" build/exsweep scan -q --format jsonl \
        -o "$OUT/exsweep.jsonl" "$DATA" || [ $? -eq 1 ]
    tail -1 "$OUT/time.txt" # GNU time first notes a non-zero exit status
}
run_rg() { # $1: pattern file, $2: output
    $TIME -f '%e %M' -o "$OUT/time.txt" rg --no-ignore -i -c -j 2 -f "$1" \
        "$DATA" >"$2" || [ $? -eq 1 ]
    tail -1 "$OUT/time.txt"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 1 --runs "$REPS" -i \
        "build/exsweep scan -q --format jsonl -o $OUT/exsweep.jsonl $DATA" \
        "rg --no-ignore -i -c -j 2 -f bench/rg-reference.txt $DATA" \
        "rg --no-ignore -i -c -j 2 -f $OUT/patterns.txt $DATA"
fi

run_exsweep >/dev/null
run_rg bench/rg-reference.txt "$OUT/rg.txt" >/dev/null
run_rg "$OUT/patterns.txt" "$OUT/rgcur.txt" >/dev/null
: >"$OUT/exsweep.runs"
: >"$OUT/rg.runs"
: >"$OUT/rgcur.runs"
i=0
while [ "$i" -lt "$REPS" ]; do
    run_exsweep >>"$OUT/exsweep.runs"
    run_rg bench/rg-reference.txt "$OUT/rg.txt" >>"$OUT/rg.runs"
    run_rg "$OUT/patterns.txt" "$OUT/rgcur.txt" >>"$OUT/rgcur.runs"
    i=$((i + 1))
done

ex=$(cut -d' ' -f1 "$OUT/exsweep.runs" | median)
rgt=$(cut -d' ' -f1 "$OUT/rg.runs" | median)
rgc=$(cut -d' ' -f1 "$OUT/rgcur.runs" | median)
rss=$(cut -d' ' -f2 "$OUT/exsweep.runs" | sort -n | tail -1)
rgrss=$(cut -d' ' -f2 "$OUT/rg.runs" | sort -n | tail -1)
findings=$(grep -c '"record":"finding"' "$OUT/exsweep.jsonl")
matches=$(awk -F: '{s += $NF} END {print s + 0}' "$OUT/rg.txt")
matchc=$(awk -F: '{s += $NF} END {print s + 0}' "$OUT/rgcur.txt")
echo "exsweep runs (s, KiB): $(tr '\n' ';' <"$OUT/exsweep.runs")"
echo "rg reference (s, KiB): $(tr '\n' ';' <"$OUT/rg.runs")"
echo "rg current   (s, KiB): $(tr '\n' ';' <"$OUT/rgcur.runs")"
awk -v ex="$ex" -v rg="$rgt" -v rgc="$rgc" -v rss="$rss" -v rgrss="$rgrss" -v b="$bytes" \
    -v f="$findings" -v m="$matches" -v mc="$matchc" 'BEGIN {
    printf "exsweep scan          : %.2f s median, %.0f MiB/s, peak RSS %.1f MiB, %d findings\n", ex, b / 1048576 / ex, rss / 1024, f
    printf "rg, reference patterns: %.2f s median, %.0f MiB/s, peak RSS %.1f MiB, %d matching lines\n", rg, b / 1048576 / rg, rgrss / 1024, m
    printf "rg, current patterns  : %.2f s median, %.0f MiB/s, %d matching lines\n", rgc, b / 1048576 / rgc, mc
    printf "ratio exsweep/rg (reference patterns): %.2f (below 1: exsweep faster)\n", ex / rg
    printf "ratio exsweep/rg (current patterns)  : %.2f\n", ex / rgc
}'
