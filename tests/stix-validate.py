#!/usr/bin/python3
"""STIX 2.1 bundles (exsweep scan -f stix) against the OASIS JSON schemas, for make eval.

    tests/stix-validate.py SCHEMAS BUNDLE...

SCHEMAS is the schemas/ folder of cti-stix2-json-schemas (EVALDATA/stix/schemas): every
*.json under it is loaded and the $refs between them resolve by their $id, locally (nothing
is fetched). Each bundle is validated whole (common/bundle.json), then each object against
the schema of its type, so that a problem names the object; then every *_ref and *_refs
must name an object of the bundle. Prints one line per problem and a total per bundle;
exits 1 when there was a problem, 2 when it could not run.

Works with Debian's python3-jsonschema (4.10: RefResolver) and with later versions (the
referencing library).
"""
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("stix-validate: no jsonschema module (apt-get install python3-jsonschema)")
    sys.exit(2)

KINDS = ("sdos", "sros", "observables", "common")


def load(folder):
    by_id, by_title = {}, {}
    for path in sorted(glob.glob(os.path.join(folder, "*", "*.json"))):
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        by_id[s["$id"]] = s
        if os.path.basename(os.path.dirname(path)) in KINDS[:3]:
            by_title[os.path.basename(path)[:-5]] = s
    return by_id, by_title


def make_validator(schema, by_id):
    cls = jsonschema.Draft202012Validator
    try:
        from referencing import Registry, Resource  # jsonschema >= 4.18

        reg = Registry().with_resources(
            (k, Resource.from_contents(v)) for k, v in by_id.items())
        return cls(schema, registry=reg)
    except ImportError:
        resolver = jsonschema.RefResolver(schema["$id"], schema, store=dict(by_id))
        return cls(schema, resolver=resolver)


def refs(obj, path=""):
    """(property path, referenced id) of every *_ref and *_refs, however deep."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = path + "." + k if path else k
            if k.endswith("_ref") and isinstance(v, str):
                yield p, v
            elif k.endswith("_refs") and isinstance(v, list):
                for x in v:
                    if isinstance(x, str):
                        yield p, x
            else:
                yield from refs(v, p)
    elif isinstance(obj, list):
        for x in obj:
            yield from refs(x, path)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    by_id, by_title = load(argv[1])
    bundle_schema = next((s for k, s in by_id.items() if k.endswith("/common/bundle.json")), None)
    if not bundle_schema:
        print("stix-validate: no common/bundle.json under " + argv[1])
        return 2
    whole = make_validator(bundle_schema, by_id)
    per_type = {t: make_validator(s, by_id) for t, s in by_title.items()}
    bad = 0
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            b = json.load(f)
        problems = []
        for e in whole.iter_errors(b):
            where = "/".join(str(x) for x in e.absolute_path)
            problems.append("bundle: %s: fails %s" % (where or "(bundle)", e.validator))
        objs = b.get("objects", []) if isinstance(b, dict) else []
        ids = {}
        for i, o in enumerate(objs):
            t = o.get("type", "?")
            oid = o.get("id", "?")
            if oid in ids:
                problems.append("%s: id given twice" % oid)
            ids[oid] = t
            v = per_type.get(t)
            if v is None:
                problems.append("%s: no schema for type %s" % (oid, t))
                continue
            for e in v.iter_errors(o):
                where = "/".join(str(x) for x in e.absolute_path)
                problems.append("%s: %s: %s" % (oid, where or "(object)", e.message[:200]))
        nrefs = 0
        for o in objs:
            for p, r in refs(o):
                nrefs += 1
                if r not in ids:
                    problems.append("%s: %s names %s, not in the bundle" % (o.get("id"), p, r))
        types = {}
        for t in ids.values():
            types[t] = types.get(t, 0) + 1
        for p in problems:
            print("%s: %s" % (name, p))
        print("stix-validate: %s: %d objects (%s), %d references, %d problems" % (
            name, len(objs), ", ".join("%d %s" % (n, t) for t, n in sorted(types.items())),
            nrefs, len(problems)))
        bad += len(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
