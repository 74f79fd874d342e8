#!/usr/bin/env python3
"""Compare exsweep's EVTX reader with evtxexport (libevtx) record by record.

    compare.py [--recovered] EVTXBENCH FILE_OR_DIR...

For every .evtx file: runs `EVTXBENCH -d FILE` (our reader's dump) and `evtxexport -f xml FILE`,
then compares the live (not recovered) records in order: record count, EventRecordID, EventID,
Qualifiers, Level, Provider, Channel, Computer, TimeCreated (to the millisecond) and the
EventData/UserData leaf values (names and values). Renderings that differ by convention only
are normalised first (hex padding, FILETIME fraction digits, CR in CRLF). Prints one line per
file and every disagreement (first few per file), then the totals. Exit 1 on any disagreement.
With --recovered, compares the records both sides recover from slack space instead
(evtxexport -m recovered against ours flagged XS_EVTX_REC_RECOVERED).
Needs only the Python standard library.
"""
import datetime
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
HEX = re.compile(r"^0x[0-9a-fA-F]+$")
ISO = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$")
MAX_SHOWN = 5


def norm(v):
    v = (v or "").replace("\r", "")
    if HEX.match(v):
        return "0x%x" % int(v, 16)
    m = ISO.match(v)
    if m:
        return "%s.%sZ" % (m.group(1), (m.group(2) or "").ljust(7, "0")[:7])
    return v


def iso_ms(v):
    m = ISO.match(v or "")
    if not m:
        return None
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    t = t.replace(tzinfo=datetime.timezone.utc)
    frac = (m.group(2) or "0").ljust(3, "0")[:3]
    return int(t.timestamp()) * 1000 + int(frac)


def local(tag):
    return tag.split("}", 1)[-1]


def leaves(el, out, attrs):
    kids = list(el)
    if attrs:
        for k, v in el.attrib.items():
            out.append((local(k), norm(v)))
    if not kids:
        name = el.attrib.get("Name") if local(el.tag) == "Data" else None
        out.append((name or local(el.tag), norm(el.text)))
        return
    for k in kids:
        leaves(k, out, attrs)


RECOVERED = False


def peer_records(path):
    mode = ["-m", "recovered"] if RECOVERED else []
    p = subprocess.run(["evtxexport", "-f", "xml"] + mode + [path], capture_output=True)
    text = p.stdout.decode("utf-8", "replace")
    docs = re.split(r"(?=<Event xmlns)", text)[1:]
    recs = []
    for d in docs:
        d = d.strip()
        try:
            ev = ET.fromstring(d)
        except ET.ParseError as e:
            recs.append({"error": str(e)})
            continue
        sysel = ev.find(NS + "System")
        g = lambda tag: sysel.find(NS + tag) if sysel is not None else None
        prov, eid, lvl, tc = g("Provider"), g("EventID"), g("Level"), g("TimeCreated")
        erid, chan, comp = g("EventRecordID"), g("Channel"), g("Computer")
        fields = []
        ed = ev.find(NS + "EventData")
        if ed is not None:
            for k in ed:
                leaves(k, fields, False)
        ud = ev.find(NS + "UserData")
        if ud is not None:
            for k in ud:
                for kk in k:
                    leaves(kk, fields, True)
        recs.append({
            "erid": int(erid.text) if erid is not None and erid.text else 0,
            "eid": int(eid.text) if eid is not None and eid.text else 0,
            "q": eid.attrib.get("Qualifiers") if eid is not None else None,
            "lvl": int(lvl.text) if lvl is not None and lvl.text else 0,
            "prov": (prov.attrib.get("Name") or prov.attrib.get("EventSourceName", ""))
            if prov is not None else "",
            "chan": chan.text or "" if chan is not None else "",
            "comp": comp.text or "" if comp is not None else "",
            "t": iso_ms(tc.attrib.get("SystemTime")) if tc is not None else None,
            "fields": fields,
        })
    return recs


