#!/bin/sh
# make demo: generate a sample Exchange server's evidence (a week of logs: HttpProxy, ECP,
# OAB generator, Remote PowerShell, IIS front and back end) with a ProxyLogon-family intrusion
# planted among realistic benign traffic, and what that intrusion left beside the logs (gentree
# --story: the web shells on disk, Sysmon, Security, System and Defender event logs, an LSASS
# dump and the archive it was staged in); pack the same tree as a triage zip, and sweep both.
set -eu
BUILD=${1:-build}
out=$BUILD/demo
rm -rf "$out"
mkdir -p "$out"
"$BUILD/gentree" --story "$out/server" >/dev/null 2>&1
"$BUILD/gentree" --story --zip "$out/triage.zip" >/dev/null 2>&1
logs=$(find "$out/server" -type f \( -name '*.LOG' -o -name '*.log' \) | wc -l)
evtx=$(find "$out/server" -type f -name '*.evtx' | wc -l)
other=$(($(find "$out/server" -type f | wc -l) - logs - evtx))
echo "== the evidence under $out/server: $logs Exchange and IIS logs, $evtx Windows event logs, $other other files"
echo "== exsweep scan $out/server"
echo
status=0
"$BUILD/exsweep" scan --top 8 "$out/server" || status=$?
[ "$status" -le 1 ] || exit "$status"
echo
echo "== the same server as a triage archive, as JSON lines (the first, cut at 300 bytes):"
"$BUILD/exsweep" scan -q --format jsonl "$out/triage.zip" >"$out/findings.jsonl" || [ $? -eq 1 ]
head -n 1 "$out/findings.jsonl" | cut -c1-300
echo "... $(grep -c "\"record\":\"finding\"" "$out/findings.jsonl") findings among the $(wc -l <"$out/findings.jsonl") records of $out/findings.jsonl (the sweep, the server's state, findings, counts, coverage)"
echo
"$BUILD/exsweep" report -f html -o "$out/report.html" "$out/findings.jsonl" || [ $? -eq 1 ]
echo "== the report to hand on, one self-contained page: $out/report.html"
