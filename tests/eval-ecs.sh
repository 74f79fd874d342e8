#!/bin/sh
# make eval: ECS 9.4 conformance, against ECS's own schema (EVALDATA/ecs/ecs_flat.yml).
#
#   tests/eval-ecs.sh EVALDATA            BUILD=build (default); ECS_GATE=0 not to gate step 2
#
# 1. docs/ecs-fields.txt (the list make check's checks use) against the schema: every field,
#    type, array form, allowed value and category pair, and the version. Gated.
# 2. The JSON lines of a sweep of EVALDATA (exsweep scan -f jsonl) against the schema. The
#    problems go to $BUILD/eval-ecs.txt and are counted per kind here. Gated.
set -u
ev=${1:?usage: tests/eval-ecs.sh EVALDATA}
BUILD=${BUILD:-build}
schema=$ev/ecs/ecs_flat.yml
[ -f "$schema" ] || { echo "eval-ecs: no $schema: skipped"; exit 0; }
status=0
if "$BUILD/ecscheck" --schema "$schema" --check-list docs/ecs-fields.txt; then
    echo "eval-ecs: docs/ecs-fields.txt agrees with the schema ($(grep -c '^field ' docs/ecs-fields.txt) fields)"
else
    echo "eval-ecs: docs/ecs-fields.txt disagrees with the schema (above)"
    status=1
fi
"$BUILD/exsweep" scan -q -f jsonl -o "$BUILD/eval.jsonl" "$ev"
st=$?
if [ "$st" -gt 1 ]; then
    echo "eval-ecs: the sweep of $ev failed (exit $st)"
    exit 1
fi
"$BUILD/ecscheck" --schema "$schema" "$BUILD/eval.jsonl" >"$BUILD/eval-ecs.txt"
st=$?
n=$(wc -l <"$BUILD/eval-ecs.txt")
echo "eval-ecs: $(wc -l <"$BUILD/eval.jsonl") records of the evaldata sweep, $n ECS problems (all in $BUILD/eval-ecs.txt), per kind:"
# the kind of a problem: its field and its words, quoted values left out
cut -d: -f3- "$BUILD/eval-ecs.txt" | sed "s/'[^']*'/'...'/g" | sort | uniq -c | sort -rn | sed 's/^/  /'
if [ "$st" -gt 1 ]; then
    echo "eval-ecs: ecscheck failed (exit $st)"
    status=1
elif [ "$st" -eq 1 ] && [ "${ECS_GATE:-1}" = 1 ]; then
    status=1
elif [ "$st" -eq 1 ]; then
    echo "eval-ecs: not gated (ECS_GATE=0)"
fi
exit $status
