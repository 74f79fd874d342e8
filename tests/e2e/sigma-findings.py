#!/usr/bin/env python3
"""The Sigma findings of a JSON-lines report, one line each, sorted: rule id, severity, the
evidence file's name, line or record, and the evidence (tests/e2e/cases/sigma-*.case)."""
import json
import sys

rows = []
for line in sys.stdin:
    d = json.loads(line)
    if d.get("rule", {}).get("ruleset") != "sigma":
        continue
    x = d["exsweep"]
    o = x["origin"]
    where = o["path"].rsplit("/", 1)[-1]
    at = "record %s" % o["record"] if o.get("record") else "line %s" % o.get("line", 0)
    rows.append("%s %s %s %s %s | %s" % (d["rule"]["id"][-2:], x["severity"], x["verdict"],
                                          where, at, x.get("evidence", "")[:160]))
for r in sorted(rows):
    print(r)
