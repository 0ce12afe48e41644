//! STIX conversion fuzzing: random small bundles (attack patterns, sub-techniques, malware,
//! intrusion sets, tools, relationships between them with valid, dangling or missing refs,
//! missing and mistyped properties, revoked and deprecated flags, kill chains, elements that
//! are not objects) and structured mutations of `tests/fixtures/stix/bundle-2.1.json` go
//! through `relationship_stix::convert` with random options.
//!
//! Properties: nothing panics; a run either fails with a JSON or not-a-bundle error or
//! returns a report in which every object read is accounted for (written, a duplicate, or
//! rejected with one reject line each) and whose batch figures match the lines written;
//! every output line is a JSON array; in strict mode every batch passes
//! `relationship_core::validate` against the schema converted with.
//!
//! Cases per run: `PROPTEST_CASES` (default 384 per property).

use proptest::prelude::*;
use relationship_core::batch::{BatchOptions, Placement};
use relationship_core::check::Mode;
use relationship_core::indicator::DUMMY_INDICATOR_VALUE;
use relationship_core::json::JsonStyle;
use relationship_core::validate::{ViolationKind, validate_str};
use relationship_stix::{ConversionReport, ConvertError, ConvertOptions, convert};
use serde_json::{Map, Value, json};

use crate::support::{config, text};

const FIXTURE: &str = crate::support::STIX_BUNDLE;

/// The STIX types generated, and how many ids each may use (few, so that refs hit and
/// ids repeat).
const TYPES: &[&str] = &[
    "attack-pattern",
    "malware",
    "intrusion-set",
    "tool",
    "campaign",
];

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (prop::sample::select(TYPES), 0u8..2).prop_map(|(t, n)| format!("{t}--{n}")),
        1 => prop::sample::select(vec!["identity--0", "x-mitre-tactic--0", "relationship--0", "nope", ""])
            .prop_map(str::to_owned),
    ]
}

/// A property value of the wrong JSON type for most properties.
fn odd_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        Value::Null,
        json!(5),
        json!(true),
        json!("true"),
        json!([]),
        json!({}),
        json!(["x", 1]),
        json!({"name": "x"}),
    ])
}

fn date() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "2020-01-01T00:00:00.000Z",
            "2021-06-30T12:34:56Z",
            "2019-12-31T23:59:59.999999Z",
        ])
        .prop_map(Value::from),
        1 => prop::sample::select(vec!["", "yesterday", "2020-13-45T99:99:99Z"]).prop_map(Value::from),
        1 => odd_value(),
    ]
}

fn kill_chain() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::collection::vec(
            (
                prop::sample::select(vec!["mitre-attack", "lockheed-martin-cyber-kill-chain", ""]),
                prop::sample::select(vec!["execution", "initial-access", "defense-evasion", ""]),
            )
                .prop_map(|(k, p)| json!({"kill_chain_name": k, "phase_name": p})),
            0..3,
        )
        .prop_map(Value::Array),
        1 => odd_value(),
        1 => Just(json!([{"phase_name": 5}, "execution", null])),
    ]
}

fn external_refs() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::select(vec!["T1059", "T1059.001", "T1566", "S0001", "G0007", "", "T1059."])
            .prop_map(|ext| json!([{"source_name": "mitre-attack", "external_id": ext, "url": "https://attack.mitre.org/"}])),
        1 => Just(json!([{"source_name": "cve", "external_id": "CVE-2021-44228"}, {"description": "no source"}])),
        1 => odd_value(),
    ]
}

/// A flag: mostly absent, else true, false or something that is no boolean.
fn flag() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(json!(true))),
        1 => Just(Some(json!(false))),
        1 => odd_value().prop_map(Some),
    ]
}

/// An optional property: the generated value, absent, or of the wrong type.
fn prop_or(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        6 => value.prop_map(Some),
        1 => Just(None),
        1 => odd_value().prop_map(Some),
    ]
}

