//! Property tests of the renderings: parsing any rendering gives back the relationship's
//! values under XSOAR's keys, in XSOAR's order, and both JSON styles encode the same value.

use proptest::prelude::*;
use relationship_core::json::{self, JsonStyle};
use relationship_core::{EntityRelationship, Fields, IndicatorObject, Reliability};
use serde_json::{Map, Number, Value};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 .:-]{1,20}",
        "[\"\\\\\\x00-\\x1f\\x7f\\u{e9}\\u{2028}\\u{1f600}a]{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // integers beyond 64 bits, kept exactly by both styles
        "-?[1-9][0-9]{19,40}".prop_map(|t| serde_json::from_str(&t).unwrap()),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn fields() -> impl Strategy<Value = Fields> {
    prop::collection::vec((text(), json_value()), 0..5).prop_map(|kv| kv.into_iter().collect())
}

prop_compose! {
    fn relationship()(
        name in text(), reverse in text(), a in text(), a_type in text(),
        b in text(), b_type in text(), fields in fields(),
        reliability in prop::option::of(prop::sample::select(Reliability::ALL.to_vec())),
        brand in prop::option::of(text()),
    ) -> EntityRelationship {
        let mut rel = EntityRelationship::new(name, reverse, a, a_type, b, b_type).with_fields(fields);
        if let Some(r) = reliability { rel = rel.with_reliability(r); }
        if let Some(b) = brand { rel = rel.with_brand(b); }
        rel
    }
}

/// Renders a value in both styles and parses it with [`parse_both`].
macro_rules! parse_both {
    ($v:expr) => {
        parse_both(
            &json::to_vec($v, JsonStyle::Python).unwrap(),
            &json::to_vec($v, JsonStyle::Compact).unwrap(),
        )
    };
}

/// `v` with every number spelt canonically: an integer as its exact digits (`-0` as `0`), any
/// other number as the shortest text of its double. serde_json keeps the text a number was
/// read with (`arbitrary_precision`) and compares numbers by that text, while the two styles
/// spell the same float differently (compact: serde_json's text; Python: `repr`).
fn canonical(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let text = n.to_string();
            let digits = text.strip_prefix('-').unwrap_or(&text);
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                let f = n.as_f64().unwrap();
                Value::Number(Number::from_f64(f).unwrap())
            } else if digits.bytes().all(|b| b == b'0') {
                Value::from(0)
            } else {
                v.clone()
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        other => other.clone(),
    }
}

/// [`canonical`] of an object's values.
fn canonical_map(m: &Map<String, Value>) -> Value {
    canonical(&Value::Object(m.clone()))
}

