//! Run-time checks against the built-in XSOAR schema: strict errors name the triple and the
//! alternatives; lenient mode gives XSOAR's own reverse names, quirks included.

use relationship_core::check::{CheckError, Checker, EntitySide, Mode, RelationshipInput};
use relationship_core::json::{self, JsonStyle};
use relationship_core::xsoar::schema as xsoar;

fn input(name: &str, a_type: &str, b_type: &str) -> RelationshipInput {
    RelationshipInput {
        name: name.into(),
        entity_a: "a".into(),
        entity_a_type: a_type.into(),
        entity_b: "b".into(),
        entity_b_type: b_type.into(),
        ..RelationshipInput::default()
    }
}

fn strict(i: RelationshipInput) -> Result<relationship_core::EntityRelationship, CheckError> {
    Checker::new(xsoar(), Mode::Strict).check(i)
}

fn lenient(i: RelationshipInput) -> relationship_core::EntityRelationship {
    Checker::new(xsoar(), Mode::Lenient).check(i).unwrap()
}

#[test]
fn strict_accepts_attck_triples_with_xsoar_reverse_names() {
    for (name, a, b, reverse) in [
        ("uses", "Intrusion Set", "Attack Pattern", "used-by"),
        ("uses", "Malware", "Attack Pattern", "used-by"),
        ("uses", "Campaign", "Tool", "used-by"),
        (
            "mitigates",
            "Course of Action",
            "Attack Pattern",
            "mitigated-by",
        ),
        (
            "subtechnique-of",
            "Attack Pattern",
            "Attack Pattern",
            "parent-technique-of",
        ),
        (
            "attributed-to",
            "Campaign",
            "Intrusion Set",
            "attributed-by",
        ),
        ("related-to", "CVE", "ssdeep", "related-to"),
    ] {
        let rel = strict(input(name, a, b)).unwrap_or_else(|e| panic!("{a} {name} {b}: {e}"));
        assert_eq!(rel.reverse_name(), reverse);
    }
}

#[test]
fn strict_disallowed_pair_says_which_and_what_instead() {
    let err = strict(input("uses", "Host", "CVE")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`Host` cannot `uses` `CVE`: `uses` allows no target for source `Host`; relationships allowed from `Host` to `CVE`: `has`, `is-also`, `related-to`"
    );
    match err {
        CheckError::PairNotAllowed {
            source_type,
            name,
            target_type,
            allowed_names_between,
            ..
        } => {
            assert_eq!(
                (&*source_type, &*name, &*target_type),
                ("Host", "uses", "CVE")
            );
            assert!(allowed_names_between.iter().any(|n| n == "has"));
        }
        other => panic!("{other:?}"),
    }
    let err = strict(input("uses", "Malware", "Host")).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "`Malware` cannot `uses` `Host`: for source `Malware`, `uses` allows targets "
        ),
        "{msg}"
    );
    assert!(msg.contains("`Attack Pattern`"), "{msg}");
}

#[test]
fn strict_unknowns_suggest_the_nearest_valid_choice() {
    assert_eq!(
        strict(input("usess", "Account", "Host"))
            .unwrap_err()
            .to_string(),
        "unknown relationship name `usess`; did you mean `uses`?"
    );
    assert_eq!(
        strict(input("uses", "Account", "Hots"))
            .unwrap_err()
            .to_string(),
        "unknown entity B type `Hots` (entity_b_type); did you mean `Host`?"
    );
    assert!(matches!(
        strict(input("uses", "Atack Pattern", "Host")).unwrap_err(),
        CheckError::UnknownType { which: EntitySide::A, ref suggestions, .. } if suggestions[0] == "Attack Pattern"
    ));
    assert_eq!(
        strict(input("embedded-on", "File", "File"))
            .unwrap_err()
            .to_string(),
        "unknown relationship name `embedded-on`: `embedded-on` is the reverse name of `embeds`; use `embeds` with entity A and entity B swapped"
    );
    // not an XSOAR name, although CommonServerPython has a constant for it
    assert!(matches!(
        strict(input("located-at", "Malware", "Location")).unwrap_err(),
        CheckError::UnknownName { .. }
    ));
    let mut i = input("uses", "Malware", "Attack Pattern");
    i.reverse_name = Some("uses".into());
    assert!(matches!(
        strict(i).unwrap_err(),
        CheckError::ReverseMismatch { .. }
    ));
}

#[test]
fn lenient_reverse_names_are_xsoars_quirks_included() {
    // reference §1: verbatim reverse values, asymmetric pairs, the `Types` placeholder, and
    // the `related-to` fallback for anything that is not a key of RELATIONSHIPS_NAMES.
    for (name, reverse) in [
        ("embeds", "embedded-on"),
        ("embedded-in", "embeds"),
        ("applied", "applied-on"),
        ("sent", "attached-to"),
        ("sent-by", "sent"),
        ("used-on", "targeted-by"),
        ("beacons-to", "communicated-by"),
        ("attribute-of", "owns"),
        ("resolved-by", "resolves-to"),
        ("duplicate-of", "duplicate-of"),
        ("detects", "detected-by"),
        ("Types", "Reverse"),
        ("located-at", "related-to"),
        ("embedded-on", "related-to"),
        ("Uses", "related-to"),
        ("", "related-to"),
    ] {
        assert_eq!(
            lenient(input(name, "x", "y")).reverse_name(),
            reverse,
            "{name:?}"
        );
    }
    // an explicit reverse name is kept verbatim
    let mut i = input("uses", "Host", "CVE");
    i.reverse_name = Some("whatever-I-say".into());
    assert_eq!(lenient(i).reverse_name(), "whatever-I-say");
}

#[test]
fn lenient_renders_like_commonserverpython() {
    // any name and any types pass; an empty entity B renders as `{}`
    let mut i = input("frobnicates", "Not A Type", "");
    i.entity_b = String::new();
    let rel = lenient(i);
    assert_eq!(
        json::to_string(&rel.to_indicator(), JsonStyle::Python).unwrap(),
        "{}"
    );
    let rel = lenient(RelationshipInput {
        name: "uses".into(),
        entity_a: "u4872".into(),
        entity_a_type: "Account".into(),
        entity_b: "pc135456.domain.local".into(),
        entity_b_type: "Host".into(),
        source_reliability: Some("B - Usually reliable".into()),
        brand: Some("MyBrand".into()),
        ..RelationshipInput::default()
    });
    assert_eq!(
        json::to_string(&rel.to_entry(), JsonStyle::Python).unwrap(),
        r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}, "reliability": "B - Usually reliable", "brand": "MyBrand"}"#
    );
    let mut i = input("uses", "Account", "Host");
    i.source_reliability = Some("A: Completely reliable".into());
    let err = Checker::new(xsoar(), Mode::Lenient).check(i).unwrap_err();
    assert!(err.to_string().starts_with("invalid source reliability `A: Completely reliable`; did you mean `A - Completely reliable`"), "{err}");
}
