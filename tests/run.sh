#!/bin/sh
# Runs the whole suite once against the binaries in $BUILD and appends one line per test to
# $BUILD/results ("PASS name" or "FAIL name"). tests/summary.sh prints the totals.
# Parts: unit tests (build/tests/test-*), end-to-end cases (tests/e2e/run.sh),
# fuzz corpus replays (build/replay/fuzz_* over fuzz/corpus/<target>/), fault injection
# (build/torture, build/torture-libs: tests/torture/torture.c).
set -u
BUILD=${BUILD:-build}
results="$BUILD/results"
: >"$results"
fail=0
# Leaks of third-party libraries, each shown outside exsweep: tests/lsan.supp.
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS

record() { # status name
    echo "$1 $2" >>"$results"
    [ "$1" = PASS ] || fail=1
}

for t in "$BUILD"/tests/test-*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if "$t" >"$BUILD/tests/$name.log" 2>&1; then
        record PASS "unit/$name"
    else
        record FAIL "unit/$name"
        sed 's/^/    /' "$BUILD/tests/$name.log" | tail -40 >&2
    fi
done

for r in "$BUILD"/replay/fuzz_*; do
    [ -x "$r" ] || continue
    name=$(basename "$r")
    corpus="fuzz/corpus/$name"
    [ -d "$corpus" ] || { record FAIL "fuzz/$name(no corpus)"; continue; }
    if "$r" "$corpus" >"$BUILD/replay/$name.log" 2>&1; then
        record PASS "fuzz/$name"
    else
        record FAIL "fuzz/$name"
        tail -40 "$BUILD/replay/$name.log" >&2
    fi
done

# Fault injection: every allocation, read and failing library call of a sweep of a small fixture
# failed in turn (alloc, eio), every read shortened (short); each faulted sweep must give the
# same results or fail with its code and message. Every N in the plain build, plus a sample with
# two worker threads (fresh processes: the order of calls varies). Under ASan, where a fork
# costs ten times as much, a sample: the first call of every third distinct stack, every third
# read, every short read. torture-libs (plain build only; it replaces malloc, as ASan does)
# fails the first allocation of every 15th distinct stack of the process, the libraries' own
# included. -w notify: exsweep notify's run (contacts, results, the folder written) under every
# fault of each kind, the libraries' and libc's allocations too.
torture() { # name binary args...
    tname=$1
    tbin=$2
    shift 2
    if [ ! -x "$tbin" ]; then
        record FAIL "torture/$tname(missing $tbin)"
    elif ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4" "$tbin" "$@" \
        >"$BUILD/torture-$tname.log" 2>&1; then
        record PASS "torture/$tname"
    else
        record FAIL "torture/$tname"
        grep -v '^      \|= known\|^  known' "$BUILD/torture-$tname.log" | tail -40 >&2
    fi
}
case "$BUILD" in
*asan*)
    torture alloc-sample "$BUILD/torture" -m alloc -s -e 3
    torture reads-sample "$BUILD/torture" -m eio -e 3
    torture short "$BUILD/torture" -m short
    torture notify "$BUILD/torture" -w notify
    ;;
*)
    torture own-calls "$BUILD/torture"
    torture threads-sample "$BUILD/torture" -d -j 2 -m alloc -e 40
    torture libraries-sample "$BUILD/torture-libs" -m alloc -s -e 15
    torture notify "$BUILD/torture" -w notify
    torture notify-libraries "$BUILD/torture-libs" -w notify -m alloc
    ;;
esac

if scripts/lint.sh >"$BUILD/lint.log" 2>&1; then
    record PASS lint/banned-functions
else
    record FAIL lint/banned-functions
    cat "$BUILD/lint.log" >&2
fi

# The commands' documentation (docs/man/) against their parsers, --help, man pages, completion.
if tests/e2e/man-sync.sh "$BUILD/exsweep" >"$BUILD/man.log" 2>&1; then
    record PASS docs/options-help-man-completion-in-sync
else
    record FAIL docs/options-help-man-completion-in-sync
    cat "$BUILD/man.log" >&2
fi

if [ -x tests/e2e/run.sh ]; then
    BUILD="$BUILD" tests/e2e/run.sh "$results" || fail=1
fi

if [ -x tests/e2e-files/run.sh ]; then
    BUILD="$BUILD" tests/e2e-files/run.sh "$results" || fail=1
fi

p=$(grep -c '^PASS' "$results")
f=$(grep -c '^FAIL' "$results")
grep '^FAIL' "$results" | sed 's/^/  /' >&2
echo "$BUILD: $p passed, $f failed"
exit $fail