/// Parses both renderings, checks they encode the same value; returns the object, its
/// numbers [`canonical`].
fn parse_both(py: &[u8], compact: &[u8]) -> Map<String, Value> {
    assert!(py.is_ascii(), "python style must be ASCII");
    let a = canonical(&serde_json::from_slice(py).unwrap());
    let b = canonical(&serde_json::from_slice(compact).unwrap());
    assert_eq!(a, b, "styles disagree");
    match a {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn keys(m: &Map<String, Value>) -> Vec<&str> {
    m.keys().map(String::as_str).collect()
}

const TEN: [&str; 10] = [
    "name",
    "reverseName",
    "type",
    "entityA",
    "entityAFamily",
    "entityAType",
    "entityB",
    "entityBFamily",
    "entityBType",
    "fields",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn renderings_parse_back_to_the_input(rel in relationship()) {
        let ind = parse_both!(&rel.to_indicator());
        let entry = parse_both!(&rel.to_entry());
        let ctx = parse_both!(&rel.to_context());
        if rel.entity_b().is_empty() {
            prop_assert!(ind.is_empty() && entry.is_empty() && ctx.is_empty());
            return Ok(());
        }
        prop_assert_eq!(keys(&ind), TEN.to_vec());
        let s = |v: &str| Value::String(v.to_owned());
        prop_assert_eq!(&ind["name"], &s(rel.name()));
        prop_assert_eq!(&ind["reverseName"], &s(rel.reverse_name()));
        prop_assert_eq!(&ind["type"], &s("IndicatorToIndicator"));
        prop_assert_eq!(&ind["entityA"], &s(rel.entity_a()));
        prop_assert_eq!(&ind["entityAFamily"], &s("Indicator"));
        prop_assert_eq!(&ind["entityAType"], &s(rel.entity_a_type()));
        prop_assert_eq!(&ind["entityB"], &s(rel.entity_b()));
        prop_assert_eq!(&ind["entityBFamily"], &s("Indicator"));
        prop_assert_eq!(&ind["entityBType"], &s(rel.entity_b_type()));
        // fields: same value and same key order, at every level
        prop_assert_eq!(&ind["fields"], &canonical_map(rel.fields()));
        let got_order: Vec<&String> = ind["fields"].as_object().unwrap().keys().collect();
        let want_order: Vec<&String> = rel.fields().keys().collect();
        prop_assert_eq!(got_order, want_order);

        let mut want_keys = TEN.to_vec();
        if let Some(r) = rel.source_reliability() {
            want_keys.push("reliability");
            prop_assert_eq!(&entry["reliability"], &s(r.as_str()));
        }
        if let Some(b) = rel.brand() {
            want_keys.push("brand");
            prop_assert_eq!(&entry["brand"], &s(b));
        }
        prop_assert_eq!(keys(&entry), want_keys);
        for k in TEN {
            prop_assert_eq!(&entry[k], &ind[k]);
        }

        prop_assert_eq!(keys(&ctx), vec!["Relationship", "EntityA", "EntityAType", "EntityB", "EntityBType"]);
        prop_assert_eq!(&ctx["Relationship"], &s(rel.name()));
        prop_assert_eq!(&ctx["EntityA"], &s(rel.entity_a()));
        prop_assert_eq!(&ctx["EntityAType"], &s(rel.entity_a_type()));
        prop_assert_eq!(&ctx["EntityB"], &s(rel.entity_b()));
        prop_assert_eq!(&ctx["EntityBType"], &s(rel.entity_b_type()));
    }

    #[test]
    fn indicator_objects_parse_back(
        value in text(), ty in text(), score in prop::option::of(0u8..=3),
        raw in json_value(), fields in fields(),
        rels in prop::collection::vec(relationship(), 0..3),
    ) {
        let mut ind = IndicatorObject::new(value.clone(), ty.clone()).with_raw_json(raw.clone()).with_fields(fields.clone());
        ind.score = score;
        ind.relationships = rels.clone();
        let m = parse_both!(&ind);
        if ind.is_dummy() {
            prop_assert_eq!(keys(&m), vec!["value", "relationships"]);
            return Ok(());
        }
        let mut want = vec!["value", "type"];
        if score.is_some() { want.push("score"); }
        want.extend(["rawJSON", "fields"]);
        if !rels.is_empty() { want.push("relationships"); }
        prop_assert_eq!(keys(&m), want);
        prop_assert_eq!(&m["value"], &Value::String(value));
        prop_assert_eq!(&m["type"], &Value::String(ty));
        prop_assert_eq!(&m["rawJSON"], &canonical(&raw));
        prop_assert_eq!(&m["fields"], &canonical_map(&fields));
        if let Some(s) = score { prop_assert_eq!(&m["score"], &Value::from(s)); }
        if !rels.is_empty() {
            let list = m["relationships"].as_array().unwrap();
            prop_assert_eq!(list.len(), rels.len());
            for (got, rel) in list.iter().zip(&rels) {
                let want: Value = serde_json::from_str(&json::to_string(&rel.to_indicator(), JsonStyle::Compact).unwrap()).unwrap();
                prop_assert_eq!(got, &canonical(&want));
            }
        }
    }
}
