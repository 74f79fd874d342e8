#!/bin/sh
# --concurrency and --rate held to what they promise, against one fakeexch on 12 loopback
# ports (tests/e2e/cases/probe-live-load.case):
#   tests/e2e/probe-live-load.sh DIR      (fakeexch and exsweep on PATH)
# The server waits 300 ms before each answer. With --concurrency 3, the connections of its
# ports that the kernel holds established for it, sampled every 5 ms with ss -p (iproute2;
# root, as the suite runs), are never more than 3; and the server saw more than one at once (the hosts do overlap). The server's
# own count is not the bound: a connection the client has closed is counted until its thread
# has read the end, which may come after the next one is accepted.
# With --rate 5 (a new connection every 0.2 s) the 12 hosts take more than 2 s; with --rate
# 1000 at least 0.5 s less. Prints one line a check.
set -u
d=$1
mkdir -p "$d" && cd "$d" || exit 2
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
try=0
while :; do # 12 free ports in a row, from a base the kernel did not choose
    base=$((30000 + ($$ * 7 + try * 997) % 30000))
    rm -f port
    fakeexch --life 60 --port $base --ports 12 --delay 300 --port-file port --max-file max \
        header 15.1.2176.2 >srv.log 2>&1 &
    pid=$!
    i=0
    while [ ! -s port ] && kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    [ -s port ] && break
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null
    pid=""
    try=$((try + 1))
    [ $try -lt 20 ] || { echo "probe-live-load: no 12 free ports"; exit 2; }
done
j=0
: >targets
while [ $j -lt 12 ]; do echo "127.0.0.1:$((base + j))" >>targets; j=$((j + 1)); done
ms() { date +%s%N | cut -c1-13; }
exsweep probe -f jsonl --concurrency 3 --rate 1000 --timeout 5 -i targets >c.jsonl &
epid=$!
most=0
while kill -0 $epid 2>/dev/null; do
    # the server's own sockets (its process): not a client's whose port falls in the range
    k=$(ss -Htnp state established "( sport >= :$base and sport <= :$((base + 11)) )" |
        grep -c "pid=$pid,")
    [ "$k" -gt $most ] && most=$k
    sleep 0.005
done
wait $epid
rc=$?
echo "concurrency 3: exit $rc, $(grep -c '"build":"15.1.2176.2"' c.jsonl) builds, at most 3 open: $([ $most -le 3 ] && [ $most -ge 1 ] && [ "$(cat max)" -ge 2 ] && echo yes || echo "no (ss $most, server $(cat max))")"
t0=$(ms)
exsweep probe -f jsonl --rate 5 --timeout 5 -i targets >r.jsonl
rc=$?
t1=$(ms)
slow=$((t1 - t0))
echo "rate 5: exit $rc, $(grep -c '"build":"15.1.2176.2"' r.jsonl) builds, more than 2 s: $([ $((t1 - t0)) -gt 2000 ] && echo yes || echo "no ($((t1 - t0)) ms)")"
t0=$(ms)
exsweep probe -f jsonl --rate 1000 --timeout 5 -i targets >f.jsonl
rc=$?
t1=$(ms)
echo "rate 1000: exit $rc, $(grep -c '"build":"15.1.2176.2"' f.jsonl) builds, 0.5 s faster: $([ $((t1 - t0 + 500)) -lt $slow ] && echo yes || echo "no ($((t1 - t0)) ms against $slow)")"
