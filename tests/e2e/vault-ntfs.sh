#!/bin/sh
# Quarantine and restore on a real NTFS volume mounted with ntfs-3g (issue 12: "works on a
# mounted image"): a 16 MiB image made by mkntfs, mounted with -o noatime, two planted shells
# with set times; quarantine --apply moves both, restore --all puts them back byte-identical
# with their modification and access times (NTFS keeps 100 ns: the times are compared at that
# precision). Run as root with /dev/fuse (the case's skip says why not otherwise).
#   tests/e2e/vault-ntfs.sh DIR        (exsweep, mkntfs, ntfs-3g on PATH)
set -u
d=$1
mkdir -p "$d/m" || exit 1
cd "$d" || exit 1
truncate -s 16M img && mkntfs -q -F -f img >/dev/null 2>&1 || { echo "vault-ntfs: mkntfs failed"; exit 1; }
# mounted read-write without noatime, ntfs-3g moves access times on read itself: the sweep says so
ntfs-3g img m || { echo "vault-ntfs: ntfs-3g cannot mount"; exit 1; }
trap 'cd "$d" && umount m 2>/dev/null' EXIT
exsweep scan -q -f jsonl m >w.jsonl
grep -q '"warning":{"kind":"atime","file":"m","message":"a read-write FUSE mount (ntfs-3g?): its filesystem moves access times' w.jsonl || { echo "vault-ntfs: no atime warning on a read-write mount"; exit 1; }
umount m
ntfs-3g -o noatime img m || { echo "vault-ntfs: ntfs-3g cannot mount"; exit 1; }
exsweep scan -q -f jsonl m | grep -q '"kind":"atime"' && { echo "vault-ntfs: an atime warning with noatime"; exit 1; }
w=m/inetpub/wwwroot/aspnet_client
mkdir -p "$w"
printf '<%%@ Page Language="C#" %%><%% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c"]); %%>\n' >"$w/s.aspx"
printf '<%%@ Page Language="C#" %%><%% eval(Request.Item["x"]); %%>\n' >"$w/t.aspx"
echo benign >"$w/readme.txt"
touch -m -d '2021-03-03 04:05:06.1234567' "$w/s.aspx" && touch -a -d '2021-03-04 01:02:03.5' "$w/s.aspx"
touch -m -d '2020-01-01 00:00:00' "$w/t.aspx" && touch -a -d '2020-02-02 00:00:00' "$w/t.aspx"
state() { find m -type f -printf '%p %s %TY%Tm%Td%TH%TM%TS %AY%Am%Ad%AH%AM%AS\n' | sort; }
state >before
find m -type f -exec sha256sum {} + | sort >sha.before
exsweep quarantine --apply --vault "$d/v" m >q.out 2>q.err
[ $? = 1 ] || { echo "vault-ntfs: quarantine failed"; cat q.err; exit 1; }
[ "$(cut -f1 q.out | sort | uniq -c | tr -s ' ')" = " 2 moved" ] || { echo "vault-ntfs: not 2 moved"; cat q.out; exit 1; }
[ ! -e "$w/s.aspx" ] && [ ! -e "$w/t.aspx" ] && [ -e "$w/readme.txt" ] || { echo "vault-ntfs: the tree is not as planned"; exit 1; }
ls -A "$w" | grep -q '^\.exsweep' && { echo "vault-ntfs: a private name was left"; exit 1; }
exsweep vault verify --vault "$d/v" >/dev/null || { echo "vault-ntfs: verify failed"; exit 1; }
exsweep restore --vault "$d/v" --all >r.out 2>r.err || { echo "vault-ntfs: restore failed"; cat r.err; exit 1; }
state | cmp -s - before || { echo "vault-ntfs: times or sizes differ after restore:"; state | diff before -; exit 1; }
find m -type f -exec sha256sum {} + | sort | cmp -s - sha.before || { echo "vault-ntfs: bytes differ"; exit 1; }
# again, then a different file at one path: that restore is refused and the file kept
exsweep quarantine --apply --vault "$d/v" m >q2.out 2>q2.err
[ "$(cut -f1 q2.out | sort | uniq -c | tr -s ' ')" = " 2 moved" ] || { echo "vault-ntfs: second run not 2 moved"; cat q2.out q2.err; exit 1; }
echo other >"$w/t.aspx"
exsweep restore --vault "$d/v" --all >r2.out 2>r2.err
[ $? = 2 ] && grep -q 'another file is at .*t.aspx: not overwritten' r2.err || { echo "vault-ntfs: a restore over another file was not refused"; cat r2.out r2.err; exit 1; }
[ "$(cat "$w/t.aspx")" = other ] && [ -f "$w/s.aspx" ] || { echo "vault-ntfs: the refused restore changed the tree"; exit 1; }
echo "vault-ntfs: 2 moved and restored on ntfs-3g, byte- and time-identical"
