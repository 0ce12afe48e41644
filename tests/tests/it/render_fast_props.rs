//! The direct writer `IndicatorRendering::write_json` gives the same bytes as serializing
//! `to_indicator()` with serde, in both styles, for random relationships: made at run time
//! (`EntityRelationship::new`, the general writer), made by typed constructors (constant
//! parts pre-rendered at compile time), and made by typed constructors whose markers have
//! names that must be escaped (no template). Likewise `IndicatorObject::write_json`.

use proptest::prelude::*;
use relationship_core::json::{self, JsonStyle};
use relationship_core::prelude::*;
use relationship_core::typed::{IndicatorType, RelationshipName};
use relationship_core::xsoar::types::{
    Account, AttackPattern, CourseOfAction, Cve, Domain, Host, IntrusionSet, Ip, Malware,
};
use relationship_core::{
    EntityRelationship, Fields, IndicatorLayout, IndicatorObject, RawJson, Reliability,
};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 .:/_-]{0,40}",
        "[\"\\\\\\x00-\\x1f\\x7f\\u{80}\\u{e9}\\u{2028}\\u{ffff}\\u{1f600}a/ ]{0,12}",
    ]
}

/// A JSON value as [`RawJson`], which keeps number text (long integers, exponent forms,
/// literals beyond the double range) and the order of object keys as generated.
fn json_value() -> impl Strategy<Value = RawJson> {
    let leaf = prop_oneof![
        Just(RawJson::null()),
        any::<bool>().prop_map(RawJson::from),
        any::<i64>().prop_map(RawJson::from),
        "-?[1-9][0-9]{19,40}".prop_map(|t| RawJson::parse(&t).unwrap()),
        "-?(0|[1-9][0-9]{0,2})(\\.[0-9]{1,5})?([eE][-+]?[0-9]{1,3})?"
            .prop_map(|t| RawJson::parse(&t).unwrap()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(RawJson::from),
        text().prop_map(RawJson::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(RawJson::from),
            prop::collection::vec((text(), inner), 0..4)
                .prop_map(|kv| RawJson::from(kv.into_iter().collect::<Fields>())),
        ]
    })
}

fn fields() -> impl Strategy<Value = Fields> {
    prop::collection::vec((text(), json_value()), 0..5).prop_map(|kv| kv.into_iter().collect())
}

/// A relationship marker whose names need escaping in both styles.
struct Escaped;
impl RelationshipName for Escaped {
    const NAME: &'static str = "uses \"quoted\"";
    const REVERSE: &'static str = "utilisé-par\u{2028}";
}

/// An indicator type whose name needs escaping in Python style only.
struct NonAscii;
impl IndicatorType for NonAscii {
    const NAME: &'static str = "Hôte";
}

/// Builds one of several typed relationships between `a` and `b`.
fn typed(kind: u8, a: String, b: String) -> EntityRelationship {
    use relationship_core::__private::relate;
    match kind % 8 {
        0 => Entity::<Account>::new(a).uses(&Entity::<Host>::new(b)),
        1 => Entity::<IntrusionSet>::new(a).uses(&Entity::<AttackPattern>::new(b)),
        2 => Entity::<Malware>::new(a).uses(&Entity::<AttackPattern>::new(b)),
        3 => Entity::<CourseOfAction>::new(a).mitigates(&Entity::<AttackPattern>::new(b)),
        4 => Entity::<AttackPattern>::new(a).subtechnique_of(&Entity::<AttackPattern>::new(b)),
        5 => Entity::<Domain>::new(a).resolves_to(&Entity::<Ip>::new(b)),
        6 => Entity::<Malware>::new(a).related_to(&Entity::<Cve>::new(b)),
        _ => relate::<Escaped, Entity<NonAscii>, Entity<Host>>(
            &Entity::<NonAscii>::new(a),
            &Entity::<Host>::new(b),
        ),
    }
}

