#!/bin/sh
# EVTX reader speed: exsweep's reader against evtxexport and libevtx, over the same files in
# the same run.
#
#   bench/evtx/run.sh [EVTX_DIR] [MIB]
#
# Copies the .evtx files under EVTX_DIR (default ../shared/evaldata/evtx) into
# bench/out/evtx/data/ (git-ignored) until there are about MIB MiB (default 300), builds the
# drivers with the project's flags, warms the page cache, then times:
#   ours, 1 thread      bench/evtx/evtxbench.c: the reader with text, CRCs and recovery on
#   ours, 2 processes   the same over the two halves of the file list at once
#   evtxexport -P2      evtxexport -f xml on two parallel workers (xargs -P2), to /dev/null
#   libevtx, 1 thread   bench/evtx/libevtxbench.c on the first LIBEVTX_COPIES copies
#                       (default 20): event id, strings and XML of every record
#   ours, dense         one large log (many records per chunk) read REPEAT times, 1 thread
#   ours, dense, no CRC the same with checksums off (evtxbench -F 4): what checking costs
#   crc32               the checksum alone over 512 MiB in memory, both paths (evtxbench -C)
# Rates count live records only (what evtxexport exports), so they compare like for like;
# our reader also decodes the recovered records on top.
set -eu
cd "$(dirname "$0")/../.."
SRC=${1:-../shared/evaldata/evtx}
MIB=${2:-300}
LIBEVTX_COPIES=${LIBEVTX_COPIES:-20}
REPEAT=${REPEAT:-100}
OUT=bench/out/evtx
DATA=$OUT/data
mkdir -p "$OUT"

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# Build with the project's warning flags.
CFLAGS="-std=c17 -O2 -g -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wstrict-prototypes \
 -Wmissing-prototypes -D_GNU_SOURCE -Iinclude -Ilib"
make -s build/libexsweep.a
# shellcheck disable=SC2086
cc $CFLAGS bench/evtx/evtxbench.c build/libexsweep.a -pthread -o "$OUT/evtxbench"
have_libevtx=0
if pkg-config --exists libevtx 2>/dev/null; then
    # shellcheck disable=SC2086,SC2046
    cc $CFLAGS bench/evtx/libevtxbench.c $(pkg-config --cflags --libs libevtx) \
        -o "$OUT/libevtxbench" && have_libevtx=1
fi

# Data: whole copies of the source set until MIB MiB (bench/corpus.sh).
. bench/corpus.sh
bench_evtx "$SRC" "$MIB" "$OUT"
find "$DATA" -name '*.evtx' | sort >"$OUT/list"
files=$(wc -l <"$OUT/list")
bytes=$(tr '\n' '\0' <"$OUT/list" | xargs -0 cat | wc -c) # also warms the page cache
half=$(( (files + 1) / 2 ))
head -n "$half" "$OUT/list" >"$OUT/list.a"
tail -n +"$((half + 1))" "$OUT/list" >"$OUT/list.b"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
live=$("$OUT/evtxbench" -q -F 2 -l "$OUT/list" | field records)
all=$("$OUT/evtxbench" -q -l "$OUT/list" | field records)

# Each timed step records wall and CPU seconds (user + sys, children included): CPU time is
# what to compare when the machine is shared.
timed() { # name command...
    n=$1
    shift
    /usr/bin/time -f "%e %U %S" -o "$OUT/$n.time" "$@"
}
wall() { cut -d' ' -f1 <"$OUT/$1.time"; }
cpu() { awk '{ printf "%.3f", $2 + $3 }' <"$OUT/$1.time"; }
report() { # label name records
    printf '  %-24s %8ss wall %10s rec/s   %8ss CPU %10s rec/CPU-s\n' "$1" "$(wall "$2")" \
        "$(rate "$3" "$(wall "$2")")" "$(cpu "$2")" "$(rate "$3" "$(cpu "$2")")"
}

timed ours1 "$OUT/evtxbench" -q -l "$OUT/list" >"$OUT/ours1.txt"
timed ours2 sh -c "'$OUT/evtxbench' -q -l '$OUT/list.a' >'$OUT/ours2a.txt' &
    '$OUT/evtxbench' -q -l '$OUT/list.b' >'$OUT/ours2b.txt'; wait"
