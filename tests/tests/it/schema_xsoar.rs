//! `schemas/xsoar.json` against the reference tables: the expanded triples (with tiers)
//! against the triple matrix, and the name → reverse map (with order) against XSOAR's
//! `RELATIONSHIPS_NAMES`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use relationship_schema::{Schema, Tier};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/xsoar.json");
    relationship_schema_parse::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

type Triple = (String, String, String);

/// The reference matrix without `located-at`, which XSOAR does not know.
fn reference_triples() -> BTreeMap<Triple, Tier> {
    let text = fixture("stix-relationship-matrix.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("relationship\tsource\ttarget\ttier\tprovenance")
    );
    let mut out = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{line}");
        if cols[0] == "located-at" {
            continue;
        }
        let tier = match cols[3] {
            "core" => Tier::Core,
            "extended" => Tier::Extended,
            other => panic!("tier {other}"),
        };
        let key = (
            cols[0].to_string(),
            cols[1].to_string(),
            cols[2].to_string(),
        );
        assert!(out.insert(key, tier).is_none(), "duplicate row {line}");
    }
    out
}

fn schema_triples(s: &Schema) -> BTreeMap<Triple, Tier> {
    s.triples()
        .map(|(rel, p)| {
            (
                (
                    s.rel(rel).name().to_owned(),
                    s.ty(p.source).name().to_owned(),
                    s.ty(p.target).name().to_owned(),
                ),
                p.tier,
            )
        })
        .collect()
}

fn show(t: &Triple) -> String {
    format!("{} --{}--> {}", t.1, t.0, t.2)
}

#[test]
fn expanded_triples_match_the_reference_matrix() {
    let s = schema();
    let want = reference_triples();
    let got = schema_triples(&s);
    let missing: Vec<String> = want
        .keys()
        .filter(|k| !got.contains_key(*k))
        .map(show)
        .collect();
    let extra: Vec<String> = got
        .keys()
        .filter(|k| !want.contains_key(*k))
        .map(show)
        .collect();
    let tiers: Vec<String> = want
        .iter()
        .filter_map(|(k, w)| {
            got.get(k).filter(|g| *g != w).map(|g| {
                format!(
                    "{}: schema {}, reference {}",
                    show(k),
                    g.as_str(),
                    w.as_str()
                )
            })
        })
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && tiers.is_empty(),
        "{} missing:\n  {}\n{} extra:\n  {}\n{} tier differences:\n  {}",
        missing.len(),
        missing.join("\n  "),
        extra.len(),
        extra.join("\n  "),
        tiers.len(),
        tiers.join("\n  ")
    );
    assert_eq!(got.len(), 1715);
    assert_eq!(s.triple_count(), 1715);
    let core = got.values().filter(|t| **t == Tier::Core).count();
    assert_eq!((core, got.len() - core), (439, 1276));
}

#[test]
fn only_related_to_and_is_also_allow_any_pair() {
    let s = schema();
    let any: BTreeSet<&str> = s
        .relationships()
        .iter()
        .filter(|r| r.is_any())
        .map(|r| r.name())
        .collect();
    assert_eq!(any, BTreeSet::from(["is-also", "related-to"]));
    let reference_names: BTreeSet<String> =
        reference_triples().keys().map(|k| k.0.clone()).collect();
    let explicit: BTreeSet<String> = s
        .relationships()
        .iter()
        .filter(|r| !r.is_any())
        .map(|r| r.name().to_owned())
        .collect();
    assert_eq!(explicit, reference_names);
}

#[test]
fn names_and_reverses_match_relationships_names_in_order() {
    let text = fixture("xsoar-relationships-names.tsv");
    let rows: Vec<(usize, &str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 3, "{l}");
            (c[0].parse().unwrap(), c[1], c[2])
        })
        .collect();
    assert_eq!(rows.len(), 72);
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        (1..=72).collect::<Vec<_>>()
    );
    let want: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.1 != "Types")
        .map(|r| (r.1, r.2))
        .collect();
    let s = schema();
    let got: Vec<(&str, &str)> = s
        .relationships()
        .iter()
        .map(|r| (r.name(), r.reverse()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got.len(), 71);
    assert!(s.relationship("located-at").is_none());
    assert!(s.relationship("Types").is_none());

    // Reverse-only: every reverse value that is not a key, except the placeholder's.
    let keys: BTreeSet<&str> = rows.iter().map(|r| r.1).collect();
    let non_keys: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r.1 != "Types" && !keys.contains(r.2))
        .map(|r| r.2)
        .collect();
    let reverse_only: BTreeSet<&str> = s.reverse_only().iter().map(String::as_str).collect();
    assert_eq!(reverse_only, non_keys);
    assert_eq!(reverse_only.len(), 15);
}

#[test]
fn types_are_xsoar_strings_with_clippy_friendly_markers() {
    let s = schema();
    let got: Vec<(&str, &str)> = s.types().iter().map(|t| (t.name(), t.marker())).collect();
    assert_eq!(
        got,
        vec![
            ("Account", "Account"),
            ("Domain", "Domain"),
            ("DomainGlob", "DomainGlob"),
            ("Email", "Email"),
            ("File", "File"),
            ("Host", "Host"),
            ("IP", "Ip"),
            ("CIDR", "Cidr"),
            ("IPv6", "Ipv6"),
            ("IPv6CIDR", "Ipv6Cidr"),
            ("Registry Key", "RegistryKey"),
            ("ssdeep", "Ssdeep"),
            ("URL", "Url"),
            ("ASN", "Asn"),
            ("Mutex", "Mutex"),
            ("Software", "Software"),
            ("X509 Certificate", "X509Certificate"),
            ("Attack Pattern", "AttackPattern"),
            ("Campaign", "Campaign"),
            ("Course of Action", "CourseOfAction"),
            ("Identity", "Identity"),
            ("Infrastructure", "Infrastructure"),
            ("Intrusion Set", "IntrusionSet"),
            ("Location", "Location"),
            ("Malware", "Malware"),
            ("Report", "Report"),
            ("Threat Actor", "ThreatActor"),
            ("Tool", "Tool"),
            ("CVE", "Cve"),
            ("Tactic", "Tactic"),
        ]
    );
    assert!(s.types().iter().all(|t| !t.doc().is_empty()));
    assert!(s.relationships().iter().all(|r| !r.doc().is_empty()));
    let r = s.relationship("sub-domain-of").unwrap();
    assert_eq!((r.marker(), r.method()), ("SubDomainOf", "sub_domain_of"));
}

#[test]
fn embedded_schema_is_the_file() {
    let file = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/xsoar.json"),
    )
    .unwrap();
    assert_eq!(relationship_schema_parse::builtin::XSOAR_SCHEMA_JSON, file);
    let builtin = relationship_core::xsoar::schema();
    let loaded = schema();
    assert_eq!(builtin.relationships(), loaded.relationships());
    assert_eq!(builtin.types(), loaded.types());
    assert_eq!(builtin.groups(), loaded.groups());
    assert_eq!(builtin.source(), Some(Path::new("schemas/xsoar.json")));
}
