#!/bin/sh
# Quarantine speed (issue 12, Performance): items per second for a tree of N small shells
# (default 1000) moved into a vault by exsweep quarantine --apply, every fsync on, against
# zip -P infected of the same files followed by sync and rm, in the same run and on the same
# filesystem (bench/out/vault/). The peer two ways: one zip per file (as the vault keeps them)
# and one zip for all. See bench/vault/README.md.
#
#   bench/vault/run.sh              N=1000 REPS=3
#   N=200 REPS=1 bench/vault/run.sh
#
# Then, to show where exsweep's time goes, the same quarantine with one cost taken out by
# bench/vault/shim.c (LD_PRELOAD; a diagnostic, never the tool): fsync a no-op, ZipCrypto in
# place of AES-256 (no PBKDF2), both; and, when strace is there, its system calls counted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
N=${N:-1000}
REPS=${REPS:-3}
out=$top/bench/out/vault
B=$top/build
command -v zip >/dev/null || { echo "bench/vault: no zip (scripts/install-deps.sh --bench)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/vault: no GNU time (scripts/install-deps.sh --bench)" >&2; exit 1; }
make -C "$top" --no-print-directory -j2 all >/dev/null
rm -rf "$out"
mkdir -p "$out"
cc -std=c17 -O2 -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wstrict-prototypes \
    -Wmissing-prototypes -shared -fPIC -o "$out/shim.so" "$here/shim.c" -ldl
shells=$out/tree/inetpub/wwwroot/aspnet_client

# A fresh tree of N shells (about 130 bytes each, all different) and a benign file, the vault
# and zips of the last run gone, everything synced: not timed.
plant() {
    rm -rf "$out/tree" "$out/v" "$out/z" "$out/all.zip"
    mkdir -p "$shells" "$out/z"
    i=1
    while [ "$i" -le "$N" ]; do
        printf '<%%@ Page Language="C#" %%><%% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c%d"]); eval(Request.Item["x"]); %%>\n' "$i" >"$shells/s$i.aspx"
        i=$((i + 1))
    done
    echo benign >"$shells/readme.txt"
    sync
}
# Every shell gone from the tree, N of what should hold them there.
moved() { # what count
    left=$(find "$out/tree" -name '*.aspx' | wc -l)
    [ "$left" -eq 0 ] && [ "$2" -eq "$N" ] && return 0
    echo "bench/vault: $1: $left shells left in the tree, $2 of $N kept" >&2
    exit 1
}
# timed LABEL COMMAND...: "LABEL wall user sys rss" appended to the runs (wall from date, to
# the millisecond; user and system seconds and the peak RSS in KiB from GNU time).
timed() {
    label=$1
    shift
    rc=0
    t0=$(date +%s.%N)
    /usr/bin/time -f "%U %S %M" -o "$out/time" "$@" >"$out/$label.out" 2>"$out/$label.err" || rc=$?
    t1=$(date +%s.%N)
    echo "$label $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $(tail -n 1 "$out/time")" >>"$out/runs"
    return "$rc"
}
quarantine() { # label [env...]: exits 1 (findings), every shell moved
    label=$1
    shift
    rc=0
    timed "$label" env "$@" "$B/exsweep" quarantine --apply --vault "$out/v" "$out/tree" || rc=$?
    [ "$rc" -eq 1 ] || { echo "bench/vault: $label: exit $rc, see $out/$label.err" >&2; exit 1; }
    moved "$label" "$(find "$out/v" -name '*.zip' | wc -l)"
}

: >"$out/runs"
plant
rc=0
"$B/exsweep" quarantine --vault "$out/v" "$out/tree" >"$out/plan" || rc=$? # warm, and count
if [ "$rc" -ne 1 ] || [ "$(grep -c '^plan	' "$out/plan")" -ne "$N" ]; then
    echo "bench/vault: the plan does not name the $N shells" >&2
    exit 1