/// Checks that the direct writer and serde agree, writing after existing bytes.
fn same_bytes(rel: &EntityRelationship) -> Result<(), TestCaseError> {
    for style in [JsonStyle::Compact, JsonStyle::Python] {
        let want = json::to_vec(&rel.to_indicator(), style).unwrap();
        let mut fast = b"prefix".to_vec();
        rel.to_indicator().write_json(&mut fast, style).unwrap();
        prop_assert_eq!(&fast[..6], b"prefix");
        prop_assert_eq!(
            String::from_utf8_lossy(&fast[6..]),
            String::from_utf8_lossy(&want),
            "{:?}",
            style
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn runtime_relationships_render_the_same(
        name in text(), reverse in text(), a in text(), a_type in text(),
        b in text(), b_type in text(), fields in fields(),
        reliability in prop::option::of(prop::sample::select(Reliability::ALL.to_vec())),
        brand in prop::option::of(text()),
    ) {
        let mut rel = EntityRelationship::new(name, reverse, a, a_type, b, b_type)
            .with_fields(fields);
        if let Some(r) = reliability { rel = rel.with_reliability(r); }
        if let Some(b) = brand { rel = rel.with_brand(b); }
        same_bytes(&rel)?;
    }

    #[test]
    fn typed_relationships_render_the_same(
        kind in any::<u8>(), a in text(), b in text(), fields in fields(),
    ) {
        let rel = typed(kind, a, b);
        same_bytes(&rel)?;
        same_bytes(&rel.clone().with_fields(fields))?;
    }
}

prop_compose! {
    fn any_relationship()(
        typed_kind in prop::option::of(any::<u8>()),
        name in text(), a in text(), b in text(), fields in fields(),
    ) -> EntityRelationship {
        let rel = match typed_kind {
            Some(kind) => typed(kind, a, b),
            None => EntityRelationship::new(name, "rev", a, "Account", b, "Host"),
        };
        rel.with_fields(fields)
    }
}

prop_compose! {
    fn indicator_object()(
        dummy in any::<bool>(), value in text(), kind in text(),
        score in prop::option::of(any::<u8>()), raw in json_value(), fields in fields(),
        rels in prop::collection::vec(any_relationship(), 0..4),
        layout in prop::sample::select(vec![
            IndicatorLayout::Standard,
            IndicatorLayout::Feed,
            IndicatorLayout::FeedWithRelationships,
        ]),
    ) -> IndicatorObject {
        if dummy {
            return IndicatorObject::dummy(rels).with_layout(layout);
        }
        let mut obj = IndicatorObject::new(value, kind).with_raw_json(raw).with_fields(fields);
        obj.score = score;
        obj.relationships = rels;
        obj.with_layout(layout)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn indicator_objects_render_the_same(obj in indicator_object()) {
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            let want = json::to_vec(&obj, style).unwrap();
            let mut fast = Vec::new();
            obj.write_json(&mut fast, style).unwrap();
            prop_assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&want),
                "{:?}",
                style
            );
        }
    }
}

#[test]
fn typed_and_runtime_relationships_are_equal_and_render_alike() {
    let typed = Entity::<Account>::new("u4872").uses(&Entity::<Host>::new("pc1"));
    let runtime = EntityRelationship::new("uses", "used-by", "u4872", "Account", "pc1", "Host");
    assert_eq!(typed, runtime);
    assert_eq!(format!("{typed:?}"), format!("{runtime:?}"));
    for style in [JsonStyle::Compact, JsonStyle::Python] {
        let (mut t, mut r) = (Vec::new(), Vec::new());
        typed.to_indicator().write_json(&mut t, style).unwrap();
        runtime.to_indicator().write_json(&mut r, style).unwrap();
        assert_eq!(t, r);
    }
}

#[test]
fn empty_entity_b_writes_an_empty_object() {
    let typed = Entity::<Account>::new("u4872").uses(&Entity::<Host>::new(""));
    let runtime = EntityRelationship::new("uses", "used-by", "u4872", "Account", "", "Host");
    for rel in [typed, runtime] {
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            let mut out = Vec::new();
            rel.to_indicator().write_json(&mut out, style).unwrap();
            assert_eq!(out, b"{}");
        }
    }
}

#[test]
fn escaped_marker_names_are_escaped_per_style() {
    let rel = typed(7, "a".into(), "b".into());
    let mut out = Vec::new();
    rel.to_indicator()
        .write_json(&mut out, JsonStyle::Python)
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with(r#"{"name": "uses \"quoted\"", "reverseName": "utilis\u00e9-par\u2028""#),
        "{out}"
    );
    assert!(out.contains(r#""entityAType": "H\u00f4te""#), "{out}");
}
