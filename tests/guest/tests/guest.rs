//! relationship-core in a user's build changes nothing else in the program, and writes the
//! golden bytes with serde_json's default features.

use std::path::PathBuf;

use relationship_core::batch::{BatchOptions, BatchWriter};
use relationship_core::check::{Checker, Mode, RelationshipInput};
use relationship_core::json::JsonStyle;
use relationship_core::{EntityRelationship, Fields, IndicatorObject, RawJson};
use relationship_guest::{Detail, Event, Machine, Sighting, User, uses};

#[test]
fn a_tagged_enum_with_a_float_deserializes() {
    let e: Result<Event, _> = serde_json::from_str(r#"{"type":"Alert","score":0.5}"#);
    assert_eq!(e.ok(), Some(Event::Alert { score: 0.5 }));
}

#[test]
fn a_flattened_struct_with_a_float_deserializes() {
    let s: Sighting = serde_json::from_str(r#"{"host":"pc1","confidence":0.25}"#).unwrap();
    assert_eq!(
        s,
        Sighting {
            host: "pc1".into(),
            detail: Detail { confidence: 0.25 }
        }
    );
}

#[test]
fn serde_json_values_keep_serde_jsons_default_order() {
    let v: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
    assert_eq!(v.to_string(), r#"{"a":2,"b":1}"#);
    // and numbers are plain doubles again: no number text kept
    let n: serde_json::Value = serde_json::from_str("1.50").unwrap();
    assert_eq!(n.to_string(), "1.5");
}

#[test]
fn the_typed_call_renders_as_xsoar_writes_it() {
    let rel = uses(
        &User {
            name: "u4872".into(),
        },
        &Machine {
            fqdn: "pc135456.domain.local".into(),
        },
    );
    assert_eq!(
        relationship_core::json::to_string(&rel.to_indicator(), JsonStyle::Python).unwrap(),
        r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#
    );
}

#[test]
fn fields_keep_order_and_number_text_without_serde_json_features() {
    let fields: Fields = serde_json::from_str(
        r#"{"z": 123456789012345678901234567890, "a": {"y": 1.50, "b": 1E2}}"#,
    )
    .unwrap();
    let rel =
        EntityRelationship::new("uses", "used-by", "a", "Account", "b", "Host").with_fields(fields);
    let compact =
        relationship_core::json::to_string(&rel.to_indicator(), JsonStyle::Compact).unwrap();
    assert!(
        compact
            .ends_with(r#""fields":{"z":123456789012345678901234567890,"a":{"y":1.50,"b":1e+2}}}"#),
        "{compact}"
    );
    let python =
        relationship_core::json::to_string(&rel.to_indicator(), JsonStyle::Python).unwrap();
    assert!(
        python.ends_with(
            r#""fields": {"z": 123456789012345678901234567890, "a": {"y": 1.5, "b": 100.0}}}"#
        ),
        "{python}"
    );
}

fn golden(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/golden-render")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(serde::Deserialize)]
struct Line {
    relationship: Option<RelationshipInput>,
    indicator: Option<GoldenIndicator>,
}

#[derive(serde::Deserialize)]
struct GoldenIndicator {
    value: String,
    #[serde(rename = "type")]
    indicator_type: String,
    score: Option<u8>,
    #[serde(rename = "rawJSON")]
    raw_json: RawJson,
    fields: Fields,
}

fn seed_batch(style: JsonStyle) -> String {
    let checker = Checker::new(relationship_core::xsoar::schema(), Mode::Lenient);
    let mut out = Vec::new();
    let options = BatchOptions {
        batch_size: 50,
        ..BatchOptions::default()
    };
    let mut w = BatchWriter::new(&mut out, options, style);
    for line in golden("seed-batch.input.jsonl").lines() {
        let line: Line = serde_json::from_str(line).unwrap();
        if let Some(input) = line.relationship {
            w.push_relationship(checker.check(input).unwrap()).unwrap();
        } else if let Some(ind) = line.indicator {
            let mut obj = IndicatorObject::new(ind.value, ind.indicator_type)
                .with_raw_json(ind.raw_json)
                .with_fields(ind.fields);
            obj.score = ind.score;
            w.push_indicator(obj).unwrap();
        }
    }
    w.finish().unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn batches_are_the_golden_bytes() {
    assert_eq!(
        seed_batch(JsonStyle::Python),
        golden("seed-batch.python.jsonl")
    );
    assert_eq!(
        seed_batch(JsonStyle::Compact),
        golden("seed-batch.compact.jsonl")
    );
}

#[test]
fn no_feature_of_serde_json_is_enabled_by_the_runtime() {
    // `cargo tree -e features` in CI lists them; here, the behaviour: number text is not kept
    // by serde_json::Number (arbitrary_precision) and maps are sorted (no preserve_order).
    let v: serde_json::Value =
        serde_json::from_str(r#"{"n": 123456789012345678901234567890}"#).unwrap();
    assert!(v["n"].is_f64());
}
