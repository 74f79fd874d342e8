#!/bin/sh
# End-to-end cases: one file per case in tests/e2e/cases/*.case, one runner (this file).
#
#   tests/e2e/run.sh [RESULTS]     BUILD=build (default) or build/asan
#   E2E_ONLY=robust- tests/e2e/run.sh   only the cases whose name contains the text
#
# Appends "PASS e2e/<case>" or "FAIL e2e/<case>" per case to RESULTS and exits non-zero when
# a case failed. A case file holds "key: value" lines ('#' starts a comment):
#
#   desc:    what the case shows (one line)
#   shared:  NAME COMMAND  evidence built once per run at @S@/NAME (COMMAND sees it as @DIR@);
#                          every case naming NAME must give the same COMMAND
#   setup:   COMMAND       run in the case's folder before the command (in order, may repeat)
#   run:     COMMAND       the command under test; stdout goes to @OUT@, stderr to @ERR@
#   exit:    N             its expected exit status (default 0)
#   timeout: SECONDS       for the command (default 120)
#   skip:    COMMAND       when it exits 0, the case is not run: "SKIP e2e/<case>" and the
#                          command's output (the reason) are printed; neither pass nor failure
#   filter:  COMMAND       stdout is piped through COMMAND before it is compared
#   expect:  FILE          stdout (filtered) must equal tests/e2e/expected/FILE byte for byte
#   check:   COMMAND       must exit 0 (in order, may repeat; run after the command)
#
# Commands run with sh -c in the case's own temporary folder, with $BUILD first in PATH
# (gentree, exsfind, exsweep). Placeholders: @T@ the case folder, @S@ the shared folder,
# @OUT@ and @ERR@ the command's output files, @EXP@ tests/e2e/expected.
#
# Expected files are golden files reviewed by hand against the detectors and the catalogue;
# this runner never writes them. To change one, run the case's command yourself, read the
# difference line by line, and commit the new file with the reason.
set -u
results=${1:-/dev/null}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in
/*) bdir=$BUILD ;;
*) bdir=$top/$BUILD ;;
esac
for t in gentree exsfind exsweep; do
    [ -x "$bdir/$t" ] || { echo "e2e: $bdir/$t missing (run make)" >&2; echo "FAIL e2e/(build)" >>"$results"; exit 1; }
done
PATH="$bdir:$PATH"
export PATH
LC_ALL=C
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/exsweep-e2e.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/shared"
# scan --sigma's cache of compiled rules: the run's own (never the user's), shared by the cases,
# so that the later ones load what the first compiled
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
fail=0
passed=0
failed=0
skipped=0

subst() { # text case_dir
    printf '%s\n' "$1" | sed -e "s#@T@#$2#g" -e "s#@S@#$tmp/shared#g" -e "s#@OUT@#$2/out#g" \
        -e "s#@ERR@#$2/err#g" -e "s#@EXP@#$here/expected#g"
}

# Builds shared evidence NAME with COMMAND unless an earlier case did. Returns non-zero on a
# build failure or when COMMAND differs from the one that built it.
shared() { # name command case_dir
    sdir=$tmp/shared/$1
    if [ -f "$sdir.cmd" ]; then
        [ "$(cat "$sdir.cmd")" = "$2" ] && return 0
        echo "    shared evidence '$1' built with another command: $(cat "$sdir.cmd")" >&2
        return 1
    fi
    printf '%s\n' "$2" >"$sdir.cmd"
    c=$(subst "$2" "$3" | sed -e "s#@DIR@#$sdir#g")
    if ! (cd "$tmp/shared" && sh -c "$c") >"$sdir.log" 2>&1; then
        echo "    building shared evidence '$1' failed: $c" >&2
        sed 's/^/    /' "$sdir.log" | tail -20 >&2
        return 1
    fi
}

run_case() { # file
    name=$(basename "$1" .case)
    cdir=$tmp/case-$name
    mkdir "$cdir"
    run=""
    want_exit=0
    to=120
    filter=""
    expect=""
    : >"$cdir/.setup"
    : >"$cdir/.checks"
    : >"$cdir/.shared"
    : >"$cdir/.skip"
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
        '' | '#'*) continue ;;
        esac
        key=${line%%:*}
        val=${line#*:}
        val=${val# }
        case "$key" in
        desc) ;;
        shared) printf '%s\n' "$val" >>"$cdir/.shared" ;;
        skip) printf '%s\n' "$val" >>"$cdir/.skip" ;;
        setup) printf '%s\n' "$val" >>"$cdir/.setup" ;;
        run) run=$val ;;
        exit) want_exit=$val ;;
        timeout) to=$val ;;
        filter) filter=$val ;;
        expect) expect=$val ;;
        check) printf '%s\n' "$val" >>"$cdir/.checks" ;;
        *)
            echo "    $name: unknown key '$key'" >&2
            return 1
            ;;
        esac
    done <"$1"
    [ -n "$run" ] || { echo "    $name: no run: line" >&2; return 1; }

    while IFS= read -r s; do
        c=$(subst "$s" "$cdir")
        if why=$(cd "$cdir" && sh -c "$c" 2>&1); then
            echo "    $name: skipped: ${why:-$s}" >&2
            return 2
        fi
    done <"$cdir/.skip"
    while IFS= read -r s; do
        shared "${s%% *}" "${s#* }" "$cdir" || return 1
    done <"$cdir/.shared"
    while IFS= read -r s; do
        c=$(subst "$s" "$cdir")
        if ! (cd "$cdir" && sh -c "$c") >"$cdir/setup.log" 2>&1; then
            echo "    $name: setup failed: $c" >&2
            sed 's/^/    /' "$cdir/setup.log" | tail -20 >&2
            return 1
        fi
    done <"$cdir/.setup"

    c=$(subst "$run" "$cdir")
    (cd "$cdir" && timeout "$to" sh -c "$c") >"$cdir/out" 2>"$cdir/err"
    rc=$?
    ok=0
    if [ "$rc" -ne "$want_exit" ]; then
        echo "    $name: exit status $rc, expected $want_exit: $c" >&2
        sed 's/^/    stderr: /' "$cdir/err" | tail -10 >&2
        ok=1
    fi
    if [ -n "$expect" ]; then
        if [ -n "$filter" ]; then
            (cd "$cdir" && sh -c "$(subst "$filter" "$cdir")") <"$cdir/out" >"$cdir/out.filtered"
        else
            cp "$cdir/out" "$cdir/out.filtered"
        fi
        if [ ! -f "$here/expected/$expect" ]; then
            echo "    $name: expected file $expect missing" >&2
            ok=1
        elif ! cmp -s "$here/expected/$expect" "$cdir/out.filtered"; then
            echo "    $name: output differs from expected/$expect:" >&2
            diff -u "$here/expected/$expect" "$cdir/out.filtered" | head -40 | sed 's/^/    /' >&2
            ok=1
        fi
    fi
    while IFS= read -r s; do
        c=$(subst "$s" "$cdir")
        if ! (cd "$cdir" && sh -c "$c") >"$cdir/check.log" 2>&1; then
            echo "    $name: check failed: $s" >&2
            sed 's/^/    /' "$cdir/check.log" | tail -10 >&2
            ok=1
        fi
    done <"$cdir/.checks"
    return $ok
}

for f in "$here"/cases/*.case; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .case)
    case "$name" in
    *"${E2E_ONLY:-}"*) ;;
    *) continue ;;
    esac
    run_case "$f"
    st=$?
    if [ "$st" -eq 0 ]; then
        echo "PASS e2e/$name" >>"$results"
        passed=$((passed + 1))
    elif [ "$st" -eq 2 ]; then
        echo "SKIP e2e/$name" >>"$results"
        echo "SKIP e2e/$name" >&2
        skipped=$((skipped + 1))
    else
        echo "FAIL e2e/$name" >>"$results"
        echo "FAIL e2e/$name" >&2
        failed=$((failed + 1))
        fail=1
    fi
done
extra=""
[ "$skipped" -eq 0 ] || extra=", $skipped skipped"
echo "e2e ($BUILD): $passed passed, $failed failed$extra"
exit $fail
