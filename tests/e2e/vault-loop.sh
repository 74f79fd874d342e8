#!/bin/sh
# Quarantine and restore on a loop-mounted image (issue 12: "works on a mounted image ...
# loop"): a 32 MiB ext4 image, mounted read-write with -o loop, two planted shells with set
# times; quarantine --apply moves both, restore --all puts them back byte-identical with their
# modification and access times to the nanosecond, mode and owner. Then the image mounted
# read-only, as a responder mounts evidence: the plan refuses both, on read-only media, and
# nothing changes. Run as root (the case's skip says why not otherwise).
#   tests/e2e/vault-loop.sh DIR        (exsweep, mkfs.ext4 on PATH)
set -u
d=$1
mkdir -p "$d/m" || exit 1
cd "$d" || exit 1
truncate -s 32M img && mkfs.ext4 -q -F img >/dev/null 2>&1 || { echo "vault-loop: mkfs.ext4 failed"; exit 1; }
mount -o loop img m || { echo "vault-loop: cannot loop-mount"; exit 1; }
trap 'cd "$d" && umount m 2>/dev/null' EXIT
w=m/inetpub/wwwroot/aspnet_client
mkdir -p "$w"
printf '<%%@ Page Language="C#" %%><%% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c"]); %%>\n' >"$w/s.aspx"
printf '<%%@ Page Language="C#" %%><%% eval(Request.Item["x"]); %%>\n' >"$w/t.aspx"
echo benign >"$w/readme.txt"
chmod 640 "$w/s.aspx" && chown 33:33 "$w/t.aspx"
touch -m -d '2021-03-03 04:05:06.123456789' "$w/s.aspx" && touch -a -d '2021-03-04 01:02:03.987654321' "$w/s.aspx"
touch -m -d '2020-01-01 00:00:00.5' "$w/t.aspx" && touch -a -d '2020-02-02 00:00:00.25' "$w/t.aspx"
state() { find m -path m/lost+found -prune -o -type f -printf '%p %s %m %U:%G %T@ %A@\n' | sort; }
# hashed first: sha256sum's reads move access times (relatime), exsweep's must not
find m -type f -exec sha256sum {} + | sort >sha.before
state >before
exsweep quarantine --apply --vault "$d/v" m >q.out 2>q.err
[ $? = 1 ] || { echo "vault-loop: quarantine failed"; cat q.err; exit 1; }
[ "$(cut -f1 q.out | sort | uniq -c | tr -s ' ')" = " 2 moved" ] || { echo "vault-loop: not 2 moved"; cat q.out; exit 1; }
[ ! -e "$w/s.aspx" ] && [ ! -e "$w/t.aspx" ] && [ -e "$w/readme.txt" ] || { echo "vault-loop: the tree is not as planned"; exit 1; }
exsweep vault verify --vault "$d/v" >/dev/null || { echo "vault-loop: verify failed"; exit 1; }
exsweep restore --vault "$d/v" --all >r.out 2>r.err || { echo "vault-loop: restore failed"; cat r.err; exit 1; }
state | cmp -s - before || { echo "vault-loop: times, modes, owners or sizes differ after restore:"; state | diff before -; exit 1; }
find m -type f -exec sha256sum {} + | sort | cmp -s - sha.before || { echo "vault-loop: bytes differ"; exit 1; }
state >before.ro
# read-only, as evidence is mounted: refused, nothing changes
umount m && mount -o loop,ro img m || { echo "vault-loop: cannot remount read-only"; exit 1; }
exsweep quarantine --vault "$d/v" m >p.out 2>p.err
[ "$(cut -f1 p.out | sort | uniq -c | tr -s ' ')" = " 2 refused" ] && grep -q 'on read-only media' p.out || { echo "vault-loop: the read-only image was not refused"; cat p.out p.err; exit 1; }
exsweep quarantine --apply --vault "$d/v" m >a.out 2>a.err
grep -q '^exsweep quarantine: 0 moved into the vault, 2 left in place, 0 failed$' a.err || { echo "vault-loop: --apply on the read-only image"; cat a.out a.err; exit 1; }
state | cmp -s - before.ro || { echo "vault-loop: the read-only image changed"; exit 1; }
echo "vault-loop: 2 moved and restored on a loop-mounted ext4 image, byte-, time-, mode- and owner-identical; refused read-only"
