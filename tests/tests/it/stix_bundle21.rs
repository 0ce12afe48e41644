//! The handwritten STIX 2.1 bundle `tests/fixtures/stix/bundle-2.1.json`: cyber-observables,
//! the SDOs XSOAR's TAXII feeds map, `indicator` patterns, the relationship renames, and one
//! or more objects for every rejection reason, and ATT&CK tactics: two tactics (one after the
//! techniques), a technique linked to both, one of its phases naming a tactic that is not in
//! the bundle, a technique without phases (an empty list), a sub-technique with a phase (no
//! list). The expected figures are worked out by hand in the comments below, object by object.

use std::collections::BTreeMap;

use relationship_core::check::Mode;
use relationship_core::json::JsonStyle;
use relationship_core::validate::{ViolationKind, validate_str};
use relationship_schema::Schema;
use relationship_stix::{ConversionReport, ConvertOptions, RejectReason, convert};
use serde_json::Value;

const BUNDLE: &str = crate::support::STIX_BUNDLE;

struct Converted {
    report: ConversionReport,
    output: String,
    rejects: Vec<Value>,
}

fn run_with(schema: &Schema, opts: &ConvertOptions) -> Converted {
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    let mut phases = Vec::new();
    let report = convert(
        BUNDLE.as_bytes(),
        &mut out,
        schema,
        opts,
        Some(&mut rejects),
        &mut |p| phases.push(p.phase),
    )
    .unwrap();
    assert_eq!(phases.last(), Some(&relationship_stix::Phase::Done));
    let rejects = String::from_utf8(rejects).unwrap();
    Converted {
        report,
        output: String::from_utf8(out).unwrap(),
        rejects: rejects
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    }
}

fn run(opts: &ConvertOptions) -> Converted {
    run_with(relationship_core::xsoar::schema(), opts)
}

/// Every indicator and relationship object of the output.
fn items(output: &str) -> (Vec<Value>, Vec<Value>) {
    let (mut inds, mut rels) = (Vec::new(), Vec::new());
    for line in output.lines() {
        let batch: Vec<Value> = serde_json::from_str(line).unwrap();
        for ind in batch {
            if let Some(r) = ind.get("relationships").and_then(Value::as_array) {
                rels.extend(r.iter().cloned());
            }
            if ind["value"] != "$$DummyIndicator$$" {
                inds.push(ind);
            }
        }
    }
    (inds, rels)
}

fn indicator<'a>(inds: &'a [Value], value: &str) -> &'a Value {
    inds.iter()
        .find(|i| i["value"] == value)
        .unwrap_or_else(|| panic!("no indicator {value}"))
}

fn triple(r: &Value) -> String {
    format!(
        "{} {} {}",
        r["entityAType"].as_str().unwrap(),
        r["name"].as_str().unwrap(),
        r["entityBType"].as_str().unwrap()
    )
}