/// A required property: mostly the generated value, rarely absent or of the wrong type.
fn required(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        24 => value.prop_map(Some),
        1 => Just(None),
        1 => odd_value().prop_map(Some),
    ]
}

/// Text for names and descriptions. Without `dummy`, never XSOAR's dummy indicator value
/// (see `objects_named_like_the_dummy_indicator_are_accounted_for`).
fn stix_text(dummy: bool) -> impl Strategy<Value = String> {
    text().prop_map(move |s| {
        if !dummy && s == DUMMY_INDICATOR_VALUE {
            "dummy".to_owned()
        } else {
            s
        }
    })
}

fn sdo(dummy: bool) -> impl Strategy<Value = Value> {
    let name = prop_oneof![
        3 => prop::sample::select(vec!["Phishing", "PowerShell", "Emotet", "APT29", "Mimikatz", "Command and Scripting Interpreter"])
            .prop_map(str::to_owned),
        2 => stix_text(dummy),
    ];
    let name = (name, 0u8..6).prop_map(move |(n, roll)| {
        if dummy && roll == 0 {
            DUMMY_INDICATOR_VALUE.to_owned()
        } else {
            n
        }
    });
    (
        (prop::sample::select(TYPES), 0u8..2),
        required(name.prop_map(Value::String)),
        (prop_or(date()), prop_or(date())),
        (flag(), flag(), flag()),
        (prop_or(kill_chain()), prop_or(external_refs())),
        prop_or(stix_text(dummy).prop_map(Value::String)),
        prop_or(
            prop::collection::vec(stix_text(dummy).prop_map(Value::String), 0..3)
                .prop_map(Value::Array),
        ),
    )
        .prop_map(
            |(
                (ty, n),
                name,
                (created, modified),
                (revoked, deprecated, sub),
                (kc, refs),
                description,
                labels,
            )| {
                let mut o = Map::new();
                o.insert("type".into(), ty.into());
                o.insert("id".into(), format!("{ty}--{n}").into());
                for (key, v) in [
                    ("name", name),
                    ("created", created),
                    ("modified", modified),
                    ("revoked", revoked),
                    ("x_mitre_deprecated", deprecated),
                    ("x_mitre_is_subtechnique", sub),
                    ("kill_chain_phases", kc),
                    ("external_references", refs),
                    ("description", description),
                    ("labels", labels),
                ] {
                    if let Some(v) = v {
                        o.insert(key.into(), v);
                    }
                }
                Value::Object(o)
            },
        )
}

fn relationship() -> impl Strategy<Value = Value> {
    let name = prop::sample::select(vec![
        "uses",
        "uses",
        "uses",
        "uses",
        "mitigates",
        "subtechnique-of",
        "revoked-by",
        "attributed-to",
        "targets",
        "indicates",
        "based-on",
        "related-to",
        "",
    ]);
    (
        0u16..1000,
        required(name.prop_map(Value::from)),
        required(id().prop_map(Value::from)),
        required(id().prop_map(Value::from)),
        (flag(), flag()),
        required(stix_text(false).prop_map(Value::String)),
        required(date()),
    )
        .prop_map(
            |(n, name, source, target, (revoked, deprecated), description, created)| {
                let mut o = Map::new();
                o.insert("type".into(), "relationship".into());
                o.insert("id".into(), format!("relationship--{n}").into());
                for (key, v) in [
                    ("relationship_type", name),
                    ("source_ref", source),
                    ("target_ref", target),
                    ("revoked", revoked),
                    ("x_mitre_deprecated", deprecated),
                    ("description", description),
                    ("created", created),
                ] {
                    if let Some(v) = v {
                        o.insert(key.into(), v);
                    }
                }
                Value::Object(o)
            },
        )
}

