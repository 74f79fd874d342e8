#!/bin/sh
# The prefilter's promise: every line a detector could report passes it. Checked by sweeping
# each PATH twice with exsfind, as the scanner does and with every log line a candidate
# (--no-prefilter, the scan's internal switch), and asserting the same findings, line for line.
#
#   tests/e2e/prefilter-off.sh PATH...          exsfind from $BUILD (default build), else PATH
#   tests/e2e/prefilter-off.sh --eval EVALDATA  (make eval) EVALDATA as one root, and every row
#       of its verdict table swept as exsweep-eval sweeps it, each finding listed (--list)
#
# Prints one line per PATH and, for a PATH that differs, the difference ('<' only with the
# prefilter, '>' only without it: a line the prefilter drops although a detector reports it).
# Exits 1 when a PATH differs, 2 when a sweep failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in
/*) bdir=$BUILD ;;
*) bdir=$top/$BUILD ;;
esac
find=exsfind
[ -x "$bdir/exsfind" ] && find=$bdir/exsfind
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exsweep-pfoff.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0
if [ "${1:-}" = --eval ]; then
    ev=${2:?usage: prefilter-off.sh --eval EVALDATA}
    eval=exsweep-eval
    [ -x "$bdir/exsweep-eval" ] && eval=$bdir/exsweep-eval
    # the agreement table's exit status is make eval's first step: here only the rows count
    "$eval" --list "$ev" >"$tmp/eval-on" 2>&1
    "$eval" --list --no-prefilter "$ev" >"$tmp/eval-off" 2>&1
    if cmp -s "$tmp/eval-on" "$tmp/eval-off"; then
        echo "prefilter-off: every row of $ev/expected_verdicts.csv: same $(grep -c '^  finding: ' "$tmp/eval-on") findings"
    else
        echo "prefilter-off: rows of $ev/expected_verdicts.csv differ (< with the prefilter, > every line a candidate):"
        diff "$tmp/eval-on" "$tmp/eval-off" | grep '^[<>]' | head -40
        status=1
    fi
    set -- "$ev"
fi
for p in "$@"; do
    if ! "$find" "$p" >"$tmp/on" 2>"$tmp/err" || ! "$find" --no-prefilter "$p" >"$tmp/off" 2>>"$tmp/err"; then
        echo "prefilter-off: $p: sweep failed: $(head -3 "$tmp/err")"
        status=2
        continue
    fi
    if cmp -s "$tmp/on" "$tmp/off"; then
        echo "prefilter-off: $p: same $(wc -l <"$tmp/on") findings"
    else
        echo "prefilter-off: $p: findings differ (< with the prefilter, > every line a candidate):"
        diff "$tmp/on" "$tmp/off" | grep '^[<>]' | head -40
        [ "$status" -eq 0 ] && status=1
    fi
done
exit $status
