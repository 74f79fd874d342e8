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
#                       (default 5): event id, strings and XML of every record
#   ours, dense         one large log (many records per chunk) read REPEAT times, 1 thread
# Rates count live records only (what evtxexport exports), so they compare like for like;
# our reader also decodes the recovered records on top.
set -eu
cd "$(dirname "$0")/../.."
SRC=${1:-../shared/evaldata/evtx}
MIB=${2:-300}
LIBEVTX_COPIES=${LIBEVTX_COPIES:-5}
REPEAT=${REPEAT:-100}
OUT=bench/out/evtx
DATA=$OUT/data
mkdir -p "$OUT"

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) }'; }

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

# Data: whole copies of the source set until MIB MiB.
find "$SRC" -name '*.evtx' -type f | sort >"$OUT/sources"
[ -s "$OUT/sources" ] || { echo "no .evtx files under $SRC" >&2; exit 1; }
set_bytes=$(tr '\n' '\0' <"$OUT/sources" | xargs -0 cat | wc -c)
copies=$(( (MIB * 1048576 + set_bytes - 1) / set_bytes ))
if [ "$(cat "$DATA/.copies" 2>/dev/null)" != "$copies:$set_bytes" ]; then
    rm -rf "$DATA"
    mkdir -p "$DATA"
    i=0
    while [ "$i" -lt "$copies" ]; do
        k=0
        while IFS= read -r f; do
            cp "$f" "$DATA/c$i-$k.evtx"
            k=$((k + 1))
        done <"$OUT/sources"
        i=$((i + 1))
    done
    echo "$copies:$set_bytes" >"$DATA/.copies"
fi
find "$DATA" -name '*.evtx' | sort >"$OUT/list"
files=$(wc -l <"$OUT/list")
bytes=$(tr '\n' '\0' <"$OUT/list" | xargs -0 cat | wc -c) # also warms the page cache
half=$(( (files + 1) / 2 ))
head -n "$half" "$OUT/list" >"$OUT/list.a"
tail -n +"$((half + 1))" "$OUT/list" >"$OUT/list.b"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
live=$("$OUT/evtxbench" -q -F 2 -l "$OUT/list" | field records)
all=$("$OUT/evtxbench" -q -l "$OUT/list" | field records)

t0=$(now)
"$OUT/evtxbench" -q -l "$OUT/list" >"$OUT/ours1.txt"
t1=$(now)
"$OUT/evtxbench" -q -l "$OUT/list.a" >"$OUT/ours2a.txt" &
"$OUT/evtxbench" -q -l "$OUT/list.b" >"$OUT/ours2b.txt"
wait
t2=$(now)
tr '\n' '\0' <"$OUT/list" | xargs -0 -n 1 -P 2 evtxexport -f xml >/dev/null 2>&1 # one file each
t3=$(now)
ours1=$(secs "$t0" "$t1")
ours2=$(secs "$t1" "$t2")
peer=$(secs "$t2" "$t3")

echo "EVTX bench: $files files, $((bytes / 1048576)) MiB ($copies copies of $(wc -l <"$OUT/sources") files from $SRC)"
echo "  live records: $live (ours also decodes $((all - live)) recovered ones)"
printf '  %-22s %8ss %10s records/s\n' "ours, 1 thread" "$ours1" "$(rate "$live" "$ours1")"
printf '  %-22s %8ss %10s records/s\n' "ours, 2 processes" "$ours2" "$(rate "$live" "$ours2")"
printf '  %-22s %8ss %10s records/s\n' "evtxexport, xargs -P2" "$peer" "$(rate "$live" "$peer")"
awk -v a="$ours1" -v b="$ours2" -v p="$peer" 'BEGIN {
    printf "  ratio ours(1 thread) / evtxexport(2 workers): %.1fx\n", (p / a)
    printf "  ratio ours(2 processes) / evtxexport(2 workers): %.1fx\n", (p / b) }'

if [ "$have_libevtx" = 1 ]; then
    grep -E '/c([0-9]+)-' "$OUT/list" | awk -F'/c' -v n="$LIBEVTX_COPIES" '{ split($NF, a, "-"); if (a[1] < n) print }' \
        >"$OUT/list.lib"
    sub_live=$("$OUT/evtxbench" -q -F 2 -l "$OUT/list.lib" | field records)
    t4=$(now)
    tr '\n' '\0' <"$OUT/list.lib" | xargs -0 "$OUT/libevtxbench" >"$OUT/libevtx.txt"
    t5=$(now)
    t6=$(now)
    "$OUT/evtxbench" -q -l "$OUT/list.lib" >/dev/null
    t7=$(now)
    lib=$(secs "$t4" "$t5")
    ours_sub=$(secs "$t6" "$t7")
    printf '  %-22s %8ss %10s records/s  (%s copies, %s live records)\n' "libevtx, 1 thread" \
        "$lib" "$(rate "$sub_live" "$lib")" "$LIBEVTX_COPIES" "$sub_live"
    awk -v a="$ours_sub" -v p="$lib" 'BEGIN {
        printf "  ratio ours(1 thread) / libevtx(1 thread), same files: %.1fx\n", (p / a) }'
fi

# the largest source file stands for a busy server log
dense=$(while IFS= read -r f; do printf '%s\t%s\n' "$(wc -c <"$f")" "$f"; done <"$OUT/sources" |
    sort -n | tail -1 | cut -f2-)
if [ -n "$dense" ]; then
    "$OUT/evtxbench" -q -r "$REPEAT" "$dense" | sed "s|^|  ours, dense ($(basename "$dense") x$REPEAT): |"
fi
