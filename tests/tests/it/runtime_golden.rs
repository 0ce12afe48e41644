//! Golden tests of the runtime's bytes: the three renderings (reference §2.3, verbatim, in
//! both JSON styles), optional keys, field order, empty entity B, indicator and dummy shapes,
//! and a seed-like feed batched exactly as a Python feed does it.

use std::path::PathBuf;

use relationship_core::batch::{BatchOptions, BatchWriter, Placement};
use relationship_core::check::{Checker, Mode, RelationshipInput};
use relationship_core::json::{self, JsonStyle};
use relationship_core::xsoar::schema as xsoar;
use relationship_core::{EntityRelationship, Fields, IndicatorObject, RawJson, Reliability};
use serde_json::{Value, json};

fn seed() -> EntityRelationship {
    EntityRelationship::new(
        "uses",
        "used-by",
        "u4872",
        "Account",
        "pc135456.domain.local",
        "Host",
    )
}

/// Python-style JSON of a value, as a string.
macro_rules! py {
    ($v:expr) => {
        json::to_string($v, JsonStyle::Python).unwrap()
    };
}

/// Compact JSON of a value, as a string.
macro_rules! compact {
    ($v:expr) => {
        json::to_string($v, JsonStyle::Compact).unwrap()
    };
}

// The reference's §2.3 examples, verbatim.
const REF_INDICATOR: &str = r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#;
const REF_ENTRY_FULL: &str = r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}, "reliability": "B - Usually reliable", "brand": "MyBrand"}"#;
const REF_CONTEXT: &str = r#"{"Relationship": "uses", "EntityA": "u4872", "EntityAType": "Account", "EntityB": "pc135456.domain.local", "EntityBType": "Host"}"#;

#[test]
fn reference_examples_python_style() {
    let rel = seed();
    assert_eq!(py!(&rel.to_indicator()), REF_INDICATOR);
    assert_eq!(
        py!(&rel.to_entry()),
        REF_INDICATOR,
        "to_entry with defaults"
    );
    assert_eq!(py!(&rel.to_context()), REF_CONTEXT);
    let full = rel.with_reliability(Reliability::B).with_brand("MyBrand");
    assert_eq!(py!(&full.to_entry()), REF_ENTRY_FULL);
    assert_eq!(
        py!(&full.to_indicator()),
        REF_INDICATOR,
        "never reliability or brand"
    );
    assert_eq!(
        py!(&full.to_context()),
        REF_CONTEXT,
        "never reliability or brand"
    );
}

#[test]
fn reference_examples_compact_style() {
    let rel = seed();
    assert_eq!(
        compact!(&rel.to_indicator()),
        r#"{"name":"uses","reverseName":"used-by","type":"IndicatorToIndicator","entityA":"u4872","entityAFamily":"Indicator","entityAType":"Account","entityB":"pc135456.domain.local","entityBFamily":"Indicator","entityBType":"Host","fields":{}}"#
    );
    assert_eq!(compact!(&rel.to_entry()), compact!(&rel.to_indicator()));
    assert_eq!(
        compact!(&rel.to_context()),
        r#"{"Relationship":"uses","EntityA":"u4872","EntityAType":"Account","EntityB":"pc135456.domain.local","EntityBType":"Host"}"#
    );
    let full = seed()
        .with_reliability(Reliability::B)
        .with_brand("MyBrand");
    assert_eq!(
        compact!(&full.to_entry()),
        r#"{"name":"uses","reverseName":"used-by","type":"IndicatorToIndicator","entityA":"u4872","entityAFamily":"Indicator","entityAType":"Account","entityB":"pc135456.domain.local","entityBFamily":"Indicator","entityBType":"Host","fields":{},"reliability":"B - Usually reliable","brand":"MyBrand"}"#
    );
}

