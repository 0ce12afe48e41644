//! `relationship_schema::diff`: the report for two fixture schemas (text and JSON, golden
//! files in `tests/fixtures/diff/`), its symmetry, and diffs of edited copies of
//! `schemas/xsoar.json`.
//!
//! After a deliberate change of the report's wording, `UPDATE_EXPECT=1 cargo test -p
//! relationship-tests --test it -- schema_diff::` rewrites the golden files; review the diff.

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use relationship_cli::schema_diff::{Breakage, SchemaDiff};
use relationship_schema::Schema;
use relationship_schema_parse::parse_str;

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/diff")
        .join(name)
}

/// Parses a fixture under its bare file name, so the report does not depend on where the
/// repository is checked out.
fn fixture(name: &str) -> Schema {
    let text = std::fs::read_to_string(fixture_path(name)).unwrap();
    parse_str(&text, name).unwrap_or_else(|e| panic!("{e}"))
}

fn xsoar_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/xsoar.json"))
        .unwrap()
}

/// Compares `actual` with a golden file, which `UPDATE_EXPECT=1` rewrites.
fn golden(name: &str, actual: &str) {
    expect_file![fixture_path(name)].assert_eq(actual);
}

fn lines(b: &[Breakage]) -> Vec<String> {
    b.iter().map(ToString::to_string).collect()
}

#[test]
fn report_text_is_golden() {
    let d = SchemaDiff::between(&fixture("old.json"), &fixture("new.json"));
    golden("report.txt", &d.to_string());
}

#[test]
fn report_json_is_golden() {
    let d = SchemaDiff::between(&fixture("old.json"), &fixture("new.json"));
    let mut json = d.to_json_pretty();
    json.push('\n');
    golden("report.json", &json);
}

#[test]
fn fixture_diff_lists_every_kind_of_change() {
    let d = SchemaDiff::between(&fixture("old.json"), &fixture("new.json"));
    assert!(d.is_breaking());
    assert!(!d.is_empty());
    let names = |v: &[relationship_cli::schema_diff::TypeEntry]| -> Vec<String> {
        v.iter().map(|t| t.name.clone()).collect()
    };
    assert_eq!(names(&d.added_types), ["Employee"]);
    assert_eq!(names(&d.removed_types), ["ssdeep"]);
    assert_eq!(d.renamed_type_markers[0].new, "Machine");
    assert_eq!(d.added_relationships[0].name, "manages");
    assert_eq!(d.removed_relationships[0].name, "used-by");
    assert_eq!(d.renamed_methods[0].new, "talks_to");
    assert_eq!(d.changed_reverse_names[0].name, "embeds");
    assert_eq!(
        d.added_reverse_only,
        ["embedded-in", "used-by", "managed-by"]
    );
    assert_eq!(d.removed_reverse_only, ["embedded-on"]);
    let any: Vec<(&str, bool)> = d
        .any_changes
        .iter()
        .map(|c| (c.name.as_str(), c.now_any))
        .collect();
    assert_eq!(
        any,
        [
            ("indicator-of", true),
            ("indicated-by", true),
            ("is-also", false)
        ]
    );
    // is-also: 6 x 6 old pairs, none of which survives (Employee is new).
    assert_eq!(d.any_changes[2].removed.len(), 36);

    let broken = lines(&d.breaking);
    assert_eq!(
        broken,
        [
            "`Ssdeep` — type ssdeep removed: the marker no longer exists",
            "`Host` — type Host: the marker is now `Machine`",
            "`.used_by(..)` — relationship used-by removed: the method (and marker `UsedBy`) no longer exists",
            "`.communicates_with(..)` — relationship communicates-with: the method is now `.talks_to(..)`",
            "`_`.is_also(&`_`) — is-also no longer allows any pair: 36 pairs stop compiling (now 2 explicit)",
            "`Account`.uses(&`Cve`) — Account uses CVE no longer allowed",
        ]
    );
}

