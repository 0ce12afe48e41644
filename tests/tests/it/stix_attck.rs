//! End to end: MITRE ATT&CK Enterprise (STIX 2.0, ATT&CK v8, crates.io package `attck` 0.3.0)
//! converted as XSOAR's ATT&CK feed would, checked against figures computed independently by
//! `scripts/attck-expected.py` (which applies the feed's rules in Python).
//!
//! The bundle is not in the repository: `scripts/fetch-attck.sh` puts it in
//! `data/attck/enterprise.json` (CI runs it). Without it these tests print a note and pass,
//! except under CI (`CI=true`), where they fail and name the script.

use std::collections::BTreeMap;
use std::path::PathBuf;

use relationship_core::batch::{BatchOptions, Placement};
use relationship_core::validate::validate_str;
use relationship_stix::{ConversionReport, ConvertOptions, RejectReason, Triple, convert};
use serde_json::Value;

fn bundle() -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/attck/enterprise.json");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            relationship_tests::skip_or_fail(
                &path.display().to_string(),
                "run scripts/fetch-attck.sh to fetch the ATT&CK bundle",
            );
            None
        }
    }
}

struct Converted {
    report: ConversionReport,
    output: String,
    rejects: String,
}

fn run(bytes: &[u8], opts: &ConvertOptions) -> Converted {
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    let schema = relationship_core::xsoar::schema();
    let report = convert(
        bytes,
        &mut out,
        schema,
        opts,
        Some(&mut rejects),
        &mut |_| {},
    )
    .unwrap();
    Converted {
        report,
        output: String::from_utf8(out).unwrap(),
        rejects: String::from_utf8(rejects).unwrap(),
    }
}

/// What the output bytes hold, counted from the JSON written (not from the report).
#[derive(Default)]
struct Written {
    indicators: BTreeMap<String, u64>,
    triples: BTreeMap<String, u64>,
    reverse: BTreeMap<String, String>,
    values: Vec<(String, String)>,
    batch_sizes: Vec<usize>,
    dummy_sizes: Vec<usize>,
    /// Indicators (not dummies) with a `relationships` key, and the relationships on them.
    techniques_with_list: usize,
    attached: usize,
}