R_LINE = re.compile(r"^R (\d+) erid=(\d+) t=(-?\d+) w=(-?\d+) eid=(\d+)(?: q=(\d+))? lvl=(\d+) "
                    r"flags=(\d+) prov=(.*) chan=(.*) comp=(.*)$")


def unesc(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r", "\\": "\\"}.get(m.group(1)), s)


def our_records(bench, path):
    p = subprocess.run([bench, "-d", path], capture_output=True)
    recs, stats = [], ""
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("R "):
            m = R_LINE.match(line)
            recs.append({
                "erid": int(m.group(2)), "t": int(m.group(3)), "eid": int(m.group(5)),
                "q": m.group(6), "lvl": int(m.group(7)), "flags": int(m.group(8)),
                "prov": unesc(m.group(9)), "chan": unesc(m.group(10)),
                "comp": unesc(m.group(11)), "fields": [],
            })
        elif line.startswith("F ") and recs:
            k, _, v = line[2:].partition("=")
            recs[-1]["fields"].append((unesc(k), norm(unesc(v))))
        elif line.startswith("S "):
            stats = line
    return recs, stats


def compare(bench, path):
    ours_all, stats = our_records(bench, path)
    ours = [r for r in ours_all if bool(r["flags"] & 1) == RECOVERED]
    peer = peer_records(path)
    diffs = []
    if len(ours) != len(peer):
        diffs.append("record count: ours %d, evtxexport %d" % (len(ours), len(peer)))
    for i, (a, b) in enumerate(zip(ours, peer)):
        if "error" in b:
            diffs.append("#%d: evtxexport output does not parse: %s" % (i, b["error"]))
            continue
        for k in ("erid", "eid", "q", "lvl", "prov", "chan", "comp", "t"):
            if a[k] != b[k]:
                diffs.append("#%d erid %d: %s ours %r, evtxexport %r" % (i, a["erid"], k, a[k], b[k]))
        if a["fields"] != b["fields"]:
            fa, fb = a["fields"], b["fields"]
            if len(fa) != len(fb):
                diffs.append("#%d erid %d: %d fields ours, %d evtxexport" % (i, a["erid"], len(fa), len(fb)))
            for x, y in zip(fa, fb):
                if x != y:
                    diffs.append("#%d erid %d: field ours %r, evtxexport %r"
                                 % (i, a["erid"], x[:2], y[:2]))
                    break
    nfields = sum(len(r["fields"]) for r in ours)
    return len(ours), len(ours_all) - len(ours), len(peer), nfields, diffs, stats


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                for n in sorted(names):
                    if n.lower().endswith(".evtx"):
                        yield os.path.join(root, n)
        else:
            yield a


def main():
    global RECOVERED
    args = sys.argv[1:]
    if args and args[0] == "--recovered":
        RECOVERED = True
        args = args[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    bench = args[0]
    tot = [0, 0, 0, 0, 0]
    bad_files = 0
    for f in sorted(files(args[1:])):
        n, rec, npeer, nf, diffs, stats = compare(bench, f)
        tot[0] += n
        tot[1] += rec
        tot[2] += npeer
        tot[3] += nf
        tot[4] += len(diffs)
        bad_files += bool(diffs)
        print("%s %s: ours %d %s + %d other, evtxexport %d, %d fields, %d disagreements"
              % ("OK  " if not diffs else "DIFF", os.path.relpath(f), n,
                 "recovered" if RECOVERED else "live", rec, npeer, nf, len(diffs)))
        for d in diffs[:MAX_SHOWN]:
            print("      " + d)
        if len(diffs) > MAX_SHOWN:
            print("      ... %d more" % (len(diffs) - MAX_SHOWN))
    print("TOTAL: ours %d %s + %d other records, evtxexport %d, %d fields compared, "
          "%d disagreements in %d files" % (tot[0], "recovered" if RECOVERED else "live",
                                            tot[1], tot[2], tot[3], tot[4], bad_files))
    return 1 if tot[4] else 0


if __name__ == "__main__":
    sys.exit(main())