#[test]
fn entry_optional_keys_one_at_a_time() {
    let stem = &REF_INDICATOR[..REF_INDICATOR.len() - 1];
    assert_eq!(
        py!(&seed().with_reliability(Reliability::APlus).to_entry()),
        format!(r#"{stem}, "reliability": "A+ - 3rd party enrichment"}}"#)
    );
    assert_eq!(
        py!(&seed().with_brand("Br\u{e4}nd").to_entry()),
        format!(r#"{stem}, "brand": "Br\u00e4nd"}}"#)
    );
    assert_eq!(
        py!(&seed().with_brand("").to_entry()),
        REF_INDICATOR,
        "empty brand omitted"
    );
}

#[test]
fn fields_keep_their_order_in_both_styles() {
    let mut fields = Fields::new();
    fields.insert("description", json!("d\u{e9}sc"));
    fields.insert("lastseenbysource", json!("2021-01-01"));
    fields.insert("firstseenbysource", json!("2020-01-01"));
    fields.insert(
        "a",
        RawJson::parse(r#"{"z": 1, "b": [0.5, null]}"#).unwrap(),
    );
    let rel = seed().with_fields(fields);
    assert!(py!(&rel.to_indicator()).ends_with(
        r#""fields": {"description": "d\u00e9sc", "lastseenbysource": "2021-01-01", "firstseenbysource": "2020-01-01", "a": {"z": 1, "b": [0.5, null]}}}"#
    ));
    assert!(compact!(&rel.to_entry()).ends_with(
        r#""fields":{"description":"désc","lastseenbysource":"2021-01-01","firstseenbysource":"2020-01-01","a":{"z":1,"b":[0.5,null]}}}"#
    ));
}

#[test]
fn empty_entity_b_renders_as_empty_object_in_both_styles() {
    let rel = EntityRelationship::new("uses", "used-by", "u4872", "Account", "", "Host")
        .with_reliability(Reliability::A)
        .with_brand("MyBrand");
    for style in [JsonStyle::Python, JsonStyle::Compact] {
        assert_eq!(json::to_string(&rel.to_indicator(), style).unwrap(), "{}");
        assert_eq!(json::to_string(&rel.to_entry(), style).unwrap(), "{}");
        assert_eq!(json::to_string(&rel.to_context(), style).unwrap(), "{}");
    }
    // inside a dummy it is still `{}`, as XSOAR feeds would send it
    assert_eq!(
        py!(&IndicatorObject::dummy(vec![rel])),
        r#"{"value": "$$DummyIndicator$$", "relationships": [{}]}"#
    );
}

#[test]
fn indicator_and_dummy_shapes() {
    assert_eq!(
        py!(&IndicatorObject::dummy(vec![seed()])),
        format!(r#"{{"value": "$$DummyIndicator$$", "relationships": [{REF_INDICATOR}]}}"#)
    );
    assert_eq!(
        compact!(&IndicatorObject::dummy(vec![])),
        r#"{"value":"$$DummyIndicator$$","relationships":[]}"#
    );
    let mut fields = Fields::new();
    fields.insert("tags", json!(["T1059"]));
    let ind = IndicatorObject::new("u4872", "Account")
        .with_score(2)
        .with_raw_json(RawJson::parse(r#"{"value": "u4872", "type": "Account"}"#).unwrap())
        .with_fields(fields)
        .with_relationship(seed());
    assert_eq!(
        py!(&ind),
        format!(
            r#"{{"value": "u4872", "type": "Account", "score": 2, "rawJSON": {{"value": "u4872", "type": "Account"}}, "fields": {{"tags": ["T1059"]}}, "relationships": [{REF_INDICATOR}]}}"#
        )
    );
    assert_eq!(
        py!(&IndicatorObject::new("8.8.8.8", "IP")),
        r#"{"value": "8.8.8.8", "type": "IP", "rawJSON": {}, "fields": {}}"#
    );
}

// ------------------------------------------------------------------ seed-like batch

fn golden(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/golden-render")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

enum Item {
    Indicator(IndicatorObject),
    Relationship(EntityRelationship),
}

/// The feed of `seed-batch.input.jsonl`: indicators, then relationships.
fn seed_feed() -> Vec<Item> {
    let checker = Checker::new(xsoar(), Mode::Lenient);
    golden("seed-batch.input.jsonl")
        .lines()
        .map(|line| {
            // Read with the runtime's ordered types: the golden keeps each object's key order.
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
                raw_json: relationship_core::RawJson,
                fields: relationship_core::Fields,
            }
            let v: Line = serde_json::from_str(line).unwrap();
            if let Some(input) = v.relationship {
                return Item::Relationship(checker.check(input).unwrap());
            }
            let ind = v.indicator.unwrap();
            let mut obj = IndicatorObject::new(ind.value, ind.indicator_type)
                .with_raw_json(ind.raw_json)
                .with_fields(ind.fields);
            obj.score = ind.score;
            Item::Indicator(obj)
        })
        .collect()
}

fn batch(feed: Vec<Item>, options: BatchOptions, style: JsonStyle) -> String {
    let mut out = Vec::new();
    let mut w = BatchWriter::new(&mut out, options, style);
    for item in feed {
        match item {
            Item::Indicator(i) => w.push_indicator(i).unwrap(),
            Item::Relationship(r) => w.push_relationship(r).unwrap(),
        }
    }
    w.finish().unwrap();
    String::from_utf8(out).unwrap()
}

fn size(n: usize) -> BatchOptions {
    BatchOptions {
        batch_size: n,
        ..BatchOptions::default()
    }
}

#[test]
fn seed_batch_is_byte_identical_to_python_batching() {
    // Python: batch(indicators + [dummy], 50), one json.dumps per batch.
    assert_eq!(
        batch(seed_feed(), size(50), JsonStyle::Python),
        golden("seed-batch.python.jsonl")
    );
    assert_eq!(
        batch(seed_feed(), size(50), JsonStyle::Compact),
        golden("seed-batch.compact.jsonl")
    );
}

#[test]
fn seed_batch_with_interleaved_pushes_is_unchanged() {
    // The dummy is only placed when full or at the end, so pushing relationships between
    // indicators gives the same bytes while fewer than N relationships are pending.
    let mut feed = seed_feed();
    let rels: Vec<Item> = feed.split_off(120);
    let mut mixed = Vec::new();
    let mut rels = rels.into_iter();
    for (i, ind) in feed.into_iter().enumerate() {
        mixed.push(ind);
        if i % 3 == 0 {
            mixed.extend(rels.next());
        }
    }
    mixed.extend(rels);
    assert_eq!(
        batch(mixed, size(50), JsonStyle::Python),
        golden("seed-batch.python.jsonl")
    );
}

#[test]
fn seed_batch_with_small_dummies_spreads_the_same_relationships() {
    // batch size 15 < 40 relationships: Python's single dummy is split over three dummies,
    // one per chunk, in the same order; indicators are unchanged.
    let python: Vec<Value> = golden("seed-batch.python.jsonl")
        .lines()
        .flat_map(|l| serde_json::from_str::<Vec<Value>>(l).unwrap())
        .collect();
    let (py_dummies, py_inds): (Vec<&Value>, Vec<&Value>) = python
        .iter()
        .partition(|v| v["value"] == "$$DummyIndicator$$");
    let py_rels: Vec<&Value> = py_dummies[0]["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .collect();

    let ours = batch(seed_feed(), size(15), JsonStyle::Python);
    let chunks: Vec<Vec<Value>> = ours
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(chunks.iter().all(|c| c.len() <= 15));
    let items: Vec<&Value> = chunks.iter().flatten().collect();
    let (dummies, inds): (Vec<&Value>, Vec<&Value>) = items
        .iter()
        .partition(|v| v["value"] == "$$DummyIndicator$$");
    assert_eq!(inds, py_inds);
    assert_eq!(dummies.len(), 3);
    let rels: Vec<&Value> = dummies
        .iter()
        .flat_map(|d| d["relationships"].as_array().unwrap())
        .collect();
    assert_eq!(rels, py_rels);
    for chunk in &chunks {
        assert!(
            chunk
                .iter()
                .filter(|v| v["value"] == "$$DummyIndicator$$")
                .count()
                <= 1
        );
    }
}

#[test]
fn seed_batch_attach_puts_every_relationship_on_its_source() {
    // Each relationship i links indicators 2i and 2i+1; pushed right after indicator 2i+1,
    // its source (2i) is in the open chunk unless a chunk boundary fell between them.
    let feed = seed_feed();
    let (inds, rels): (Vec<Item>, Vec<Item>) = feed
        .into_iter()
        .partition(|i| matches!(i, Item::Indicator(_)));
    let mut rels = rels.into_iter();
    let mut mixed = Vec::new();
    for (i, ind) in inds.into_iter().enumerate() {
        mixed.push(ind);
        if i % 2 == 1 && i < 80 {
            mixed.extend(rels.next());
        }
    }
    let options = BatchOptions {
        batch_size: 50,
        placement: Placement::Attach,
        dedup: true,
    };
    let out = batch(mixed, options, JsonStyle::Compact);
    let items: Vec<Value> = out
        .lines()
        .flat_map(|l| serde_json::from_str::<Vec<Value>>(l).unwrap())
        .collect();
    assert!(
        items.iter().all(|v| v["value"] != "$$DummyIndicator$$"),
        "no boundary splits a pair at size 50"
    );
    let attached: usize = items
        .iter()
        .filter_map(|v| v.get("relationships"))
        .map(|r| r.as_array().unwrap().len())
        .sum();
    assert_eq!(attached, 40);
    for v in &items {
        for r in v
            .get("relationships")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert_eq!(
                (&r["entityA"], &r["entityAType"]),
                (&v["value"], &v["type"])
            );
        }
    }
}