fn read_output(output: &str) -> Written {
    let mut w = Written::default();
    for line in output.lines() {
        let batch: Vec<Value> = serde_json::from_str(line).unwrap();
        w.batch_sizes.push(batch.len());
        for ind in &batch {
            let rels = ind.get("relationships").and_then(Value::as_array);
            if ind["value"] == "$$DummyIndicator$$" {
                w.dummy_sizes.push(rels.map_or(0, Vec::len));
            } else {
                let t = ind["type"].as_str().unwrap().to_owned();
                if let Some(rels) = rels {
                    w.techniques_with_list += 1;
                    w.attached += rels.len();
                }
                *w.indicators.entry(t.clone()).or_default() += 1;
                w.values
                    .push((t, ind["value"].as_str().unwrap().to_owned()));
            }
            for r in rels.into_iter().flatten() {
                let key = format!(
                    "{}|{}|{}",
                    r["entityAType"].as_str().unwrap(),
                    r["name"].as_str().unwrap(),
                    r["entityBType"].as_str().unwrap()
                );
                *w.triples.entry(key).or_default() += 1;
                w.reverse.insert(
                    r["name"].as_str().unwrap().to_owned(),
                    r["reverseName"].as_str().unwrap().to_owned(),
                );
            }
        }
    }
    w
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn triples(pairs: &[(&str, u64)]) -> BTreeMap<Triple, u64> {
    pairs
        .iter()
        .map(|(k, v)| {
            let p: Vec<&str> = k.split('|').collect();
            (Triple::new(p[0], p[1], p[2]), *v)
        })
        .collect()
}

fn report_triples(m: &BTreeMap<Triple, u64>) -> BTreeMap<String, u64> {
    m.iter()
        .map(|(t, v)| {
            (
                format!("{}|{}|{}", t.source_type, t.name, t.target_type),
                *v,
            )
        })
        .collect()
}

// Figures printed by `scripts/attck-expected.py data/attck/enterprise.json`.
const INDICATORS: &[(&str, u64)] = &[
    ("Attack Pattern", 530),
    ("Course of Action", 42),
    ("Intrusion Set", 109),
    ("Malware", 379),
    ("Tactic", 14),
    ("Tool", 64),
];
const RELATIONSHIPS: &[(&str, u64)] = &[
    ("Attack Pattern|part-of|Tactic", 206),
    ("Attack Pattern|subtechnique-of|Attack Pattern", 352),
    ("Course of Action|mitigates|Attack Pattern", 972),
    ("Intrusion Set|uses|Attack Pattern", 1898),
    ("Intrusion Set|uses|Malware", 331),
    ("Intrusion Set|uses|Tool", 248),
    ("Malware|uses|Attack Pattern", 4405),
    ("Tool|uses|Attack Pattern", 436),
];
const REJECTED: &[(RejectReason, u64)] = &[
    (RejectReason::UnsupportedType, 2),
    (RejectReason::CreatorIdentity, 1),
    (RejectReason::Revoked, 132),
    (RejectReason::Deprecated, 236),
    (RejectReason::RevokedBy, 132),
    (RejectReason::EndpointNotConverted, 640),
];
const REJECTED_TRIPLES: &[(&str, u64)] = &[
    ("Course of Action|mitigates|attack-pattern", 236),
    ("Intrusion Set|uses|attack-pattern", 31),
    ("Malware|uses|attack-pattern", 122),
    ("Tool|uses|attack-pattern", 3),
    ("attack-pattern|revoked-by|attack-pattern", 129),
    ("course-of-action|mitigates|Attack Pattern", 118),
    ("course-of-action|mitigates|attack-pattern", 130),
    ("intrusion-set|revoked-by|intrusion-set", 2),
    ("malware|revoked-by|malware", 1),
];

#[test]
fn attck_enterprise_converts_like_the_feed() {
    let Some(bytes) = bundle() else { return };
    let c = run(&bytes, &ConvertOptions::default());
    let r = &c.report;

    assert_eq!(r.objects_total(), 10_923);
    assert_eq!(r.spec_version.as_deref(), Some("2.0"));
    assert_eq!(r.indicators_written, counts(INDICATORS));
    assert_eq!(r.relationships_by_triple, triples(RELATIONSHIPS));
    assert_eq!(r.relationships_total(), 8848);
    assert_eq!(r.relationships_written["part-of"], 206);
    assert_eq!(r.derived_relationships, 206);
    assert_eq!(r.duplicate_relationships, 0);
    let rejected: BTreeMap<RejectReason, u64> = REJECTED.iter().copied().collect();
    assert_eq!(r.rejected_by_reason, rejected);
    assert_eq!(
        report_triples(&r.rejected_by_triple),
        counts(REJECTED_TRIPLES)
    );
    assert!(r.is_balanced());

    // The bytes agree with the report.
    let w = read_output(&c.output);
    assert_eq!(w.indicators, counts(INDICATORS));
    assert_eq!(w.triples, counts(RELATIONSHIPS));
    let reverse: BTreeMap<String, String> = [
        ("mitigates", "mitigated-by"),
        ("part-of", "contains"),
        ("subtechnique-of", "parent-technique-of"),
        ("uses", "used-by"),
    ]
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .into();
    assert_eq!(w.reverse, reverse);
    assert!(
        w.batch_sizes.iter().all(|&n| (1..=2000).contains(&n)),
        "{:?}",
        w.batch_sizes
    );
    assert!(
        w.dummy_sizes.iter().all(|&n| n <= 2000),
        "{:?}",
        w.dummy_sizes
    );
    assert_eq!(w.batch_sizes.len() as u64, r.batches.chunks);
    let value = |t: &str, v: &str| w.values.iter().any(|(a, b)| a == t && b == v);
    // The 8642 relationship objects go on dummies, the 206 links on their techniques.
    assert_eq!(w.dummy_sizes.iter().sum::<usize>(), 8642);
    assert_eq!(w.techniques_with_list, 178);
    assert_eq!(w.attached, 206);
    assert!(value("Tactic", "TA0005 - Defense Evasion"));
    assert!(value("Tactic", "TA0011 - Command and Control"));

    // Renamed values: 352 sub-techniques `Parent: Sub`, 4 malware with ` [Malware]`.
    assert!(value(
        "Attack Pattern",
        "Event Triggered Execution: .bash_profile and .bashrc"
    ));
    assert!(value(
        "Attack Pattern",
        "Phishing: Spearphishing Attachment"
    ));
    assert!(!value("Attack Pattern", "Spearphishing Attachment"));
    let mut suffixed: Vec<&str> = w
        .values
        .iter()
        .filter(|(t, v)| t == "Malware" && v.ends_with(" [Malware]"))
        .map(|(_, v)| v.as_str())
        .collect();
    suffixed.sort();
    assert_eq!(
        suffixed,
        [
            "Carbanak [Malware]",
            "Machete [Malware]",
            "RTM [Malware]",
            "Taidoor [Malware]"
        ]
    );
    assert!(value("Intrusion Set", "Carbanak"));

    // The output passes validation, and every rejected object is in the reject file.
    let mut violations = Vec::new();
    let stats = validate_str(
        &c.output,
        "attck.ndjson",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert!(
        violations.is_empty(),
        "{:?}",
        &violations[..violations.len().min(5)]
    );
    assert_eq!((stats.indicators, stats.relationships), (1138, 8848));
    assert!(stats.largest_batch <= 2000);
    let reject_lines: Vec<Value> = c
        .rejects
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reject_lines.len() as u64, r.rejected_total());
    let mut by_reason: BTreeMap<String, u64> = BTreeMap::new();
    for l in &reject_lines {
        *by_reason
            .entry(l["reason"].as_str().unwrap().to_owned())
            .or_default() += 1;
        assert!(l["path"].as_str().unwrap().starts_with("objects["));
        assert_eq!(l["object"]["type"], l["type"]);
    }
    assert_eq!(by_reason["endpoint-not-converted"], 640);
    assert_eq!(by_reason["revoked-by"], 132);
}

#[test]
fn attck_enterprise_with_threat_actors_and_attached_relationships() {
    let Some(bytes) = bundle() else { return };
    let opts = ConvertOptions {
        intrusion_set_as_threat_actor: true,
        batch: BatchOptions {
            placement: Placement::Attach,
            ..BatchOptions::default()
        },
        ..ConvertOptions::default()
    };
    let c = run(&bytes, &opts);
    let swap = |k: &str| k.replace("Intrusion Set", "Threat Actor");
    let expected_ind: Vec<(String, u64)> = INDICATORS.iter().map(|(k, v)| (swap(k), *v)).collect();
    let expected_rel: Vec<(String, u64)> =
        RELATIONSHIPS.iter().map(|(k, v)| (swap(k), *v)).collect();
    let w = read_output(&c.output);
    assert_eq!(
        w.indicators,
        expected_ind.iter().map(|(k, v)| (k.clone(), *v)).collect()
    );
    assert_eq!(
        w.triples,
        expected_rel.iter().map(|(k, v)| (k.clone(), *v)).collect()
    );
    // No ` [Malware]` suffix once intrusion sets are threat actors (the feed's behaviour).
    assert!(!w.values.iter().any(|(_, v)| v.ends_with(" [Malware]")));
    assert!(
        w.values
            .iter()
            .any(|(t, v)| t == "Malware" && v == "Carbanak")
    );
    // Attached: a relationship rides on its source indicator, unless that would take the
    // batch line past the byte cap (8 MiB); then a dummy carries it, and such are few.
    let on_dummies: usize = w.dummy_sizes.iter().sum();
    let total: u64 = expected_rel.iter().map(|(_, v)| *v).sum();
    assert!((on_dummies as u64) * 100 < total, "{:?}", w.dummy_sizes);
    assert!(c.output.lines().all(|l| l.len() < 8 << 20));
    assert!(w.batch_sizes.iter().all(|&n| n <= 2000));
    let mut violations = Vec::new();
    validate_str(
        &c.output,
        "attck.ndjson",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert!(
        violations.is_empty(),
        "{:?}",
        &violations[..violations.len().min(5)]
    );
    assert!(c.report.is_balanced());
}

#[test]
fn attck_enterprise_threat_actor_scores_are_null_and_raw_descriptions_clean() {
    let Some(bytes) = bundle() else { return };
    let opts = ConvertOptions {
        intrusion_set_as_threat_actor: true,
        ..ConvertOptions::default()
    };
    let c = run(&bytes, &opts);
    let mut actors = 0;
    for line in c.output.lines() {
        let batch: Vec<Value> = serde_json::from_str(line).unwrap();
        for ind in batch.iter().filter(|i| i["value"] != "$$DummyIndicator$$") {
            // The feed's score table has no Threat Actor: the key is there, null.
            if ind["type"] == "Threat Actor" {
                actors += 1;
                assert_eq!(ind.get("score"), Some(&Value::Null));
            }
            // rawJSON's description is the feed's cleaned text, as in fields.
            assert_eq!(ind["rawJSON"]["description"], ind["fields"]["description"]);
            assert!(
                !ind["rawJSON"]["description"]
                    .as_str()
                    .unwrap()
                    .contains("(Citation:")
            );
        }
    }
    assert_eq!(actors, 109);
    // Key order as the feed builds the indicator dict.
    assert!(c.output.starts_with(r#"[{"value":"#));
    assert!(
        c.output
            .contains(r#"","score":null,"type":"Threat Actor","rawJSON":{"#)
    );
}

#[test]
fn attck_enterprise_without_tactics() {
    let Some(bytes) = bundle() else { return };
    let opts = ConvertOptions {
        no_tactics: true,
        ..ConvertOptions::default()
    };
    let c = run(&bytes, &opts);
    let r = &c.report;
    let without: Vec<(&str, u64)> = INDICATORS
        .iter()
        .copied()
        .filter(|(k, _)| *k != "Tactic")
        .collect();
    assert_eq!(r.indicators_written, counts(&without));
    assert_eq!(r.relationships_total(), 8642);
    assert_eq!(r.derived_relationships, 0);
    assert_eq!(r.rejected(RejectReason::UnsupportedType), 16);
    assert!(r.is_balanced());
    let w = read_output(&c.output);
    assert_eq!(w.techniques_with_list, 0);
}
