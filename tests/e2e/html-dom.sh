#!/bin/sh
# The HTML report in headless Chromium (tests/e2e/cases/html-chromium.case):
#
#   tests/e2e/html-dom.sh --missing        exits 0, saying so, when there is no chromium
#   tests/e2e/html-dom.sh REPORT.html OUT  renders REPORT.html, checks its DOM, keeps a
#                                          screenshot at $BUILD/html-report.png
#   tests/e2e/html-dom.sh --net PAGE OUT   only the network check (the case shows it fails
#                                          on a page that loads an image and calls fetch)
#
# Chromium runs with every host name unresolvable and a NetLog of all its network events: no
# request may have the page as its initiator (the page fetches nothing, the CSP forbids it).
# The browser's own background requests (initiator "not an origin": component updates, time,
# accounts) are not the page's and are let through.
# The DOM, dumped after the page's script ran, must hold the tables and the timeline, the
# marker the script sets at its end, and the hostile strings of the case's tree as text: no
# element made of them (no <img>, no third <script>), and no console message (an exception,
# a CSP refusal) at all.
set -u
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ "${1:-}" = "--missing" ]; then
    [ -z "$chromium" ] || exit 1
    echo "chromium not installed (scripts/install-deps.sh --ci installs it): not rendered"
    exit 0
fi
netonly=0
if [ "${1:-}" = "--net" ]; then
    netonly=1
    shift
fi
report=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case "${BUILD:-build}" in
/*) bdir=${BUILD} ;;
*) bdir=$top/${BUILD:-build} ;;
esac
mkdir -p "$out"
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
flags="--headless --disable-gpu --no-sandbox --no-first-run --disable-extensions \
--disable-background-networking --disable-component-update --disable-sync \
--host-resolver-rules=MAP\ *\ ~NOTFOUND --user-data-dir=$out/profile"
fail=0
bad() { echo "html-dom: $*" >&2; fail=1; }

# shellcheck disable=SC2086 # the flags are words
eval timeout 60 "$chromium" $flags --enable-logging=stderr --v=0 --log-net-log="$out/net.json" \
    --dump-dom "'$url#q=203.0.113.66&open=2'" >"$out/dom.html" 2>"$out/chromium.log"
# no request left the file: none whose initiator is the page
[ -s "$out/net.json" ] || bad "no NetLog written"
reqs=$(grep '"initiator"' "$out/net.json" | grep -v '"initiator":"not an origin"' |
    grep -o '"url":"[^"]*"' | sort -u)
[ -z "$reqs" ] || bad "requests made by the page: $reqs"
[ "$netonly" -eq 0 ] || exit $fail
[ -s "$out/dom.html" ] || bad "no DOM dumped (chromium log: $out/chromium.log)"
grep -q 'data-exs-ready="[1-9][0-9]*"' "$out/dom.html" || bad "the page's script did not run to its end"
for id in 'id="exs-timeline"' 'id="exs-findings"' 'id="attackers"' 'id="backdoors"' \
    'id="verdict"' '<tr class="row' '<rect '; do
    grep -q "$id" "$out/dom.html" || bad "no $id in the DOM"
done
# the hostile strings: text, never elements
grep -q '&lt;img src=x onerror=alert(1)&gt;.aspx' "$out/dom.html" || bad "the shell's name is not shown as text"
grep -q '<dd>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</dd>' "$out/dom.html" ||
    bad "the user agent is not shown as text in the opened row"
[ "$(grep -o '<img' "$out/dom.html" | wc -l)" -eq 0 ] || bad "an <img> element was made"
[ "$(grep -o '<script' "$out/dom.html" | wc -l)" -eq 2 ] || bad "a <script> element came from the evidence"
if grep 'CONSOLE' "$out/chromium.log" >&2; then bad "console messages (above)"; fi
# the screenshot, kept among the test outputs
# shellcheck disable=SC2086
eval timeout 60 "$chromium" $flags --screenshot="$bdir/html-report.png" --window-size=1400,2000 \
    "'$url'" >/dev/null 2>&1 || bad "no screenshot"
[ -s "$bdir/html-report.png" ] || bad "no screenshot at $bdir/html-report.png"
exit $fail
