#!/bin/sh
# A kill -9 loop (issue 12): 200 planted shells; quarantine --apply is killed at a random
# moment, again and again; after each kill, before and after the resume, every shell is in its
# tree or in a zip of the vault with its original SHA-256. Then a last run finishes, verify
# passes, and restore --all gives the tree back byte-identical.
#   tests/e2e/vault-kill.sh DIR [KILLS]     (exsweep and 7z on PATH)
set -u
d=$1
kills=${2:-12}
mkdir -p "$d/tree/inetpub/wwwroot/aspnet_client" || exit 1
cd "$d" || exit 1
i=1
while [ $i -le 200 ]; do
    printf '<%%@ Page Language="C#" %%><%% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c%d"]); eval(Request.Item["x"]); %%>\n' $i >tree/inetpub/wwwroot/aspnet_client/s$i.aspx
    i=$((i + 1))
done
echo benign >tree/inetpub/wwwroot/aspnet_client/readme.txt
find tree -type f -exec sha256sum {} + | sort >sha.before
# every shell in the tree or in the vault, by SHA-256 (the zips opened with 7z)
check() { # when
    rm -rf x && mkdir x && for z in v/*.zip; do
        [ -f "$z" ] || continue
        (cd x && 7z x -y -pinfected "../$z" >/dev/null 2>&1) || { echo "vault-kill: $1: $z does not open" >&2; return 1; }
    done
    { find tree -type f -exec sha256sum {} + ; (cd x && find . -type f -exec sha256sum {} +) | sed 's# \./# tree/#'; } |
        sort -u >sha.now
    if ! comm -23 sha.before sha.now | cmp -s - /dev/null; then
        echo "vault-kill: $1: lost:" >&2
        comm -23 sha.before sha.now >&2
        return 1
    fi
}
k=0
done_n=0
back_n=0
while [ $k -lt "$kills" ]; do
    exsweep quarantine --apply --vault "$d/v" tree >/dev/null 2>&1 &
    pid=$!
    # 10 to 120 ms: before, during and after the copies
    sleep "0.$(printf '%03d' $((10 + (k * 37) % 110)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    check "after kill $k" || exit 1
    exsweep quarantine --resume --vault "$d/v" >resume.out 2>&1
    rc=$?
    # a kill before the vault's folder was made leaves nothing to resume: "no vault", exit 2
    if [ ! -e v ] && [ $rc -eq 2 ] && grep -q '^exsweep quarantine: no vault at ' resume.out; then
        rc=0
    fi
    [ $rc -le 1 ] || { echo "vault-kill: resume after kill $k failed:" >&2; cat resume.out >&2; exit 1; }
    # resumed: C completed, R rolled back: the kills that landed inside an item
    set -- $(sed -n 's/^resumed: \([0-9]*\) completed, \([0-9]*\) rolled back$/\1 \2/p' resume.out)
    done_n=$((done_n + ${1:-0}))
    back_n=$((back_n + ${2:-0}))
    check "after resume $k" || exit 1
    k=$((k + 1))
done
exsweep quarantine --apply --vault "$d/v" tree >/dev/null 2>&1
[ $? -le 1 ] || { echo "vault-kill: the last run failed" >&2; exit 1; }
check "at the end" || exit 1
left=$(find tree -name '*.aspx' | wc -l)
[ "$left" -eq 0 ] || { echo "vault-kill: $left shells left in the tree" >&2; exit 1; }
exsweep vault verify --vault "$d/v" >/dev/null || { echo "vault-kill: verify failed" >&2; exit 1; }
exsweep restore --vault "$d/v" --all >/dev/null || { echo "vault-kill: restore failed" >&2; exit 1; }
find tree -type f -exec sha256sum {} + | sort | cmp -s - sha.before || { echo "vault-kill: the restored tree differs" >&2; exit 1; }
moved=$(ls v/*.zip | wc -l)
echo "vault-kill: $kills kills ($done_n items completed and $back_n rolled back by the resumes), $moved zips, nothing lost, restored byte-identical"
