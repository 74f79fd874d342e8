#!/bin/sh
# Quarantine and restore on a server share mounted over SMB (issue 12: "works ... on a server
# share mounted over SMB"): a Samba server started here on 127.0.0.1:445 only, with a share of
# a folder under DIR, mounted with smbnetfs (FUSE over libsmbclient: this kernel has no cifs
# module); two planted shells with set times. A sweep of the share warns that it moves access
# times (kind atime); quarantine --apply moves both (the share has neither RENAME_NOREPLACE nor
# hard links: the look-then-rename way), restore --all puts them back byte-identical with their
# modification times to the second; a second run moves both again. Nothing but the server
# started here is contacted. Run as root with /dev/fuse (the case's skip says why not).
#   tests/e2e/vault-smb.sh DIR        (exsweep, smbd, smbnetfs on PATH)
set -u
d=$1
mkdir -p "$d/share" "$d/priv" "$d/lock" "$d/state" "$d/cache" "$d/pid" "$d/log" "$d/mnt" \
    "$d/home/.smb" || exit 1
cd "$d" || exit 1
cat >smb.conf <<EOF
[global]
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = 445
  disable netbios = yes
  server min protocol = SMB2
  private dir = $d/priv
  lock directory = $d/lock
  state directory = $d/state
  cache directory = $d/cache
  pid directory = $d/pid
  log file = $d/log/%m.log
  passdb backend = tdbsam:$d/priv/passdb.tdb
  map to guest = Bad User
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
[ev]
  path = $d/share
  read only = no
  guest ok = yes
  force user = root
EOF
smbd -F -s "$d/smb.conf" </dev/null >smbd.out 2>&1 &
spid=$!
mounted=0
# the share unmounted, then the server stopped: asked, and after 5 s killed
stop() {
    cd "$d" || return
    [ $mounted = 1 ] && fusermount -u "$d/mnt" 2>/dev/null
    kill $spid 2>/dev/null
    n=0
    while kill -0 $spid 2>/dev/null && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    kill -9 $spid 2>/dev/null
    wait $spid 2>/dev/null
}
trap stop EXIT
i=0
until ss -ltn 2>/dev/null | grep -q '127\.0\.0\.1:445 '; do
    i=$((i + 1))
    [ $i -le 50 ] || { echo "vault-smb: smbd does not listen"; cat smbd.out; exit 1; }
    sleep 0.1
done
printf 'auth "guest" ""\nhost 127.0.0.1 visible=true\n' >home/.smb/smbnetfs.conf
chmod 600 home/.smb/smbnetfs.conf
: >home/.smb/smb.conf
HOME=$d/home smbnetfs "$d/mnt" -o allow_other || { echo "vault-smb: smbnetfs cannot mount"; exit 1; }
mounted=1
m=mnt/127.0.0.1/ev
i=0
until [ -d "$m" ]; do
    i=$((i + 1))
    [ $i -le 50 ] || { echo "vault-smb: the share does not show"; exit 1; }
    sleep 0.1
done
w=$m/inetpub/wwwroot/aspnet_client
# the server's own files, with their times, before the share is read; through the share a
# write's handle is closed after close() returns (FUSE's release), and the server stamps the
# time of that close, so times set right after a write through it do not hold
sw=share/inetpub/wwwroot/aspnet_client
mkdir -p "$sw" || exit 1
printf '<%%@ Page Language="C#" %%><%% System.Diagnostics.Process.Start("cmd.exe","/c "+Request["c"]); %%>\n' >"$sw/s.aspx"
printf '<%%@ Page Language="C#" %%><%% eval(Request.Item["x"]); %%>\n' >"$sw/t.aspx"
echo benign >"$sw/readme.txt"
touch -m -d '2021-03-03 04:05:06.1234567' "$sw/s.aspx" && touch -m -d '2020-01-01 00:00:00' "$sw/t.aspx"
[ -f "$w/s.aspx" ] || { echo "vault-smb: the share does not show the files"; exit 1; }
# the server's filesystem moves access times when the share is read: the sweep says so
exsweep scan -q -f jsonl "$m" >w.jsonl
grep -q '"warning":{"kind":"atime"' w.jsonl || { echo "vault-smb: no atime warning on the share"; exit 1; }
# the server's own view (the mount's attributes are cached, and in whole seconds): sizes and
# modification times to the second, which is what smbnetfs sets (its utimens drops the rest)
state() { find share -type f -printf '%p %s %TY%Tm%Td%TH%TM%.2TS\n' | sort; }
state >before
find "$m" -type f -exec sha256sum {} + | sort >sha.before
exsweep quarantine --apply --vault "$d/v" "$m" >q.out 2>q.err
[ $? = 1 ] || { echo "vault-smb: quarantine failed"; cat q.err; exit 1; }
[ "$(cut -f1 q.out | sort | uniq -c | tr -s ' ')" = " 2 moved" ] || { echo "vault-smb: not 2 moved"; cat q.out q.err; exit 1; }
[ ! -e "$w/s.aspx" ] && [ ! -e "$w/t.aspx" ] && [ -e "$w/readme.txt" ] || { echo "vault-smb: the tree is not as planned"; exit 1; }
[ ! -e "share/inetpub/wwwroot/aspnet_client/s.aspx" ] || { echo "vault-smb: the server still has s.aspx"; exit 1; }
ls -A "$w" share/inetpub/wwwroot/aspnet_client | grep -q '^\.exsweep' && { echo "vault-smb: a private name was left"; exit 1; }
exsweep vault verify --vault "$d/v" >/dev/null || { echo "vault-smb: verify failed"; exit 1; }
exsweep restore --vault "$d/v" --all >r.out 2>r.err || { echo "vault-smb: restore failed"; cat r.err; exit 1; }
state | cmp -s - before || { echo "vault-smb: modification times or sizes differ after restore:"; state | diff before -; exit 1; }
find "$m" -type f -exec sha256sum {} + | sort | cmp -s - sha.before || { echo "vault-smb: bytes differ"; exit 1; }
exsweep quarantine --apply --vault "$d/v" "$m" >q2.out 2>q2.err
[ "$(cut -f1 q2.out | sort | uniq -c | tr -s ' ')" = " 2 moved" ] || { echo "vault-smb: second run not 2 moved"; cat q2.out q2.err; exit 1; }
exsweep vault verify --vault "$d/v" | grep -q '^ok: 6 manifest entries' || { echo "vault-smb: verify after the second run"; exit 1; }
echo "vault-smb: 2 moved and restored on an SMB share, byte-identical, modification times to the second"