#[test]
fn diff_is_symmetric() {
    let (old, new) = (fixture("old.json"), fixture("new.json"));
    let there = SchemaDiff::between(&old, &new);
    let back = SchemaDiff::between(&new, &old);
    assert_eq!(there.added_types, back.removed_types);
    assert_eq!(there.removed_types, back.added_types);
    assert_eq!(there.added_relationships, back.removed_relationships);
    assert_eq!(there.added_triples, back.removed_triples);
    assert_eq!(there.removed_triples, back.added_triples);
    assert_eq!(there.any_changes.len(), back.any_changes.len());
    // Going back also breaks: Employee and `manages` disappear.
    assert!(
        lines(&back.breaking)
            .contains(&"`Employee` — type Employee removed: the marker no longer exists".into())
    );
}

#[test]
fn xsoar_against_itself_is_identical() {
    let x = relationship_core::xsoar::schema();
    let d = SchemaDiff::between(x, x);
    assert!(d.is_empty());
    assert!(!d.is_breaking());
    assert_eq!(
        d.to_string(),
        "--- `xsoar` (schemas/xsoar.json): 30 types, 71 relationship names, 1715 explicit triples\n\
         +++ `xsoar` (schemas/xsoar.json): 30 types, 71 relationship names, 1715 explicit triples\n\
         \n\
         No differences: same types, names, reverse names and allowed pairs.\n"
    );
}

#[test]
fn xsoar_removed_rule_breaks_both_directions() {
    let old = parse_str(&xsoar_text(), "xsoar.json").unwrap();
    let edited = xsoar_text().replacen("{\"from\": \"Software\", \"to\": \"File\"},", "", 1);
    assert_ne!(edited, xsoar_text());
    let new = parse_str(&edited, "xsoar-edited.json").unwrap();
    let d = SchemaDiff::between(&old, &new);
    assert_eq!(d.removed_triples.len(), 2);
    assert!(d.added_triples.is_empty());
    assert_eq!(
        lines(&d.breaking),
        [
            "`Software`.bundled_in(&`File`) — Software bundled-in File no longer allowed",
            "`File`.bundles(&`Software`) — File bundles Software no longer allowed",
        ]
    );
    let text = d.to_string();
    assert!(
        text.contains(
            "\nTriples: 0 added, 2 removed\n\
             \x20 - Software bundled-in File  `Software`.bundled_in(&`File`)\n\
             \x20 - File bundles Software     `File`.bundles(&`Software`)\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("\nBreaking: 2 items of typed code stop compiling.\n"));
}

#[test]
fn xsoar_related_to_no_longer_any() {
    let old = parse_str(&xsoar_text(), "xsoar.json").unwrap();
    let needle = "{\"name\": \"related-to\", \"reverse\": \"related-to\",";
    let start = xsoar_text().find(needle).unwrap();
    let end = start + xsoar_text()[start..].find("\"any\": true}").unwrap();
    let mut edited = xsoar_text();
    edited.replace_range(
        start..end + "\"any\": true}".len(),
        "{\"name\": \"related-to\", \"reverse\": \"related-to\", \
         \"rules\": [{\"from\": \"Account\", \"to\": \"Host\"}]}",
    );
    let new = parse_str(&edited, "xsoar-edited.json").unwrap();
    let d = SchemaDiff::between(&old, &new);
    assert_eq!(d.any_changes.len(), 1);
    assert_eq!(d.any_changes[0].removed.len(), 30 * 30 - 1);
    assert!(d.added_triples.is_empty() && d.removed_triples.is_empty());
    assert_eq!(
        lines(&d.breaking),
        [
            "`_`.related_to(&`_`) — related-to no longer allows any pair: 899 pairs stop compiling (now 1 explicit)"
        ]
    );
    assert!(d.to_string().contains(
        "\nAny-pair relationships: 0 now any, 1 no longer any\n\
         \x20 - related-to: no longer any pair: now 1 explicit pair, 899 no longer allowed\n"
    ));
}
