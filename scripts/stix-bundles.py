#!/usr/bin/env python3
"""Generates large STIX bundles from MITRE ATT&CK Enterprise, deterministically.

    python3 scripts/stix-bundles.py [ATTCK_JSON] [OUT_DIR]

defaults: data/attck/enterprise.json and data/stix-bench/. Writes three compact bundles (no
indentation, so that the bundle is as small as its objects allow and the memory ratio is a
hard one):

* mixed-100k.json: ATT&CK replicated 10 times (about 109,000 objects), the same mix of types;
* held-100k.json: sub-techniques and malware (the objects a conversion holds back until the
  end of the bundle), the parents the sub-techniques need for their names, the
  subtechnique-of relationships and one `uses` relationship to a sub-technique per malware
  that has one, replicated until there are 100,000 objects or more;
* mixed-500k.json: ATT&CK replicated 46 times (about 502,000 objects).

Each replica gets fresh ids (UUID 5 of the replica number and the original id, type prefix
kept) with every reference (`source_ref`, `target_ref`, `created_by_ref`) rewritten to the
replica's ids, so that relationships resolve inside their replica. The marking definitions are
written once, with their original ids. Names get ` (k)` in replica k > 0, and MITRE ATT&CK
external ids get a letter and a thousands digit of their own per replica (`T1234.001` in
replica 0, `A1234.001` in replica 1, ...), so that sub-techniques find their own replica's
parent and values stay distinct across replicas, as in a real bundle.
"""

import json
import os
import sys
import uuid

NAMESPACE = uuid.UUID("6f1c3b5e-2b4a-4f0e-9a57-3c1d7e2b9a10")
LETTERS = "TABCDEFGHIJKLMNOPQRSUVWXYZ"
REF_KEYS = ("source_ref", "target_ref", "created_by_ref")


def fresh_id(replica, stix_id):
    prefix = stix_id.split("--", 1)[0]
    return f"{prefix}--{uuid.uuid5(NAMESPACE, f'{replica}:{stix_id}')}"


def fresh_mitre_id(replica, ext_id):
    head, dot, tail = ext_id.partition(".")
    if len(head) != 5 or not head[1:].isdigit():
        return ext_id
    digits = int(head[1:]) % 1000 + 1000 * (replica // len(LETTERS) % 10)
    return f"{LETTERS[replica % len(LETTERS)]}{digits:04d}{dot}{tail}"


def replicate(obj, replica, kept_ids):
    """A copy of `obj` for replica `replica`; ids in `kept_ids` are not rewritten."""

    def ref(stix_id):
        return stix_id if stix_id in kept_ids else fresh_id(replica, stix_id)

    out = dict(obj)
    out["id"] = ref(obj["id"])
    for key in REF_KEYS:
        if isinstance(obj.get(key), str):
            out[key] = ref(obj[key])
    if replica > 0 and isinstance(obj.get("name"), str):
        out["name"] = f"{obj['name']} ({replica})"
    refs = obj.get("external_references")
    if isinstance(refs, list):
        new_refs = []
        for r in refs:
            if (
                isinstance(r, dict)
                and r.get("source_name") == "mitre-attack"
                and isinstance(r.get("external_id"), str)
            ):
                r = dict(r, external_id=fresh_mitre_id(replica, r["external_id"]))
            new_refs.append(r)
        out["external_references"] = new_refs
    return out


def write_bundle(path, objects_of, replicas, shared):
    """Writes `shared` once, then `objects_of` for each replica; returns the object count."""
    kept_ids = {o["id"] for o in shared}
    count = 0
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write('{"type":"bundle","id":"bundle--%s","spec_version":"2.0","objects":['
                % uuid.uuid5(NAMESPACE, os.path.basename(path)))
        first = True
        for obj in shared:
            f.write(("" if first else ",") + json.dumps(obj, separators=(",", ":"), ensure_ascii=False))
            first = False
            count += 1
        for k in range(replicas):
            for obj in objects_of:
                f.write(("" if first else ","))
                f.write(json.dumps(replicate(obj, k, kept_ids), separators=(",", ":"), ensure_ascii=False))
                first = False
                count += 1
        f.write("]}\n")
    os.replace(tmp, path)
    return count


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "data/attck/enterprise.json"
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "data/stix-bench"
    os.makedirs(out_dir, exist_ok=True)
    with open(src, encoding="utf-8") as f:
        objects = json.load(f)["objects"]
    shared = [o for o in objects if o.get("type") == "marking-definition"]
    rest = [o for o in objects if o.get("type") != "marking-definition"]

    subs = {o["id"] for o in rest if o.get("type") == "attack-pattern" and o.get("x_mitre_is_subtechnique")}
    malware = {o["id"] for o in rest if o.get("type") == "malware"}
    rels = [o for o in rest if o.get("type") == "relationship"]
    parents = {r["target_ref"] for r in rels if r.get("relationship_type") == "subtechnique-of"}
    held_rels = []
    with_uses = set()
    for r in rels:
        if r.get("relationship_type") == "subtechnique-of" and r["source_ref"] in subs:
            held_rels.append(r)
        elif (
            r.get("relationship_type") == "uses"
            and r["source_ref"] in malware
            and r["target_ref"] in subs
            and r["source_ref"] not in with_uses
        ):
            with_uses.add(r["source_ref"])
            held_rels.append(r)
    keep = subs | malware | parents
    held = [o for o in rest if o["id"] in keep or o.get("type") == "identity"] + held_rels
    held_replicas = -(-100_000 // len(held))

    for name, objs, replicas in (
        ("mixed-100k.json", rest, 10),
        ("held-100k.json", held, held_replicas),
        ("mixed-500k.json", rest, 46),
    ):
        path = os.path.join(out_dir, name)
        n = write_bundle(path, objs, replicas, shared)
        print(f"{path}: {n} objects, {os.path.getsize(path)} bytes, {replicas} replicas")
    print(
        f"held-100k.json per replica: {len(subs)} sub-techniques, {len(malware)} malware, "
        f"{len(parents)} parent techniques, {len(held_rels)} relationships"
    )


if __name__ == "__main__":
    main()
