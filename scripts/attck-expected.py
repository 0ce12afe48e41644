#!/usr/bin/env python3
"""Expected conversion figures for a MITRE ATT&CK STIX bundle, computed independently of the
Rust converter by applying XSOAR's FeedMitreAttackv2 rules (docs: the reference notes on the
ATT&CK feed, sections 6.1-6.3) directly to the bundle.

Usage: scripts/attck-expected.py BUNDLE [--threat-actor] [--no-tactics]

Prints a JSON object: indicators by XSOAR type, relationships by (source type, name, target
type), objects not converted by reason, and the number of renamed values. The end-to-end test
`tests/tests/it/stix_attck.rs` asserts these figures.
"""
import json
import sys
from collections import Counter

FEED_TYPES = {
    "x-mitre-tactic": "Tactic",
    "attack-pattern": "Attack Pattern",
    "course-of-action": "Course of Action",
    "intrusion-set": "Intrusion Set",
    "malware": "Malware",
    "tool": "Tool",
    "campaign": "Campaign",
}


def mitre_id(obj):
    ids = [r.get("external_id") for r in obj.get("external_references", [])
           if r.get("source_name", "") == "mitre-attack"]
    return ids[0] if ids else None


def main():
    path = sys.argv[1]
    types = dict(FEED_TYPES)
    if "--threat-actor" in sys.argv[2:]:
        types["intrusion-set"] = "Threat Actor"
    tactics_on = "--no-tactics" not in sys.argv[2:]
    if not tactics_on:
        del types["x-mitre-tactic"]
    objects = json.load(open(path, encoding="utf-8"))["objects"]

    seen = set()
    indicators = []          # [stix id, value, xsoar type, mitre id]
    relationships = []
    rejected = Counter()
    rejected_triples = Counter()
    technique_names = {}
    tactic_values = {}       # the feed's tactic_name_to_mitre_id, as final values
    techniques = []          # [indicator, object] of attack patterns that get tactic links
    creators = {o.get("created_by_ref") for o in objects if o.get("created_by_ref")}
    for obj in objects:
        kind = obj.get("type")
        if obj.get("id") in seen:
            rejected["duplicate-id"] += 1
            continue
        if kind == "relationship":
            seen.add(obj["id"])
            if obj.get("relationship_type") == "revoked-by":
                rejected["revoked-by"] += 1
                # read-time rejections are keyed by the STIX types of the references
                src = obj.get("source_ref", "").split("--")[0]
                dst = obj.get("target_ref", "").split("--")[0]
                rejected_triples[f"{src}|revoked-by|{dst}"] += 1
            else:
                relationships.append(obj)
            continue
        if kind not in types:
            if kind == "identity" and obj["id"] in creators:
                rejected["creator-identity"] += 1
            else:
                rejected["unsupported-type"] += 1
            continue
        if obj.get("revoked"):
            rejected["revoked"] += 1
            continue
        if obj.get("x_mitre_deprecated"):
            rejected["deprecated"] += 1
            continue
        seen.add(obj["id"])
        mid = mitre_id(obj)
        value = obj.get("name")
        if kind == "x-mitre-tactic":
            value = f'{obj["external_references"][0]["external_id"]} - {obj["name"]}'
            tactic_values[obj["name"]] = value
        indicators.append([obj["id"], value, types[kind], mid])
        if kind == "attack-pattern" and tactics_on and not obj.get("x_mitre_is_subtechnique"):
            techniques.append(obj)
        if kind == "attack-pattern" and mid:
            technique_names[mid] = obj.get("name")  # the feed's dict assignment: last one wins

    # Value rewrites, in the feed's order: malware suffix, then sub-technique prefix.
    intrusion_sets = {v for _, v, t, _ in indicators if t == "Intrusion Set"}
    suffixed = []
    renamed = 0
    for ind in indicators:
        if ind[2] == "Malware" and ind[1] in intrusion_sets:
            ind[1] = ind[1] + " [Malware]"
            suffixed.append(ind[1])
    for ind in indicators:
        if ind[2] == "Attack Pattern" and ind[3] and len(ind[3]) > 5:
            parent = technique_names.get(ind[3][:5])
            if parent:
                ind[1] = f"{parent}: {ind[1]}"
                renamed += 1
    id_to = {i[0]: (i[1], i[2]) for i in indicators}

    triples = Counter()
    distinct = set()
    links = 0
    for obj in techniques:
        for phase in obj.get("kill_chain_phases", []):
            if phase.get("kill_chain_name") != "mitre-attack":
                continue
            links += 1
            name = phase["phase_name"].title().replace("-", " ").replace("And", "and")
            if name in tactic_values:
                triples["Attack Pattern|part-of|Tactic"] += 1
            else:
                rejected["missing-tactic"] += 1
                rejected_triples["Attack Pattern|part-of|x-mitre-tactic"] += 1
    for rel in relationships:
        a = id_to.get(rel.get("source_ref"))
        b = id_to.get(rel.get("target_ref"))
        name = rel.get("relationship_type")
        if not (a and b and a[0] and b[0]):
            rejected["endpoint-not-converted"] += 1
            a_type = a[1] if a else rel.get("source_ref", "").split("--")[0]
            b_type = b[1] if b else rel.get("target_ref", "").split("--")[0]
            rejected_triples[f"{a_type}|{name}|{b_type}"] += 1
            continue
        triples[f"{a[1]}|{name}|{b[1]}"] += 1
        distinct.add((name, a, b, rel.get("description"), rel.get("modified"), rel.get("created")))

    print(json.dumps({
        "objects": len(objects),
        "indicators_by_type": dict(sorted(Counter(t for _, _, t, _ in indicators).items())),
        "indicators": len(indicators),
        "relationships_by_triple": dict(sorted(triples.items())),
        "relationships": sum(triples.values()),
        "distinct_relationships": len(distinct),
        "tactic_links": links,
        "rejected_by_reason": dict(sorted(rejected.items())),
        "rejected_by_triple": dict(sorted(rejected_triples.items())),
        "subtechniques_renamed": renamed,
        "malware_suffixed": sorted(suffixed),
    }, indent=2))


if __name__ == "__main__":
    main()