/// Objects that are no SDO or relationship: skipped types, the author, malformed elements.
fn other() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"type": "x-mitre-tactic", "id": "x-mitre-tactic--0", "name": "Execution", "x_mitre_shortname": "execution"}),
        json!({"type": "x-mitre-tactic", "id": "x-mitre-tactic--1", "name": "Defense Evasion",
               "external_references": [{"external_id": "TA0005", "source_name": "mitre-attack"}]}),
        json!({"type": "identity", "id": "identity--0", "name": "The MITRE Corporation", "identity_class": "organization"}),
        json!({"type": "marking-definition", "id": "marking-definition--0", "definition_type": "tlp", "definition": {"tlp": "white"}}),
        json!(5),
        Value::Null,
        json!("malware--0"),
        json!([]),
        json!({}),
        json!({"type": 5, "id": "malware--9"}),
        json!({"type": "malware"}),
        json!({"type": "malware", "id": ["malware--0"]}),
    ])
}

fn bundle() -> impl Strategy<Value = Value> {
    bundle_with(false)
}

/// A random bundle; with `dummy`, some objects are named `$$DummyIndicator$$`. Most
/// relationship refs name an SDO of the bundle; the objects come in random order.
fn bundle_with(dummy: bool) -> impl Strategy<Value = Value> {
    let rels = prop::collection::vec(
        (
            relationship(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            0u8..8,
        ),
        0..8,
    );
    (
        prop::collection::vec(sdo(dummy), 1..8),
        rels,
        prop::collection::vec(other(), 0..3),
        // A spec_version that is no STIX version makes the whole bundle malformed: rare
        // enough that most bundles convert.
        prop_oneof![
            5 => Just(None),
            5 => Just(Some(json!("2.0"))),
            5 => Just(Some(json!("2.1"))),
            1 => prop::sample::select(vec![Some(json!(2)), Some(json!("banana"))]),
        ],
    )
        .prop_flat_map(|(sdos, rels, others, spec)| {
            let ids: Vec<Value> = sdos.iter().map(|o| o["id"].clone()).collect();
            let mut objects = sdos;
            for (mut rel, s, t, keep) in rels {
                // Keep the generated refs one time in eight (dangling, odd or missing).
                if keep != 0 {
                    rel["source_ref"] = ids[s.index(ids.len())].clone();
                    rel["target_ref"] = ids[t.index(ids.len())].clone();
                }
                objects.push(rel);
            }
            objects.extend(others);
            (Just(objects).prop_shuffle(), Just(spec))
        })
        .prop_map(|(objects, spec)| {
            let mut b = json!({"type": "bundle", "id": "bundle--0", "objects": objects});
            if let Some(spec) = spec {
                b["spec_version"] = spec;
            }
            b
        })
}

fn options() -> impl Strategy<Value = ConvertOptions> {
    (
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop_oneof![4 => Just(Mode::Strict), 1 => Just(Mode::Lenient)],
        (1usize..6, any::<bool>(), any::<bool>()),
        any::<bool>(),
    )
        .prop_map(
            |((isa, indicated_by, creators, no_tactics), mode, (size, attach, dedup), python)| {
                ConvertOptions {
                    intrusion_set_as_threat_actor: isa,
                    no_tactics,
                    indicates_as_indicated_by: indicated_by,
                    creator_identities: creators,
                    mode,
                    batch: BatchOptions {
                        batch_size: size,
                        placement: if attach {
                            Placement::Attach
                        } else {
                            Placement::Dummy
                        },
                        dedup,
                    },
                    style: if python {
                        JsonStyle::Python
                    } else {
                        JsonStyle::Compact
                    },
                }
            },
        )
}

/// What a conversion gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Outcome {
    Error,
    /// Converted, with this many indicators and relationships written.
    Converted {
        indicators: bool,
        relationships: bool,
    },
}

