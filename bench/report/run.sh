#!/bin/sh
# exsweep report over a saved sweep of 1,000,000 findings, in every format: wall time and peak
# memory (issue 11: "exsweep report over 1,000,000 findings in bounded memory, per format").
# The peer: jq, reading and rewriting the same JSON lines in the same run. See
# bench/report/README.md.
#
#   bench/report/run.sh                  1000000 findings, 3 runs of each
#   N=200000 REPS=1 bench/report/run.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
N=${N:-1000000}
REPS=${REPS:-3}
out=$top/bench/out/report
B=$top/build
command -v jq >/dev/null || { echo "bench/report: no jq (apt-get install jq)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/report: no GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$out"
make -C "$top" --no-print-directory -j2 all >/dev/null
rm -rf "$out/tree"
"$B/gentree" --story "$out/tree" >/dev/null
rc=0
"$B/exsweep" scan -q -f jsonl -o "$out/base.jsonl" "$out/tree" || rc=$?
[ "$rc" -eq 1 ] || { echo "bench/report: scan exit $rc" >&2; exit 1; }
# The sweep record, then the findings copied (each copy with a new id) up to N, then the rest.
perl -e '
    my $n = shift; my (@head, @f, @tail);
    while (<>) {
        if (/"record":"finding"/) { push @f, $_ } elsif (@f) { push @tail, $_ } else { push @head, $_ }
    }
    print @head;
    for my $k (0 .. $n - 1) {
        my $l = $f[$k % @f];
        $l =~ s/"id":"[0-9a-f]+"/sprintf("\"id\":\"%032x\"", $k)/e if $k >= @f;
        print $l;
    }
    print @tail;' "$N" "$out/base.jsonl" >"$out/big.jsonl"
size=$(wc -c <"$out/big.jsonl")
echo "saved sweep: $N findings, $size bytes ($(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1073741824 }') GiB)"
run() { # label command... -> "label wall_s rss_kib" per run on stdout
    label=$1
    shift
    i=0
    while [ "$i" -lt "$REPS" ]; do
        rc=0
        /usr/bin/time -f "%e %M" -o "$out/time" "$@" || rc=$?
        [ "$rc" -le 1 ] || { echo "bench/report: $label exit $rc" >&2; exit 1; }
        echo "$label $(tail -n 1 "$out/time")"
        i=$((i + 1))
    done
}
: >"$out/runs.txt"
run jq sh -c 'jq -c . "$0" >/dev/null' "$out/big.jsonl" >>"$out/runs.txt"
for f in text jsonl csv timesketch stix html; do
    run "$f" "$B/exsweep" report -f "$f" -o "$out/out.$f" "$out/big.jsonl" >>"$out/runs.txt"
done
cat "$out/runs.txt"
echo
echo "medians (wall s, peak RSS MiB; ratio: jq's wall time over exsweep's, same run):"
awk '
    { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]); if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
    function median(s,   a, k, i, j, x) {
        k = split(s, a, " ")
        for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return a[int((k + 1) / 2)]
    }
    END {
        jq = median(t["jq"])
        for (i = 0; i < n; i++) {
            f = order[i]; w = median(t[f])
            printf "  %-11s %8.2f s %8.0f MiB", f, w, m[f] / 1024
            if (f != "jq") printf "   %.1fx", jq / w
            printf "\n"
        }
    }' "$out/runs.txt"
