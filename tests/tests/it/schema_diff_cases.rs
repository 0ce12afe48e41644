//! Schema diff cases on small schemas: what changed, what breaks, and the JSON form.

use relationship_cli::schema_diff::*;
use relationship_schema::Schema;
use relationship_schema_parse::parse_str;

fn schema(json: &str) -> Schema {
    parse_str(json, "t.json").unwrap()
}

const BASE: &str = r#"{"name": "t", "types": ["Account", "Host", "CVE"],
    "reverse_only": ["used-by"],
    "relationships": [
      {"name": "uses", "reverse": "used-by",
       "rules": [{"from": "Account", "to": ["Host", "CVE"]}]},
      {"name": "related-to", "reverse": "related-to", "any": true}
    ]}"#;

#[test]
fn identical_schemas_have_no_differences() {
    let d = SchemaDiff::between(&schema(BASE), &schema(BASE));
    assert!(d.is_empty());
    assert!(!d.is_breaking());
    let text = d.to_string();
    assert!(
        text.ends_with("\nNo differences: same types, names, reverse names and allowed pairs.\n")
    );
    assert_eq!(d.to_json()["identical"], true);
}

#[test]
fn reordering_changes_nothing() {
    let reordered = r#"{"name": "t", "types": ["CVE", "Host", "Account"],
        "reverse_only": ["used-by"],
        "relationships": [
          {"name": "related-to", "reverse": "related-to", "any": true},
          {"name": "uses", "reverse": "used-by",
           "rules": [{"from": "Account", "to": ["CVE", "Host"]}]}
        ]}"#;
    assert!(SchemaDiff::between(&schema(BASE), &schema(reordered)).is_empty());
}

#[test]
fn removed_triple_breaks_its_constructor() {
    let new = BASE.replace(r#"["Host", "CVE"]"#, r#""Host""#);
    let d = SchemaDiff::between(&schema(BASE), &schema(&new));
    assert_eq!(d.removed_triples.len(), 1);
    assert!(d.added_triples.is_empty());
    assert_eq!(
        d.breaking
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["`Account`.uses(&`Cve`) — Account uses CVE no longer allowed"]
    );
    // Going the other way adds the triple and breaks nothing.
    let back = SchemaDiff::between(&schema(&new), &schema(BASE));
    assert_eq!(back.added_triples.len(), 1);
    assert_eq!(back.added_triples[0].xsoar(), "Account uses CVE");
    assert!(!back.is_breaking());
    assert!(!back.is_empty());
}

#[test]
fn removed_type_is_reported_once_in_breakage() {
    let new = BASE
        .replace(r#""Host", "CVE"]"#, r#""Host"]"#)
        .replace(r#"["Host", "CVE"]"#, r#""Host""#);
    let d = SchemaDiff::between(&schema(BASE), &schema(&new));
    assert_eq!(d.removed_types.len(), 1);
    // The triple is listed as removed, but the breakage names the marker only.
    assert_eq!(d.removed_triples.len(), 1);
    assert_eq!(
        d.breaking,
        [Breakage::TypeRemoved {
            name: "CVE".into(),
            marker: "Cve".into()
        }]
    );
}

#[test]
fn removed_relationship_breaks_its_method_not_each_triple() {
    let new = r#"{"name": "t", "types": ["Account", "Host", "CVE"],
        "relationships": [{"name": "related-to", "reverse": "related-to", "any": true}]}"#;
    let d = SchemaDiff::between(&schema(BASE), &schema(new));
    assert_eq!(d.removed_relationships.len(), 1);
    assert_eq!(d.removed_triples.len(), 2);
    assert_eq!(d.removed_reverse_only, ["used-by"]);
    assert_eq!(
        d.breaking
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "`.uses(..)` — relationship uses removed: the method (and marker `Uses`) no longer exists"
        ]
    );
}

#[test]
fn any_changes_both_ways() {
    let only = BASE.replace(
        r#""reverse": "related-to", "any": true"#,
        r#""reverse": "related-to", "rules": [{"from": "Host", "to": "CVE"}]"#,
    );
    let d = SchemaDiff::between(&schema(BASE), &schema(&only));
    assert_eq!(d.any_changes.len(), 1);
    let c = &d.any_changes[0];
    assert!(!c.now_any);
    assert_eq!(c.explicit_pairs, 1);
    // 3 x 3 pairs before, 1 still allowed.
    assert_eq!(c.removed.len(), 8);
    assert!(!c.removed.iter().any(|t| t.xsoar() == "Host related-to CVE"));
    // Its explicit pair was allowed before: not an added triple.
    assert!(d.added_triples.is_empty());
    assert_eq!(
        d.breaking,
        [Breakage::NoLongerAny {
            name: "related-to".into(),
            method: "related_to".into(),
            now_explicit: 1,
            removed: 8
        }]
    );

    let back = SchemaDiff::between(&schema(&only), &schema(BASE));
    assert!(back.any_changes[0].now_any);
    assert_eq!(back.any_changes[0].explicit_pairs, 1);
    assert!(back.removed_triples.is_empty());
    assert!(!back.is_breaking());
}

#[test]
fn renames_and_reverse_changes() {
    let new = r#"{"name": "t", "types": ["Account", {"name": "Host", "marker": "Machine"}, "CVE"],
        "reverse_only": ["usedby"],
        "relationships": [
          {"name": "uses", "reverse": "usedby", "method": "employs",
           "rules": [{"from": "Account", "to": ["Host", "CVE"]}]},
          {"name": "related-to", "reverse": "related-to", "any": true}
        ]}"#;
    let d = SchemaDiff::between(&schema(BASE), &schema(new));
    assert_eq!(d.added_reverse_only, ["usedby"]);
    assert_eq!(d.removed_reverse_only, ["used-by"]);
    assert_eq!(d.changed_reverse_names[0].new, "usedby");
    assert!(d.removed_triples.is_empty());
    let lines: Vec<String> = d.breaking.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "`Host` — type Host: the marker is now `Machine`",
            "`.uses(..)` — relationship uses: the method is now `.employs(..)`",
        ]
    );
}

#[test]
fn reverse_change_alone_is_not_breaking() {
    let new = BASE.replace(
        r#""reverse_only": ["used-by"]"#,
        r#""reverse_only": ["usedby"]"#,
    );
    let new = new.replace(
        r#""uses", "reverse": "used-by""#,
        r#""uses", "reverse": "usedby""#,
    );
    let d = SchemaDiff::between(&schema(BASE), &schema(&new));
    assert!(!d.is_empty());
    assert!(!d.is_breaking());
    assert!(
        d.to_string()
            .contains("\nReverse names changed: 1\n  ~ uses: reverse `used-by` -> `usedby`\n")
    );
}

#[test]
fn json_form_has_fixed_keys() {
    let new = BASE.replace(r#"["Host", "CVE"]"#, r#""Host""#);
    let d = SchemaDiff::between(&schema(BASE), &schema(&new));
    let ordered: relationship_core::Fields = serde_json::from_str(&d.to_json_pretty()).unwrap();
    let json = ordered.get("breaking").unwrap().get().to_owned();
    assert_eq!(
        json,
        r#"[{"kind":"triple-removed","source":"Account","relationship":"uses","target":"CVE","source_marker":"Account","method":"uses","target_marker":"Cve"}]"#
    );
    let v = d.to_json();
    let keys: Vec<&str> = ordered.keys().collect();
    assert_eq!(&keys[..4], ["identical", "is_breaking", "old", "new"]);
    assert_eq!(v["is_breaking"], true);
}
