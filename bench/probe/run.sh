#!/bin/sh
# exsweep probe against OpenSSL's handshake rate and nmap, on loopback TLS servers. See
# bench/probe/README.md for the figures and what they mean.
#
#   bench/probe/run.sh                 500 targets, 3 timed runs of exsweep
#   N=1000 REPS=5 NMAP_SV=40 bench/probe/run.sh
#
# One tests/tools/fakeexch serves N ports from 24000 on (127.0.0.1 only; RSA 2048
# self-signed, each port answering as Exchange 2016 CU19: GET /owa/ redirects to the logon
# page with X-OWA-Version, the export tool manifest is 404), so that every target is a
# host:port of its own. Measured in the same run, against that one server:
#   exsweep    exsweep probe over the N targets (--rate 100000 --concurrency 256): a TLS
#              handshake and 3 requests each (/owa/, its redirect, the manifest); the median
#              wall time of REPS runs gives probes/s; GNU time gives its CPU and peak RSS
#   s_time     openssl s_time -connect 127.0.0.1:24000 -new -time 5: full handshakes one
#              after the other, no request: the machine's handshake rate
#   nmap       nmap -Pn -n -p 24000-(24000+N-1) --script ssl-cert,http-headers 127.0.0.1, as
#              the issue writes it; nmap names these ports from its services table, not
#              https, so http-headers does not run (its portrule wants http): ssl-cert only
#   nmap -sV   the same with -sV over the first NMAP_SV ports (20), so that nmap finds
#              ssl/http and runs both scripts: what an nmap scan that reads headers costs
#   memory     exsweep probe --concurrency C (C = MEM_C, 1000) against C ports of a second
#              fakeexch that waits 5 s before every answer, cut by --max-time 7: all C in
#              flight at once; (peak RSS - peak RSS of one target) / C
# The server, the clients and whatever else runs on the machine share its cores: the figures
# are of one run, on this machine, at this time.
set -eu
cd "$(dirname "$0")/../.."
N=${N:-500}
REPS=${REPS:-3}
NMAP_SV=${NMAP_SV:-20}
MEM_C=${MEM_C:-1000}
BASE=24000
MEMBASE=26000
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/probe: GNU time missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "bench/probe: openssl missing" >&2; exit 2; }
command -v nmap >/dev/null || { echo "bench/probe: nmap missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
[ "$N" -le 1024 ] && [ "$MEM_C" -le 1024 ] || { echo "bench/probe: N and MEM_C at most 1024 (fakeexch's ports)" >&2; exit 2; }
make --no-print-directory build/exsweep build/fakeexch >/dev/null

out=$(mktemp -d "${TMPDIR:-/tmp}/exsweep-bench-probe.XXXXXX")
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$out"' EXIT
build/fakeexch --life 1800 --port $BASE --ports "$N" --port-file "$out/port" header 15.1.2176.2 \
    >"$out/srv.log" 2>&1 &
pids="$pids $!"
build/fakeexch --life 1800 --port $MEMBASE --ports "$MEM_C" --port-file "$out/memport" \
    --delay 5000 header 15.1.2176.2 >"$out/memsrv.log" 2>&1 &
pids="$pids $!"
i=0
while { [ ! -s "$out/port" ] || [ ! -s "$out/memport" ]; } && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$out/port" ] && [ -s "$out/memport" ] || { echo "bench/probe: fakeexch did not start" >&2; cat "$out"/*.log >&2; exit 2; }
targets() { # base count
    j=0
    while [ $j -lt "$2" ]; do printf '127.0.0.1:%d\n' $(($1 + j)); j=$((j + 1)); done
}
targets $BASE "$N" >"$out/targets"
targets $MEMBASE "$MEM_C" >"$out/memtargets"

echo "bench/probe: $N targets on 127.0.0.1:$BASE-$((BASE + N - 1)), $(nproc) CPUs"

# exsweep: one untimed run, then REPS timed
build/exsweep probe -f jsonl --rate 100000 --concurrency 256 --timeout 10 -i "$out/targets" >"$out/warm.jsonl" || true
r=0
: >"$out/times"
while [ $r -lt "$REPS" ]; do
    $TIME -f "%e %U %S %M" -o "$out/t" build/exsweep probe -f jsonl --rate 100000 \
        --concurrency 256 --timeout 10 -i "$out/targets" >"$out/run.jsonl" || true
    tail -1 "$out/t" >>"$out/times" # GNU time says a non-zero status first (1: findings)
    r=$((r + 1))
done
summary=$(tail -1 "$out/run.jsonl")
exch=$(printf '%s' "$summary" | sed 's/.*"exchange":\([0-9]*\).*/\1/')
[ "$exch" = "$N" ] || { echo "bench/probe: exsweep found $exch Exchange servers of $N" >&2; exit 1; }
med=$(sort -n "$out/times" | awk -v n="$REPS" 'NR == int((n + 1) / 2)')
wall=$(echo "$med" | cut -d' ' -f1)
cpu=$(echo "$med" | awk '{print $2 + $3}')
rss=$(echo "$med" | cut -d' ' -f4)
ex_rate=$(awk -v n="$N" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
echo "exsweep:   $N probes in $wall s (median of $REPS): $ex_rate probes/s; CPU $cpu s ($(awk -v c="$cpu" -v n="$N" 'BEGIN { printf "%.2f", c * 1000 / n }') ms a probe), peak RSS $rss KiB"

# s_time: the handshake rate, one connection after another
openssl s_time -connect 127.0.0.1:$BASE -new -time 5 >"$out/stime" 2>&1 || true
st=$(sed -n 's/^\([0-9]*\) connections in \([0-9.]*\) real seconds.*/\1 \2/p' "$out/stime" | tail -1)
[ -n "$st" ] || { echo "bench/probe: s_time said:" >&2; cat "$out/stime" >&2; exit 1; }
st_rate=$(echo "$st" | awk '{ printf "%.0f", $1 / $2 }')
st_user=$(sed -n 's/.*; \([0-9.]*\) connections\/user sec.*/\1/p' "$out/stime" | tail -1)
echo "s_time:    $(echo "$st" | cut -d' ' -f1) handshakes in $(echo "$st" | cut -d' ' -f2) s: $st_rate handshakes/s; client CPU $(awk -v u="$st_user" 'BEGIN { printf "%.2f", 1000 / u }') ms (user) a handshake"

# nmap as the issue writes it, then with -sV over a few ports
$TIME -f "%e %M" -o "$out/tn" nmap -Pn -n -p "$BASE-$((BASE + N - 1))" --script ssl-cert,http-headers \
    127.0.0.1 -oN "$out/nmap.txt" >/dev/null
nw=$(cut -d' ' -f1 "$out/tn")
certs=$(grep -c '^| ssl-cert: Subject' "$out/nmap.txt" || true)
heads=$(grep -c '^| http-headers' "$out/nmap.txt" || true)
nm_rate=$(awk -v n="$N" -v w="$nw" 'BEGIN { printf "%.0f", n / w }')
echo "nmap:      $N ports in $nw s: $nm_rate ports/s ($certs ssl-cert, $heads http-headers), peak RSS $(cut -d' ' -f2 "$out/tn") KiB"
$TIME -f "%e %M" -o "$out/tv" nmap -Pn -n -sV -p "$BASE-$((BASE + NMAP_SV - 1))" \
    --script ssl-cert,http-headers 127.0.0.1 -oN "$out/nmapsv.txt" >/dev/null
vw=$(cut -d' ' -f1 "$out/tv")
vcerts=$(grep -c '^| ssl-cert: Subject' "$out/nmapsv.txt" || true)
vheads=$(grep -c '^| http-headers' "$out/nmapsv.txt" || true)
echo "nmap -sV:  $NMAP_SV ports in $vw s: $(awk -v n="$NMAP_SV" -v w="$vw" 'BEGIN { printf "%.2f", n / w }') ports/s ($vcerts ssl-cert, $vheads http-headers)"

# memory per probe in flight
$TIME -f "%M" -o "$out/m1" build/exsweep probe -f jsonl --concurrency 1 --timeout 6 --max-time 7 \
    127.0.0.1:$MEMBASE >/dev/null || true
$TIME -f "%M" -o "$out/mc" build/exsweep probe -f jsonl --rate 100000 --concurrency "$MEM_C" \
    --timeout 6 --max-time 7 -i "$out/memtargets" >"$out/mem.jsonl" || true
m1=$(tail -1 "$out/m1")
mc=$(tail -1 "$out/mc")
answered=$(grep -c '"responses":[1-9]' "$out/mem.jsonl" || true)
echo "memory:    peak RSS $m1 KiB with 1 target, $mc KiB with $MEM_C in flight ($answered answered before --max-time): $(awk -v a="$m1" -v b="$mc" -v c="$MEM_C" 'BEGIN { printf "%.1f", (b - a) / c }') KiB a probe in flight"

echo "ratios:    exsweep / s_time $(awk -v a="$ex_rate" -v b="$st_rate" 'BEGIN { printf "%.2f", a / b }') (target >= 0.5); exsweep / nmap $(awk -v a="$ex_rate" -v b="$nm_rate" 'BEGIN { printf "%.1f", a / b }') (ssl-cert only), / nmap -sV $(awk -v a="$ex_rate" -v b="$NMAP_SV" -v w="$vw" 'BEGIN { printf "%.0f", a / (b / w) }')"
