#!/bin/sh
# make eval: STIX 2.1 bundles (exsweep scan -f stix) against the OASIS JSON schemas
# (EVALDATA/stix/schemas), with Debian's python3-jsonschema: the bundle of the planted tree
# (gentree) and the bundle of the evaldata sweep, whole and object by object, and every
# reference resolving inside its bundle. Gated. Then a bundle broken on purpose must fail
# (the check is not vacuous).
#
#   tests/eval-stix.sh EVALDATA            BUILD=build (default)
set -u
ev=${1:?usage: tests/eval-stix.sh EVALDATA}
BUILD=${BUILD:-build}
schemas=$ev/stix/schemas
[ -d "$schemas" ] || { echo "eval-stix: no $schemas: skipped"; exit 0; }
py=python3
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null && py=/usr/bin/python3
$py -c 'import jsonschema' 2>/dev/null || {
    echo "eval-stix: no python3-jsonschema (scripts/install-deps.sh --ci installs it)"; exit 1; }
out=$BUILD/eval-stix
rm -rf "$out" && mkdir -p "$out" || exit 1
"$BUILD/gentree" "$out/planted" >/dev/null 2>&1 || { echo "eval-stix: gentree failed"; exit 1; }
status=0
for t in planted evaldata; do
    src=$out/planted
    [ "$t" = evaldata ] && src=$ev
    "$BUILD/exsweep" scan -q -f stix -o "$out/$t.json" "$src"
    st=$?
    if [ "$st" -gt 1 ]; then
        echo "eval-stix: the sweep of $src failed (exit $st)"
        status=1
        continue
    fi
    $py tests/stix-validate.py "$schemas" "$out/$t.json" >"$out/$t.txt"
    st=$?
    tail -1 "$out/$t.txt" | sed "s#$out/##"
    if [ "$st" -ne 0 ]; then
        echo "eval-stix: $t: the problems are in $out/$t.txt:"
        head -5 "$out/$t.txt" | sed 's/^/  /'
        status=1
    fi
done
# not vacuous: a timestamp without its zone, an indicator without its pattern, a sighting
# naming an identity the bundle lacks
$py - "$out/planted.json" "$out/broken.json" <<'P'
import json, sys
b = json.load(open(sys.argv[1]))
objs = b["objects"]
objs[0]["created"] = "2021-03-02T00:00:00"
next(o for o in objs if o["type"] == "indicator").pop("pattern")
next(o for o in objs if o["type"] == "sighting")["where_sighted_refs"] = [
    "identity--00000000-0000-5000-8000-000000000000"]
json.dump(b, open(sys.argv[2], "w"))
P
if $py tests/stix-validate.py "$schemas" "$out/broken.json" >"$out/broken.txt"; then
    echo "eval-stix: a broken bundle passed the check"
    status=1
else
    echo "eval-stix: a bundle broken three ways fails it ($(tail -1 "$out/broken.txt" | sed 's/.*, //'))"
fi
exit $status
