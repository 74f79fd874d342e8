#!/bin/sh
# make demo: generate a sample Exchange server's evidence (a week of logs: HttpProxy, ECP,
# OAB generator, Remote PowerShell, IIS front and back end) with a ProxyLogon-family intrusion
# planted among realistic benign traffic, pack the same tree as a triage zip, and sweep both.
set -eu
BUILD=${1:-build}
out=$BUILD/demo
rm -rf "$out"
mkdir -p "$out"
"$BUILD/gentree" "$out/server" >/dev/null 2>&1
"$BUILD/gentree" --zip "$out/triage.zip" >/dev/null 2>&1
echo "== the evidence: $(find "$out/server" -type f | wc -l) log files under $out/server"
echo "== exsweep scan $out/server"
echo
status=0
"$BUILD/exsweep" scan --top 8 "$out/server" || status=$?
[ "$status" -le 1 ] || exit "$status"
echo
echo "== the same server as a triage archive, as JSON lines (first 2 of them):"
"$BUILD/exsweep" scan -q --format jsonl "$out/triage.zip" >"$out/findings.jsonl" || [ $? -eq 1 ]
head -n 2 "$out/findings.jsonl"
echo "... $(grep -c "\"record\":\"finding\"" "$out/findings.jsonl") findings among the $(wc -l <"$out/findings.jsonl") records of $out/findings.jsonl (the sweep, findings, counts, coverage)"