fi
r=0
while [ "$r" -lt "$REPS" ]; do
    plant
    quarantine exsweep
    plant
    # shellcheck disable=SC2016 # expanded by the inner sh
    timed zip-each sh -c 'find "$1" -name "*.aspx" | while IFS= read -r f; do
            zip -q -P infected "$2/${f##*/}.zip" "$f" || exit 1; done &&
        sync && find "$1" -name "*.aspx" -exec rm -f {} +' sh "$out/tree" "$out/z"
    moved zip-each "$(find "$out/z" -name '*.zip' | wc -l)"
    plant
    # shellcheck disable=SC2016
    timed zip-all sh -c 'find "$1" -name "*.aspx" | zip -q -P infected -@ "$2" &&
        sync && find "$1" -name "*.aspx" -exec rm -f {} +' sh "$out/tree" "$out/all.zip"
    moved zip-all "$(zip -sf "$out/all.zip" | grep -c '\.aspx$')"
    # where exsweep's time goes
    plant
    rc=0
    timed sweep "$B/exsweep" quarantine --vault "$out/v" "$out/tree" || rc=$?
    [ "$rc" -eq 1 ] || { echo "bench/vault: the sweep alone: exit $rc" >&2; exit 1; }
    quarantine nofsync LD_PRELOAD="$out/shim.so" SHIM_NOFSYNC=1
    plant
    quarantine zipcrypto LD_PRELOAD="$out/shim.so" SHIM_ZIPCRYPTO=1
    plant
    quarantine neither LD_PRELOAD="$out/shim.so" SHIM_NOFSYNC=1 SHIM_ZIPCRYPTO=1
    r=$((r + 1))
done
# one more, counted: key derivations, and system calls when strace is there
plant
quarantine counted LD_PRELOAD="$out/shim.so" SHIM_COUNT=1
pbkdf2=$(sed -n 's/^shim: pbkdf2 calls: //p' "$out/counted.err")
calls=""
if command -v strace >/dev/null; then
    plant
    rc=0
    strace -f -c -o "$out/strace.txt" "$B/exsweep" quarantine --apply --vault "$out/v" \
        "$out/tree" >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 1 ] || { echo "bench/vault: under strace: exit $rc" >&2; exit 1; }
    calls=$(awk -v n="$N" '$NF ~ /^(fsync|fdatasync|openat|read|write|renameat|renameat2|unlinkat)$/ {
            printf "%s %.1f, ", $NF, $4 / n }' "$out/strace.txt" | sed 's/, $//')
fi

cat "$out/runs"
echo
fs=$(df -T "$out" | awk 'NR == 2 { print $2 " on " $1 }')
echo "$N shells of about 130 bytes, $REPS runs each, $fs; medians:"
awk -v n="$N" '
    { w[$1] = w[$1] " " $2; u[$1] = u[$1] " " $3; s[$1] = s[$1] " " $4; r[$1] = r[$1] " " $5 }
    function med(list,   a, k, i, j, t) {
        k = split(list, a, " ")
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return a[int((k + 1) / 2)]
    }
    END {
        split("exsweep zip-each zip-all sweep nofsync zipcrypto neither", order, " ")
        name["exsweep"] = "exsweep quarantine --apply (AES-256, every fsync)"
        name["zip-each"] = "zip -P infected, one zip per file, sync, rm"
        name["zip-all"] = "zip -P infected, one zip for all, sync, rm"
        name["sweep"] = "exsweep quarantine, plan only (the sweep)"
        name["nofsync"] = "exsweep, fsync a no-op (shim)"
        name["zipcrypto"] = "exsweep, ZipCrypto (shim)"
        name["neither"] = "exsweep, ZipCrypto and no fsync (shim)"
        for (i = 1; i <= 7; i++) {
            k = order[i]
            if (!(k in w)) continue
            m[k] = med(w[k])
            rate = (k == "sweep") ? "" : sprintf("%8.0f items/s", m[k] > 0 ? n / m[k] : 0)
            printf "  %-52s %6.3f s %s   user %.2f s, sys %.2f s, peak RSS %.1f MiB\n", name[k], m[k], rate,
                med(u[k]), med(s[k]), med(r[k]) / 1024
        }
        printf "exsweep / zip per file: %.2f; exsweep / one zip: %.2f\n", m["exsweep"] / m["zip-each"], m["exsweep"] / m["zip-all"]
        printf "fsync: %.2f s of exsweep'\''s %.2f s; AES-256 (against ZipCrypto): %.2f s; the rest %.2f s\n",
            m["exsweep"] - m["nofsync"], m["exsweep"], m["exsweep"] - m["zipcrypto"], m["neither"]
    }' "$out/runs"
echo "PBKDF2 key derivations: $pbkdf2 for $N items"
[ -z "$calls" ] || echo "system calls per item (strace -c): $calls"
