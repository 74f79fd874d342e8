#!/bin/sh
# Benchmark of the file side: exsweep's default scan (logs, hashing, shipped rules through
# the literal gate, file heuristics) against the yara command line tool running
# signature-base's Hafnium, ProxyShell, China Chopper and generic web-shell rules over the
# same tree, in the same run. See bench/files/README.md.
#
#   bench/files/run.sh                 LOG_MIB=1536 PAD_MIB=1536 REPS=3
#   EVALDATA=../shared/evaldata        where the signature-base rule files are
set -eu
cd "$(dirname "$0")/../.."
LOG_MIB=${LOG_MIB:-1536}
PAD_MIB=${PAD_MIB:-1536}
REPS=${REPS:-3}
EVALDATA=${EVALDATA:-../shared/evaldata}
sb="$EVALDATA/rules/yara/signature-base"
RULES="$sb/apt_hafnium.yar $sb/expl_proxyshell.yar $sb/apt_webshell_chinachopper.yar $sb/gen_webshells.yar $sb/thor-webshells.yar"
for r in $RULES; do [ -f "$r" ] || { echo "bench: missing $r (set EVALDATA)" >&2; exit 2; }; done
command -v yara >/dev/null || { echo "bench: yara not installed (scripts/install-deps.sh --bench)" >&2; exit 2; }

make -s all
out=bench/out/files
tree=$out/tree
stamp="$LOG_MIB $PAD_MIB $(cksum <build/gentree) $(cksum <build/mkfiletree)"
if [ ! -f "$out/stamp" ] || [ "$(cat "$out/stamp")" != "$stamp" ]; then
    rm -rf "$out"
    mkdir -p "$out"
    echo "bench: writing $LOG_MIB MiB of logs and $PAD_MIB MiB of files with planted shells" >&2
    build/gentree --scale "$LOG_MIB" "$tree"
    build/mkfiletree --pad "$PAD_MIB" "$tree"
    echo "$stamp" >"$out/stamp"
fi
size=$(du -sm "$tree" | cut -f1)
files=$(find "$tree" -type f | wc -l)
echo "bench: $size MiB, $files files in $tree" >&2

TIME=""
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f %e\t%M -o $out/t"

# Only a run that worked is timed: exsweep exits 0 (nothing found) or 1 (findings), yara 0.
# Any other status stops the bench and names the tool's error log.
ran() { # status highest-good tool errfile
    [ "$1" -le "$2" ] && return 0
    echo "bench: $3 failed (exit $1), see $4" >&2
    exit 1
}
run_exs() {
    st=0
    $TIME build/exsweep scan -q --stats -f jsonl -o "$out/exsweep.jsonl" "$tree" 2>"$out/exs.err" || st=$?
    ran "$st" 1 exsweep "$out/exs.err"
}
run_exs_rules() {
    st=0
    # shellcheck disable=SC2046,SC2086
    $TIME build/exsweep scan -q --stats -f jsonl -o "$out/exsweep-rules.jsonl" \
        $(for r in $RULES; do printf -- '--rules %s ' "$r"; done) "$tree" 2>"$out/exsr.err" || st=$?
    ran "$st" 1 "exsweep --rules" "$out/exsr.err"
}
run_yara() {
    st=0
    # shellcheck disable=SC2086
    $TIME yara -w -p 2 -r $RULES "$tree" >"$out/yara.txt" 2>"$out/yara.err" || st=$?
    ran "$st" 0 yara "$out/yara.err"
}
secs() { tail -n 1 "$out/t" | cut -f1; }
rss() { tail -n 1 "$out/t" | awk '{printf "%.1f", $2 / 1024}'; }

run_exs
run_yara # warm the page cache for both
: >"$out/runs"
i=0
while [ "$i" -lt "$REPS" ]; do
    run_exs
    echo "exsweep $(secs) $(rss)" >>"$out/runs"
    run_yara
    echo "yara $(secs) $(rss)" >>"$out/runs"
    if [ "${WITH_RULES:-1}" = 1 ]; then
        run_exs_rules
        echo "exsweep+rules $(secs) $(rss)" >>"$out/runs"
    fi
    i=$((i + 1))
done
median() { grep "^$1 " "$out/runs" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
me=$(median exsweep)
my=$(median yara)
cat "$out/runs"
echo "median exsweep ${me}s, yara -p 2 ${my}s, ratio $(awk "BEGIN {printf \"%.2f\", $me / $my}")"
if [ "${WITH_RULES:-1}" = 1 ]; then
    mr=$(median exsweep+rules)
    echo "median exsweep --rules (the same signature-base files): ${mr}s"
    echo "exsweep --rules YARA matches: $(grep -c '"category":"YARA"' "$out/exsweep-rules.jsonl")"
fi
echo "exsweep findings: $(wc -l <"$out/exsweep.jsonl"); yara matches: $(wc -l <"$out/yara.txt")"
grep 'exsweep stats' "$out/exs.err" || true