/// Converts and checks every property of the outcome.
fn check(input: &[u8], options: &ConvertOptions) -> Result<Outcome, TestCaseError> {
    let schema = relationship_core::xsoar::schema();
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    let report: ConversionReport = match convert(
        input,
        &mut out,
        schema,
        options,
        Some(&mut rejects),
        &mut |_| {},
    ) {
        Ok(r) => r,
        Err(ConvertError::Json {
            line,
            message,
            path,
            ..
        }) => {
            prop_assert!(line >= 1 && !message.is_empty());
            prop_assert!(path == "$" || path.starts_with("objects["), "{}", path);
            return Ok(Outcome::Error);
        }
        Err(ConvertError::NotABundle(m)) => {
            prop_assert!(!m.is_empty());
            return Ok(Outcome::Error);
        }
        Err(e) => return Err(TestCaseError::fail(format!("unexpected error: {e}"))),
    };
    prop_assert!(report.is_balanced(), "unbalanced report:\n{}", report);
    let out = String::from_utf8(out).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let rejects = String::from_utf8(rejects).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(rejects.lines().count() as u64, report.rejected_total());
    for line in rejects.lines() {
        let r: Value =
            serde_json::from_str(line).map_err(|e| TestCaseError::fail(format!("{e}: {line}")))?;
        prop_assert!(
            r["reason"].is_string() && r["message"].is_string(),
            "{}",
            line
        );
    }
    let mut written = (0u64, 0u64);
    for line in out.lines() {
        let batch: Value =
            serde_json::from_str(line).map_err(|e| TestCaseError::fail(format!("{e}: {line}")))?;
        let items = batch
            .as_array()
            .ok_or_else(|| TestCaseError::fail(format!("not an array: {line}")))?;
        prop_assert!(
            !items.is_empty() && items.len() <= options.batch.batch_size.max(1),
            "{}",
            line
        );
        for item in items {
            if item["value"] != "$$DummyIndicator$$" {
                written.0 += 1;
            }
            written.1 += item["relationships"]
                .as_array()
                .map_or(0, |r| r.len() as u64);
        }
    }
    prop_assert_eq!(out.lines().count() as u64, report.batches.chunks);
    prop_assert_eq!(
        written,
        (report.batches.indicators, report.batches.relationships)
    );
    prop_assert_eq!(
        report.indicators_total(),
        report.batches.indicators,
        "{}",
        report
    );
    prop_assert_eq!(
        report.relationships_total(),
        report.batches.relationships,
        "{}",
        report
    );
    if options.mode == Mode::Strict {
        let mut violations = Vec::new();
        validate_str(&out, "out", schema, &mut violations);
        if options.indicates_as_indicated_by {
            // XSOAR feeds' `indicated-by` form is checked on its `indicator-of` reading and
            // reads the wrong way round for the schema, which validate reports (by design).
            violations.retain(|v| {
                v.kind != ViolationKind::DisallowedPair
                    || !v.message.contains(" cannot `indicated-by` ")
            });
        }
        prop_assert!(violations.is_empty(), "{:#?}\n{}", violations, out);
    }
    Ok(Outcome::Converted {
        indicators: report.indicators_total() > 0,
        relationships: report.relationships_total() > 0,
    })
}