tr '\n' '\0' <"$OUT/list" >"$OUT/list.0"
timed peer sh -c "xargs -0 -n 1 -P 2 evtxexport -f xml <'$OUT/list.0' >/dev/null 2>&1" # one file each
# The whole sweep (classification, reader, event detectors, correlation, report), all CPUs.
make -s build/exsweep
# exsweep exits 1 when it found something: that run counts; any other failure stops the bench.
timed sweep sh -c "/usr/bin/time -f %M -o '$OUT/sweep.rss' build/exsweep scan -q -f jsonl '$DATA' >'$OUT/sweep.jsonl' || [ \$? -eq 1 ]"

echo "EVTX bench: $files files, $((bytes / 1048576)) MiB ($copies copies of $(wc -l <"$OUT/sources") files from $SRC)"
echo "  live records: $live (ours also decodes $((all - live)) recovered ones)"
report "ours, 1 thread" ours1 "$live"
report "ours, 2 processes" ours2 "$live"
report "evtxexport, xargs -P2" peer "$live"
report "exsweep scan (sweep)" sweep "$live"
echo "    (the sweep: $(grep -c '"record":"finding"' "$OUT/sweep.jsonl") findings, peak RSS $(tail -n 1 "$OUT/sweep.rss") KiB)"
awk -v a="$(wall ours1)" -v b="$(wall ours2)" -v p="$(wall peer)" -v ca="$(cpu ours1)" \
    -v cp="$(cpu peer)" 'BEGIN {
    printf "  ratio ours(1 thread) / evtxexport(2 workers), wall: %.1fx\n", (p / a)
    printf "  ratio ours(2 processes) / evtxexport(2 workers), wall: %.1fx\n", (p / b)
    printf "  ratio per CPU second, ours / evtxexport: %.1fx\n", (cp / ca) }'
awk -v s="$(wall sweep)" -v p="$(wall peer)" 'BEGIN {
    printf "  ratio exsweep scan / evtxexport(2 workers), wall: %.1fx\n", (p / s) }'

if [ "$have_libevtx" = 1 ]; then
    grep -E '/c([0-9]+)-' "$OUT/list" | awk -F'/c' -v n="$LIBEVTX_COPIES" '{ split($NF, a, "-"); if (a[1] < n) print }' \
        >"$OUT/list.lib"
    sub_live=$("$OUT/evtxbench" -q -F 2 -l "$OUT/list.lib" | field records)
    tr '\n' '\0' <"$OUT/list.lib" >"$OUT/list.lib.0"
    timed lib sh -c "xargs -0 '$OUT/libevtxbench' <'$OUT/list.lib.0' >'$OUT/libevtx.txt'"
    timed ours_sub "$OUT/evtxbench" -q -l "$OUT/list.lib" >/dev/null
    report "libevtx, 1 thread" lib "$sub_live"
    report "ours, same files" ours_sub "$sub_live"
    echo "    (libevtx: first $LIBEVTX_COPIES copies, $sub_live live records)"
    awk -v a="$(cpu ours_sub)" -v p="$(cpu lib)" 'BEGIN {
        printf "  ratio per CPU second, ours / libevtx: %.1fx\n", (p / a) }'
fi

# the largest source file stands for a busy server log
dense=$(while IFS= read -r f; do printf '%s\t%s\n' "$(wc -c <"$f")" "$f"; done <"$OUT/sources" |
    sort -n | tail -1 | cut -f2-)
if [ -n "$dense" ]; then
    dense_live=$("$OUT/evtxbench" -q -F 2 -r "$REPEAT" "$dense" | field records)
    timed dense "$OUT/evtxbench" -q -r "$REPEAT" "$dense" >/dev/null
    report "ours, dense log x$REPEAT" dense "$dense_live"
    timed dense_nocrc "$OUT/evtxbench" -q -F 4 -r "$REPEAT" "$dense" >/dev/null
    report "ours, dense, CRC off" dense_nocrc "$dense_live"
    echo "    ($(basename "$dense"): the largest source file, many records per chunk)"
fi
"$OUT/evtxbench" -C 512 | sed 's/^/  /'
