#!/bin/sh
# Totals over the result files of several runs; the last line is what CI reads.
p=0; f=0
for r in "$@"; do
    [ -f "$r" ] || { echo "missing results: $r" >&2; f=$((f + 1)); continue; }
    p=$((p + $(grep -c '^PASS' "$r")))
    f=$((f + $(grep -c '^FAIL' "$r")))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