#[test]
fn every_object_is_written_or_rejected_with_its_reason() {
    let c = run(&ConvertOptions::default());
    let r = &c.report;
    assert_eq!(r.spec_version, None); // STIX 2.1 bundles carry no spec_version
    assert_eq!(r.objects_total(), 74);

    // 33 indicators: objects 2-9, 11-32 and the two tactics (39, 72) and Masquerading (73),
    // minus the ones rejected below.
    let expected: BTreeMap<String, u64> = [
        ("ASN", 1),
        ("Account", 1),
        ("Attack Pattern", 4),
        ("CIDR", 1),
        ("CVE", 1),
        ("Campaign", 1),
        ("Domain", 1),
        ("DomainGlob", 1),
        ("Email", 1),
        ("File", 2),
        ("IP", 2),
        ("IPv6", 1),
        ("Identity", 1),
        ("Infrastructure", 1),
        ("Intrusion Set", 1),
        ("Location", 1),
        ("Malware", 2),
        ("Mutex", 1),
        ("Registry Key", 1),
        ("Report", 1),
        ("Software", 1),
        ("Tactic", 2),
        ("Threat Actor", 1),
        ("Tool", 1),
        ("URL", 1),
        ("X509 Certificate", 1),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    assert_eq!(r.indicators_written, expected);

    // 17 relationships written; the 27th is an identical copy of the first (another id).
    // And 2 technique-to-tactic links of the 3 made (command-and-control has no tactic).
    assert_eq!(r.relationships_total(), 19);
    assert_eq!(r.relationships_written["part-of"], 3); // with IP part-of ASN
    assert_eq!(r.derived_relationships, 3);
    assert_eq!(r.duplicate_relationships, 1);
    let (inds, rels) = items(&c.output);
    assert_eq!(inds.len(), 33);
    let mut got: Vec<String> = rels.iter().map(triple).collect();
    got.sort();
    assert_eq!(
        got,
        [
            "Attack Pattern part-of Tactic",
            "Attack Pattern part-of Tactic",
            "Attack Pattern subtechnique-of Attack Pattern",
            "Attack Pattern subtechnique-of Attack Pattern",
            "Campaign attributed-to Threat Actor",
            "Campaign originated-from Location",
            "Campaign uses Tool",
            "Domain resolves-to IPv6",
            "File indicator-of Malware",
            "IP indicator-of Malware",
            "IP part-of ASN",
            "Infrastructure contains IP",
            "Intrusion Set targets Identity",
            "Intrusion Set uses Malware",
            "Malware communicates-with Domain",
            "Malware exploits CVE",
            "Malware uses Attack Pattern",
            "Report related-to Campaign",
            "Threat Actor uses Infrastructure",
        ]
    );

    use RejectReason::*;
    let rejected: BTreeMap<RejectReason, u64> = [
        (Malformed, 4),          // 42, no type, no id, relationship without target_ref
        (UnsupportedType, 3),    // marking-definition, observed-data, sighting
        (CreatorIdentity, 1),    // Example CERT: only a created_by_ref
        (Revoked, 1),            // Retired Loader
        (Deprecated, 1),         // Old Technique
        (DuplicateId, 2),        // second malware--…0002, second relationship--…0001
        (MissingValue, 2),       // file without hashes, vulnerability without a CVE id
        (UnsupportedPattern, 2), // OR of two comparisons, a yara pattern
        (RevokedBy, 1),
        (EndpointNotConverted, 3), // revoked source, target not in the bundle, observed-data target
        (UnknownName, 2),          // located-at, derived-from
        (DisallowedTriple, 1),     // URL resolves-to IP
        (MissingTactic, 1),        // Phishing's command-and-control phase: no such tactic
    ]
    .into();
    assert_eq!(r.rejected_by_reason, rejected);
    assert!(r.is_balanced());

    // The reject file: one line per rejected object, with its reason, path and the object.
    assert_eq!(c.rejects.len(), 24);
    let by_path = |p: &str| {
        c.rejects
            .iter()
            .find(|l| l["path"] == p)
            .unwrap_or_else(|| panic!("{p}"))
    };
    assert_eq!(by_path("objects[42]")["object"], 42);
    let missing = by_path("objects[7]");
    assert_eq!(missing["reason"], "missing-tactic");
    assert_eq!(
        missing["message"],
        "kill chain phase `command-and-control` of `attack-pattern--e0000000-0000-4000-8000-000000000001`: no tactic named `Command and Control` was converted from the bundle, so its part-of link is not written"
    );
    assert_eq!(missing["object"]["name"], "Phishing");
    assert_eq!(
        r.rejected_by_triple
            [&relationship_stix::Triple::new("Attack Pattern", "part-of", "x-mitre-tactic")],
        1
    );
    assert_eq!(by_path("objects[42]")["reason"], "malformed");
    assert_eq!(by_path("objects[0]")["reason"], "creator-identity");
    assert_eq!(by_path("objects[36]")["reason"], "duplicate-id");
    assert_eq!(by_path("objects[37]")["reason"], "missing-value");
    assert_eq!(by_path("objects[62]")["reason"], "unknown-name");
    let message = by_path("objects[62]")["message"].as_str().unwrap();
    assert!(
        message.starts_with("unknown relationship name `located-at`; did you mean"),
        "{message}"
    );
    let disallowed = by_path("objects[64]");
    assert_eq!(disallowed["reason"], "disallowed-triple");
    assert!(
        disallowed["message"]
            .as_str()
            .unwrap()
            .starts_with("`URL` cannot `resolves-to` `IP`"),
        "{disallowed}"
    );
    assert_eq!(
        disallowed["object"]["id"],
        "relationship--a1000000-0000-4000-8000-000000000020"
    );
    let endpoint = by_path("objects[65]");
    assert_eq!(
        endpoint["message"],
        "source `malware--c0000000-0000-4000-8000-000000000003` was not converted (revoked)"
    );
    assert_eq!(
        by_path("objects[66]")["message"],
        "target `attack-pattern--ffffffff-0000-4000-8000-000000000000` is not in the bundle"
    );
    assert_eq!(
        by_path("objects[67]")["message"],
        "target `observed-data--90000000-0000-4000-8000-000000000001` was not converted (unsupported-type)"
    );

    // The output passes validation against the same schema.
    let mut violations = Vec::new();
    validate_str(
        &c.output,
        "out.ndjson",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert!(violations.is_empty(), "{violations:?}");
}

#[test]
fn values_fields_and_renames() {
    let c = run(&ConvertOptions::default());
    let (inds, rels) = items(&c.output);
    for (value, ty) in [
        ("203.0.113.0/24", "CIDR"),
        ("*.nightjar.example", "DomainGlob"),
        ("CVE-2023-12345", "CVE"),
        ("RO", "Location"),
        ("64511", "ASN"),
        (
            "4bc9a1d2f0e3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
            "File",
        ),
        (
            "aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233",
            "File",
        ),
        ("192.0.2.99", "IP"),
        ("svc_backup", "Account"),
        ("Phishing: Spearphishing Link", "Attack Pattern"), // parent by MITRE ID
        ("Phishing: Voice Lure", "Attack Pattern"),         // parent by subtechnique-of
        ("Kobalt Spider [Malware]", "Malware"),
        ("Kobalt Spider", "Intrusion Set"),
        ("Žaba Loader", "Malware"), // the first of two objects with one id wins
        ("Banque Exemple S.A.", "Identity"),
    ] {
        assert_eq!(indicator(&inds, value)["type"], ty, "{value}");
    }
    // Indicator bytes: key order, the feed's fields, the source object as rawJSON.
    // (value, score, type as the feed builds it; rawJSON's description as the feed leaves it:
    // cleaned of citations, added as "" at the end when the object had none.)
    // The indicator as written (read as RawJson, which keeps the output's key order).
    let is = c
        .output
        .lines()
        .flat_map(|l| serde_json::from_str::<Vec<relationship_core::RawJson>>(l).unwrap())
        .map(|r| r.get().to_owned())
        .find(|t| t.starts_with(r#"{"value":"Kobalt Spider","#))
        .unwrap();
    assert!(is.starts_with(r#"{"value":"Kobalt Spider","score":3,"type":"Intrusion Set","rawJSON":{"type":"intrusion-set","spec_version":"2.1","#), "{is}");
    assert!(is.ends_with(r#""description":""},"fields":{"stixid":"intrusion-set--b0000000-0000-4000-8000-000000000001","firstseenbysource":"2024-01-03T00:00:00.000Z","modified":"2024-02-03T00:00:00.000Z","publications":[],"mitreid":"G9001","tags":["G9001"],"tlp":"GREEN","description":"","aliases":["Kobalt Spider","KS-12"],"trafficlightprotocol":"GREEN"}}"#), "{is}");
    let mw = indicator(&inds, "Kobalt Spider [Malware]");
    assert_eq!(
        mw["fields"]["description"],
        "Backdoor named after its group . Drops files."
    );
    // As written, in the feed's key order (read as Fields, which keep it).
    let written = |value: &str| -> relationship_core::Fields {
        let head = format!(r#"{{"value":{},"#, serde_json::to_string(value).unwrap());
        let text = c
            .output
            .lines()
            .flat_map(|l| serde_json::from_str::<Vec<relationship_core::RawJson>>(l).unwrap())
            .map(|r| r.get().to_owned())
            .find(|t| t.starts_with(&head))
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let mw_fields: relationship_core::Fields = written("Kobalt Spider [Malware]")
        .get("fields")
        .unwrap()
        .deserialize_into()
        .unwrap();
    assert_eq!(
        mw_fields.get("publications").unwrap().get(),
        r#"[{"link":"https://blog.example/ks","title":"Doe, J. (2024, March 5). Kobalt Spider reloaded.","source":"Example 2024","timestamp":"2024-03-05T00:00:00"}]"#
    );
    assert_eq!(
        mw["rawJSON"]["description"],
        "Backdoor named after its group . Drops files."
    );
    let ap = indicator(&inds, "Phishing");
    assert_eq!(
        ap["fields"]["killchainphases"],
        serde_json::json!([
            "Initial Access",
            "Defense Evasion",
            "Delivery",
            "Command & Control"
        ])
    );
    assert_eq!(ap["score"], 2);

    // Tactics, and the techniques' links to them, in the feed's shape.
    let tactic = relationship_core::RawJson::from(written("TA0005 - Defense Evasion"))
        .get()
        .to_owned();
    assert!(tactic.starts_with(r#"{"value":"TA0005 - Defense Evasion","score":0,"type":"Tactic","rawJSON":{"type":"x-mitre-tactic","#), "{tactic}");
    assert!(tactic.ends_with(r#""fields":{"stixid":"x-mitre-tactic--80000000-0000-4000-8000-000000000002","firstseenbysource":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","publications":[],"mitreid":"TA0005","tags":["TA0005"],"tlp":"","description":"The adversary is trying to avoid being detected."}}"#), "{tactic}");
    assert_eq!(
        indicator(&inds, "TA0001 - Initial Access")["type"],
        "Tactic"
    );
    let links = written("Phishing")
        .get("relationships")
        .unwrap()
        .get()
        .to_owned();
    assert_eq!(
        links,
        r#"[{"name":"part-of","reverseName":"contains","type":"IndicatorToIndicator","entityA":"Phishing","entityAFamily":"Indicator","entityAType":"Attack Pattern","entityB":"TA0001 - Initial Access","entityBFamily":"Indicator","entityBType":"Tactic","fields":{}},{"name":"part-of","reverseName":"contains","type":"IndicatorToIndicator","entityA":"Phishing","entityAFamily":"Indicator","entityAType":"Attack Pattern","entityB":"TA0005 - Defense Evasion","entityBFamily":"Indicator","entityBType":"Tactic","fields":{}}]"#
    );
    // A technique without phases has an empty list, the last key; a sub-technique none.
    let masq = relationship_core::RawJson::from(written("Masquerading"))
        .get()
        .to_owned();
    assert!(
        masq.ends_with(r#""operatingsystemrefs":null},"relationships":[]}"#),
        "{masq}"
    );
    assert!(
        indicator(&inds, "Phishing: Spearphishing Link")
            .get("relationships")
            .is_none()
    );
    assert_eq!(
        indicator(&inds, "Nightjar Crew")["fields"]["sophistication"],
        "advanced"
    );
    assert_eq!(indicator(&inds, "192.0.2.99")["score"], 0);

    // Relationship bytes: indicates → indicator-of with the indicator as entity A.
    let ioc = rels
        .iter()
        .find(|r| r["name"] == "indicator-of" && r["entityA"] == "192.0.2.99")
        .unwrap();
    assert_eq!(ioc["entityB"], "Kobalt Spider [Malware]");
    // its bytes, as written (the output's own text, in its key order)
    assert_contains(
        &c.output,
        r#"{"name":"indicator-of","reverseName":"indicated-by","type":"IndicatorToIndicator","entityA":"192.0.2.99","entityAFamily":"Indicator","entityAType":"IP","entityB":"Kobalt Spider [Malware]","entityBFamily":"Indicator","entityBType":"Malware","fields":{"description":null,"lastseenbysource":"2024-03-01T00:00:00.000Z","firstseenbysource":"2024-03-01T00:00:00.000Z"}}"#,
    );
    let renamed: Vec<(&str, &str)> = rels
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["reverseName"].as_str().unwrap(),
            )
        })
        .collect();
    for pair in [
        ("originated-from", "source-of"),
        ("contains", "part-of"),
        ("part-of", "contains"),
        ("subtechnique-of", "parent-technique-of"),
    ] {
        assert!(renamed.contains(&pair), "{pair:?}");
    }
}

#[test]
fn indicated_by_reproduces_xsoar_feeds() {
    let opts = ConvertOptions {
        indicates_as_indicated_by: true,
        ..ConvertOptions::default()
    };
    let c = run(&opts);
    let (_, rels) = items(&c.output);
    let ioc: Vec<String> = rels
        .iter()
        .filter(|r| r["name"] == "indicated-by")
        .map(|r| format!("{} {} {}", r["entityA"], r["reverseName"], r["entityB"]))
        .collect();
    assert_eq!(ioc.len(), 2);
    assert!(
        ioc.contains(&r#""192.0.2.99" "indicator-of" "Kobalt Spider [Malware]""#.to_owned()),
        "{ioc:?}"
    );
    assert!(!rels.iter().any(|r| r["name"] == "indicator-of"));
    assert_eq!(c.report.relationships_written["indicated-by"], 2);
    // XSOAR's own form reads the wrong way round for the schema, which validate reports.
    let mut violations = Vec::new();
    validate_str(
        &c.output,
        "out",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert_eq!(violations.len(), 2);
    assert!(
        violations
            .iter()
            .all(|v| v.kind == ViolationKind::DisallowedPair)
    );
}

#[test]
fn lenient_mode_is_xsoars_behaviour() {
    let opts = ConvertOptions {
        mode: Mode::Lenient,
        ..ConvertOptions::default()
    };
    let c = run(&opts);
    assert_eq!(c.report.rejected(RejectReason::UnknownName), 0);
    assert_eq!(c.report.rejected(RejectReason::DisallowedTriple), 0);
    assert_eq!(c.report.relationships_total(), 22); // 20 and the 2 tactic links
    let (_, rels) = items(&c.output);
    let located = rels.iter().find(|r| r["name"] == "located-at").unwrap();
    assert_eq!(located["reverseName"], "related-to");
    let url = rels.iter().find(|r| r["entityAType"] == "URL").unwrap();
    assert_eq!(
        (url["name"].as_str(), url["reverseName"].as_str()),
        (Some("resolves-to"), Some("resolved-from"))
    );
    // ... and validate catches exactly what strict mode rejected.
    let mut violations = Vec::new();
    validate_str(
        &c.output,
        "out",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    let kinds: Vec<ViolationKind> = violations.iter().map(|v| v.kind).collect();
    assert_eq!(
        kinds,
        [
            ViolationKind::UnknownName,
            ViolationKind::UnknownName,
            ViolationKind::DisallowedPair
        ]
    );
}

#[test]
fn python_json_and_small_batches() {
    let opts = ConvertOptions {
        style: JsonStyle::Python,
        batch: relationship_core::batch::BatchOptions {
            batch_size: 7,
            ..Default::default()
        },
        ..ConvertOptions::default()
    };
    let c = run(&opts);
    assert!(
        c.output.contains(
            r#"{"value": "\u017daba Loader", "score": 3, "type": "Malware", "rawJSON": {"#
        )
    );
    let sizes: Vec<usize> = c
        .output
        .lines()
        .map(|l| serde_json::from_str::<Vec<Value>>(l).unwrap().len())
        .collect();
    assert!(sizes.iter().all(|&n| (1..=7).contains(&n)), "{sizes:?}");
    let (inds, rels) = items(&c.output);
    assert_eq!((inds.len(), rels.len()), (33, 19));
}

#[test]
fn types_missing_from_the_schema_are_rejected() {
    // A copy of the XSOAR schema whose `Mutex` type is renamed: mutexes then have no type.
    let json =
        relationship_schema_parse::builtin::XSOAR_SCHEMA_JSON.replace("\"Mutex\"", "\"Mutant\"");
    let schema = relationship_schema_parse::parse_str(&json, "schemas/xsoar.json").unwrap();
    let c = run_with(&schema, &ConvertOptions::default());
    assert_eq!(c.report.rejected(RejectReason::UnknownIndicatorType), 1);
    let line = c
        .rejects
        .iter()
        .find(|l| l["reason"] == "unknown-indicator-type")
        .unwrap();
    assert_eq!(line["path"], "objects[28]");
    assert!(
        line["message"].as_str().unwrap().contains(
            "maps to XSOAR type `Mutex`, which schema `xsoar` does not have; did you mean `Mutant`?"
        ),
        "{line}"
    );
    assert!(!c.report.indicators_written.contains_key("Mutex"));
    // Lenient mode writes it anyway.
    let c = run_with(
        &schema,
        &ConvertOptions {
            mode: Mode::Lenient,
            ..ConvertOptions::default()
        },
    );
    assert_eq!(c.report.indicators_written["Mutex"], 1);
}

#[test]
fn the_summary_table_lists_every_count() {
    let c = run(&ConvertOptions::default());
    let table = c.report.to_string();
    for needle in [
        "objects read: 74",
        "indicators written: 33",
        "relationships written: 19",
        "technique-to-tactic links made (written or rejected): 3",
        "identical relationships written once: 1",
        "rejected: 24",
        "  missing-tactic                 1",
        "Attack Pattern --part-of--> x-mitre-tactic",
        "  endpoint-not-converted         3",
        "URL --resolves-to--> IP",
        "batches written: 1 (1 dummy indicators)",
    ] {
        assert!(table.contains(needle), "{needle:?} not in\n{table}");
    }
}

#[track_caller]
fn assert_contains(output: &str, text: &str) {
    assert!(output.contains(text), "not in the output: {text}");
}
