#!/bin/sh
# The prefilter's promise: every line a detector could report passes it. Checked by sweeping
# each PATH twice with exsfind, as the scanner does and with every log line a candidate
# (--no-prefilter, the scan's internal switch), and asserting the same findings, line for line.
#
#   tests/e2e/prefilter-off.sh PATH...      exsfind from $BUILD (default build), else PATH
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
