//! Property tests of the renderings: parsing any rendering gives back the relationship's
//! values under XSOAR's keys, in XSOAR's order, and both JSON styles encode the same value.

use proptest::prelude::*;
use relationship_core::json::{self, JsonStyle};
use relationship_core::{EntityRelationship, Fields, IndicatorObject, RawJson, Reliability};
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

/// A JSON value read back in order (objects as their entries, in the order written), its
/// numbers spelt canonically: an integer as its exact digits (`-0` as `0`), any other number
/// as its double. The two styles spell the same float differently (compact: serde_json's
/// text; Python: `repr`), and both must keep every object's key order.
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Int(String),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn get(&self, key: &str) -> &J {
        match self {
            J::Obj(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&J::Null, |(_, v)| v),
            _ => &J::Null,
        }
    }
}

impl std::ops::Index<&str> for J {
    type Output = J;
    fn index(&self, key: &str) -> &J {
        self.get(key)
    }
}

/// Reads `text` (one JSON value) in order.
fn read(text: &str) -> J {
    let raw = RawJson::parse(text).unwrap();
    let t = raw.get();
    match t.as_bytes()[0] {
        b'{' => {
            let f: Fields = serde_json::from_str(t).unwrap();
            J::Obj(
                f.iter()
                    .map(|(k, v)| (k.to_owned(), read(v.get())))
                    .collect(),
            )
        }
        b'[' => {
            let items: Vec<RawJson> = serde_json::from_str(t).unwrap();
            J::Arr(items.iter().map(|v| read(v.get())).collect())
        }
        b'"' => J::Str(serde_json::from_str(t).unwrap()),
        b'n' => J::Null,
        b't' => J::Bool(true),
        b'f' => J::Bool(false),
        _ => {
            let digits = t.strip_prefix('-').unwrap_or(t);
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                J::Float(t.parse().unwrap())
            } else if digits.bytes().all(|b| b == b'0') {
                J::Int("0".into())
            } else {
                J::Int(t.to_owned())
            }
        }
    }
}

/// What a value reads back as.
fn canonical(v: &impl serde::Serialize) -> J {
    read(&serde_json::to_string(v).unwrap())
}

/// Parses both renderings, checks they encode the same value; returns the object.
fn parse_both(py: &[u8], compact: &[u8]) -> J {
    assert!(py.is_ascii(), "python style must be ASCII");
    let a = read(std::str::from_utf8(py).unwrap());
    let b = read(std::str::from_utf8(compact).unwrap());
    assert_eq!(a, b, "styles disagree");
    assert!(matches!(a, J::Obj(_)), "not an object: {a:?}");
    a
}

fn keys(m: &J) -> Vec<&str> {
    match m {
        J::Obj(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn is_empty(m: &J) -> bool {
    keys(m).is_empty()
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
            prop_assert!(is_empty(&ind) && is_empty(&entry) && is_empty(&ctx));
            return Ok(());
        }
        prop_assert_eq!(keys(&ind), TEN.to_vec());
        let s = |v: &str| J::Str(v.to_owned());
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
        prop_assert_eq!(&ind["fields"], &canonical(rel.fields()));
        let got_order: Vec<&str> = keys(&ind["fields"]);
        let want_order: Vec<&str> = rel.fields().keys().collect();
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
        prop_assert_eq!(&m["value"], &J::Str(value));
        prop_assert_eq!(&m["type"], &J::Str(ty));
        prop_assert_eq!(&m["rawJSON"], &canonical(&raw));
        prop_assert_eq!(&m["fields"], &canonical(&fields));
        if let Some(s) = score { prop_assert_eq!(&m["score"], &J::Int(s.to_string())); }
        if !rels.is_empty() {
            let J::Arr(list) = &m["relationships"] else { panic!("relationships is not an array") };
            prop_assert_eq!(list.len(), rels.len());
            for (got, rel) in list.iter().zip(&rels) {
                let want = read(&json::to_string(&rel.to_indicator(), JsonStyle::Compact).unwrap());
                prop_assert_eq!(got, &want);
            }
        }
    }
}
