#!/bin/sh
# e2e notify-send: exsweep notify --send against smtpsink (tests/tools/smtpsink.c), an SMTP
# server this script starts on 127.0.0.1 and stops; nothing else is contacted.
#   notify-send.sh WORKDIR EXPECTED-DIR
# 1. the letters of the probe cases' scans are written and sent: the sink holds them byte for
#    byte, each with its envelope (MAIL FROM the --from, RCPT TO its recipients), sent.log a
#    "sent" line each;
# 2. the same run again sends nothing (not one connection): sent.log says they were sent;
# 3. a sink that refuses one recipient: that letter fails (exit 2, sent.log with the 550), the
#    other is sent; a run after it, to a sink that takes it, sends that letter alone;
# 4. --rate 120: the two letters are half a second apart at least.
set -u
w=$1
here=$2/..
mkdir -p "$w" && cd "$w" || exit 2
sinkpid=
stop() { [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; wait 2>/dev/null; sinkpid=; }
trap stop EXIT
die() { echo "notify-send: $*"; exit 1; }
start() { # dir [refused address]
    mkdir -p "$1"
    rm -f "$1.port"
    if [ -n "${2:-}" ]; then smtpsink -d "$1" -p "$1.port" -t 60 -r "$2" & else smtpsink -d "$1" -p "$1.port" -t 60 & fi
    sinkpid=$!
    i=0
    while [ ! -s "$1.port" ]; do
        i=$((i + 1)); [ $i -lt 100 ] || die "the sink did not start"; sleep 0.05
    done
    port=$(cat "$1.port")
}
exsweep probe -f jsonl --from-zgrab2 "$here/probe/zgrab2.jsonl" >z.jsonl
exsweep probe -f jsonl --from-shadowserver "$here/probe/scan_exchange.csv" >s.jsonl
export SOURCE_DATE_EPOCH=1700000000
run() { # out-dir sink-port [more options]
    o=$1; p=$2; shift 2
    exsweep notify --contacts "$here/notify/ripe.db" --out "$o" --from csirt@cert.example \
        --send "smtp://127.0.0.1:$p" "$@" z.jsonl s.jsonl
}

start sink1
run L "$port" --rate 6000 >out1 2>err1 || die "send: exit $? ($(cat err1))"
grep -q "  sent 2, sent before 0, failed 0, not tried 0: L/sent.log" out1 || die "send: $(cat out1)"
[ -f sink1/3.eml ] && die "three messages for two letters"
n=0
tail -n +2 L/letters.csv | while IFS=, read -r f org to hosts id; do
    n=$((n + 1))
    f=$(echo "$f" | tr -d '"')
    cmp -s "L/$f" "sink1/$n.eml" || { echo "notify-send: message $n is not $f"; exit 1; }
done || exit 1
[ "$(cat sink1/1.env)" = "$(printf '<csirt@cert.example> SIZE=%s\n<abuse@example.org>' "$(wc -c <sink1/1.eml | tr -d ' ')")" ] ||
    die "envelope 1: $(cat sink1/1.env)"
grep -qx "<csirt@example.jp>" sink1/2.env || die "envelope 2: $(cat sink1/2.env)"
[ "$(grep -c '	sent$' L/sent.log)" = 2 ] || die "sent.log: $(cat L/sent.log)"

run L "$port" >out2 2>err2 || die "again: exit $?"
grep -q "  sent 0, sent before 2, failed 0, not tried 0" out2 || die "again: $(cat out2)"
[ "$(cat sink1/connections)" = 1 ] || die "the second run connected"
stop

start sink2 csirt@example.jp
run M "$port" --rate 6000 >out3 2>err3
s=$?
[ $s = 2 ] || die "a refused recipient: exit $s"
grep -q "  sent 1, sent before 0, failed 1, not tried 0" out3 || die "refused: $(cat out3)"
grep -q "1 letter not sent" err3 || die "refused: $(cat err3)"
grep -q "	failed: .*550" M/sent.log || die "refused: $(cat M/sent.log)"
stop
start sink3
run M "$port" >out4 2>err4 || die "the rest: exit $? ($(cat err4))"
grep -q "  sent 1, sent before 1, failed 0, not tried 0" out4 || die "the rest: $(cat out4)"
grep -qx "<csirt@example.jp>" sink3/1.env || die "the rest went elsewhere"
[ -f sink3/2.eml ] && die "the rest: two messages"
stop

start sink4
t0=$(date +%s.%N)
run N "$port" --rate 120 >out5 2>err5 || die "rate: exit $?"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.5) }' || die "--rate 120 sent two letters within half a second"
stop
echo "notify-send: sent, not sent twice, refused and sent later, paced"