/// What is done to one object of the fixture.
#[derive(Debug, Clone)]
enum Mutation {
    DropKey(prop::sample::Index),
    SetKey(prop::sample::Index, Value),
    Flag(&'static str),
    SwapRefs,
    Duplicate,
    Remove,
    Retype(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => any::<prop::sample::Index>().prop_map(Mutation::DropKey),
        2 => (any::<prop::sample::Index>(), prop_oneof![odd_value(), stix_text(false).prop_map(Value::String)])
            .prop_map(|(i, v)| Mutation::SetKey(i, v)),
        1 => prop::sample::select(vec!["revoked", "x_mitre_deprecated", "x_mitre_is_subtechnique"]).prop_map(Mutation::Flag),
        1 => Just(Mutation::SwapRefs),
        1 => Just(Mutation::Duplicate),
        1 => Just(Mutation::Remove),
        1 => prop::sample::select(vec!["malware", "tool", "relationship", "indicator", "x-mitre-tactic", "bundle"])
            .prop_map(Mutation::Retype),
    ]
}

fn mutate_fixture(picks: &[(prop::sample::Index, Mutation)]) -> Value {
    let mut bundle: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    let objects = bundle["objects"].as_array_mut().expect("objects");
    for (pick, m) in picks {
        if objects.is_empty() {
            break;
        }
        let i = pick.index(objects.len());
        match m {
            Mutation::Duplicate => {
                let copy = objects[i].clone();
                objects.push(copy);
                continue;
            }
            Mutation::Remove => {
                objects.remove(i);
                continue;
            }
            _ => {}
        }
        let Some(o) = objects[i].as_object_mut() else {
            continue;
        };
        let key_at = |o: &Map<String, Value>, k: &prop::sample::Index| {
            o.keys().nth(k.index(o.len())).cloned().unwrap_or_default()
        };
        match m {
            Mutation::DropKey(k) => {
                let key = key_at(o, k);
                o.remove(&key);
            }
            Mutation::SetKey(k, v) => {
                let key = key_at(o, k);
                o.insert(key, v.clone());
            }
            Mutation::Flag(f) => {
                o.insert((*f).into(), json!(true));
            }
            Mutation::SwapRefs => {
                let s = o.remove("source_ref");
                let t = o.remove("target_ref");
                if let Some(t) = t {
                    o.insert("source_ref".into(), t);
                }
                if let Some(s) = s {
                    o.insert("target_ref".into(), s);
                }
            }
            Mutation::Retype(t) => {
                o.insert("type".into(), Value::from(*t));
            }
            Mutation::Duplicate | Mutation::Remove => {}
        }
    }
    bundle
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn random_bundles_convert_to_valid_batches(bundle in bundle(), options in options()) {
        check(&serde_json::to_vec(&bundle).expect("serializes"), &options)?;
    }

    #[test]
    fn mutated_fixture_converts_to_valid_batches(
        picks in prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..6),
        options in options(),
        cut in prop::option::weighted(0.15, any::<prop::sample::Index>()),
    ) {
        let mut bytes = serde_json::to_vec_pretty(&mutate_fixture(&picks)).expect("serializes");
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        check(&bytes, &options)?;
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// `random_bundles_convert_to_valid_batches` with objects named `$$DummyIndicator$$`:
    /// XSOAR's reserved dummy value is refused as an indicator value (a `missing-value`
    /// rejection), so the report and the output agree.
    #[test]
    fn objects_named_like_the_dummy_indicator_are_accounted_for(bundle in bundle_with(true), options in options()) {
        check(&serde_json::to_vec(&bundle).expect("serializes"), &options)?;
    }
}

#[test]
fn a_fair_share_of_random_bundles_writes_relationships() {
    // Most random bundles must convert, and a fair share must write relationships, or the
    // properties above test only rejections.
    let mut runner = proptest::test_runner::TestRunner::new(config(192));
    let tally = std::cell::RefCell::new(std::collections::HashMap::new());
    runner
        .run(&(bundle(), options()), |(bundle, options)| {
            let outcome = check(&serde_json::to_vec(&bundle).expect("serializes"), &options)?;
            *tally.borrow_mut().entry(outcome).or_insert(0u32) += 1;
            Ok(())
        })
        .unwrap();
    let tally = tally.into_inner();
    eprintln!("{tally:?}");
    let total: u32 = tally.values().sum();
    let with_rels: u32 = tally
        .iter()
        .filter(|(o, _)| {
            matches!(
                o,
                Outcome::Converted {
                    relationships: true,
                    ..
                }
            )
        })
        .map(|(_, n)| n)
        .sum();
    let errors = tally.get(&Outcome::Error).copied().unwrap_or(0);
    assert!(with_rels * 4 >= total, "{tally:?}");
    assert!(errors * 10 <= total, "{tally:?}");
}
