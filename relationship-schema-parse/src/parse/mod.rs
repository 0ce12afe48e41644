//! Parsing, validation and expansion of schema files.
//!
//! A schema file is strict JSON (no comments, no trailing commas), human-edited and checked
//! by `schemas/schema.schema.json`. [`parse_str`] reads it in three passes:
//!
//! 1. syntax: [`crate::json`] parses the text into a tree in which every value keeps its
//!    byte range;
//! 2. structure: keys, value types, required keys (every defect is collected; see
//!    [`document`] and [`read`]);
//! 3. meaning: names resolved, duplicates, names that deceive (invisible characters,
//!    confusable names: see [`crate::names`]), reverse names, derivation cycles, Rust names
//!    (reserved constructor methods included); then rules, same-type lists, derivations and
//!    symmetry are expanded into the sorted pair lists of [`relationship_schema::model`]
//!    (see [`expand`] for the rules).
//!
//! Every defect becomes a [`SchemaError`] with file, line, column and, where it helps, the
//! nearest valid names. Errors are collected rather than stopping at the first one; a
//! defect that would cause follow-up errors (a duplicate name, an unknown derivation target)
//! removes the faulty item from later checks instead.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::Path;

use relationship_schema::{ErrorKind, Schema, SchemaBuilder, SchemaError, SchemaErrors, limits};

mod bounded;
mod diagnostics;
mod document;
mod expand;
mod groups;
mod name_checks;
mod read;
mod relationships;
mod types;

use bounded::Budget;
use diagnostics::{Cx, Lines};
use document::{RawSchema, read_document};
use expand::{Expanded, add_relationships, derived_pairs, own_pairs};
use groups::declare_groups;
use name_checks::check_confusables;
use relationships::{
    DeclaredRels, ReverseOnly, RustNames, check_relationship_rust_names, check_reverse,
    check_shape, declare_relationships, declare_reverse_only,
};
use types::declare_types;

/// Parses, validates and expands a schema held in memory.
///
/// `path` is used only in error messages and stored as [`Schema::source`].
///
/// ```
/// let schema = relationship_schema_parse::parse_str(
///     r#"{"name": "mini", "types": ["Host", "IP"],
///         "relationships": [{"name": "uses", "reverse": "uses",
///                            "rules": [{"from": ["Host"], "to": ["IP"]}]}]}"#,
///     "mini.json",
/// ).unwrap();
/// assert_eq!(schema.triple_count(), 1);
///
/// let err = relationship_schema_parse::parse_str(r#"{"name": "x", "typs": []}"#, "x.json")
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown key `typs` in the schema at x.json:1:15; did you mean `types`?"));
/// ```
pub fn parse_str(source: &str, path: impl AsRef<Path>) -> Result<Schema, SchemaErrors> {
    let path = path.as_ref();
    if source.len() > limits::MAX_SCHEMA_BYTES {
        return Err(too_big(path, source.len()));
    }
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut cx = Cx::new(text, path.to_path_buf());
    let Some(raw) = read_document(&mut cx, text) else {
        return Err(cx.finish());
    };
    match declare_and_expand(&mut cx, raw) {
        Some(schema) if cx.is_clean() => Ok(schema),
        _ => Err(cx.finish()),
    }
}

/// Reads, parses, validates and expands a schema file.
///
/// An unreadable file or a file that is not UTF-8 is reported as a [`SchemaError`] like
/// any other defect.
pub fn load(path: impl AsRef<Path>) -> Result<Schema, SchemaErrors> {
    let path = path.as_ref();
    let io = |e: std::io::Error| SchemaError::new(path, 0, 0, ErrorKind::Io(e.to_string()));
    let bytes = read_bounded(path).map_err(io)?;
    if bytes.len() > limits::MAX_SCHEMA_BYTES {
        // Reading stopped one byte past the limit: a regular file's size says how big it is.
        let size = std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file);
        let size = size.map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
        return Err(too_big(path, size.max(bytes.len())));
    }
    match String::from_utf8(bytes) {
        Ok(text) => parse_str(&text, path),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            let (line, column) = Lines::new(&prefix).position(valid);
            Err(SchemaError::new(path, line, column, ErrorKind::NotUtf8).into())
        }
    }
}

/// The bytes of a file, at most one past [`limits::MAX_SCHEMA_BYTES`], whatever the file is
/// (a pipe, `/dev/zero`): a longer result means the file is too big.
pub(crate) fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limits::MAX_SCHEMA_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_big(path: &Path, found: usize) -> SchemaErrors {
    let (what, max) = ("the file (bytes)", limits::MAX_SCHEMA_BYTES);
    SchemaError::new(path, 0, 0, ErrorKind::Limit { what, found, max }).into()
}

/// Pass 3: names, references and expansion, ending in [`SchemaBuilder::build`].
fn declare_and_expand(cx: &mut Cx, raw: RawSchema) -> Option<Schema> {
    let mut builder = SchemaBuilder::new(raw.name);
    builder.source(cx.path.clone());
    let types = declare_types(cx, &mut builder, raw.types);
    let mut refs = declare_groups(cx, &mut builder, raw.groups, &types);
    let rels = declare_relationships(cx, raw.relationships);
    let product = types.names.len().saturating_mul(rels.list.len());
    if product > limits::MAX_TYPES_TIMES_RELATIONSHIPS {
        // Generated code holds an item per (type, relationship): refused before any work.
        let at = rels.list.last().map_or(0, |r| r.name.at);
        let max = limits::MAX_TYPES_TIMES_RELATIONSHIPS;
        let kind = ErrorKind::TooMany("types times relationship names", max);
        cx.error(at, kind);
        return None;
    }
    let reverse_only = declare_reverse_only(cx, raw.reverse_only, &rels);
    check_relationships(cx, &rels, &reverse_only);
    let mut budget = Budget::TRIPLES;
    let own: Vec<Expanded> = rels
        .list
        .iter()
        .map(|r| own_pairs(cx, r, &mut refs, &mut budget))
        .collect();
    let full = derived_pairs(cx, &rels, &own);
    for name in reverse_only.list {
        builder.add_reverse_only(name.v);
    }
    add_relationships(cx, &mut builder, rels.list, full);
    if !cx.is_clean() {
        return None;
    }
    builder
        .build()
        .map_err(|e| cx.error(0, ErrorKind::Model(e)))
        .ok()
}

/// Relationship and reverse-only names that look like another, reverse names, Rust names
/// and shapes; reverse-only names that no relationship uses.
fn check_relationships(cx: &mut Cx, rels: &DeclaredRels, reverse_only: &ReverseOnly) {
    let named = rels
        .list
        .iter()
        .map(|r| (r.name.v.as_str(), "relationship", r.name.at));
    let reverse = reverse_only
        .list
        .iter()
        .map(|n| (n.v.as_str(), "reverse-only", n.at));
    let confusable = check_confusables(cx, named.chain(reverse).collect());
    let mut used_reverse: HashSet<String> = HashSet::new();
    let mut rust_names = RustNames::default();
    for r in &rels.list {
        check_reverse(cx, r, rels, reverse_only, &mut used_reverse);
        // A name that looks like another is reported once: its Rust names are not checked.
        if !confusable.contains(&r.name.v) {
            check_relationship_rust_names(cx, r, &mut rust_names);
        }
        check_shape(cx, r);
    }
    for n in &reverse_only.list {
        if !used_reverse.contains(&n.v) {
            let kind = ErrorKind::UnusedReverseOnly(n.v.clone());
            cx.error_help(n.at, kind, "remove it from `reverse_only`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bounded::post_order;
    use super::*;
    use relationship_schema::{Pairs, Tier};

    #[test]
    fn a_file_past_the_size_limit_is_reported_with_its_size() {
        let path = std::env::temp_dir().join(format!("too-big-{}.json", std::process::id()));
        let size = limits::MAX_SCHEMA_BYTES + 4096;
        let written = std::fs::File::create(&path).and_then(|f| f.set_len(size as u64));
        assert!(written.is_ok(), "{written:?}");
        let err = load(&path).map(|_| ()).unwrap_err().to_string();
        let _ = std::fs::remove_file(&path);
        assert!(
            err.contains(&format!(
                "the file (bytes) is {size}, at most {}",
                limits::MAX_SCHEMA_BYTES
            )),
            "{err}"
        );
    }

    fn ok(src: &str) -> Schema {
        match parse_str(src, "t.json") {
            Ok(s) => s,
            Err(e) => panic!("unexpected errors:\n{e}"),
        }
    }

    fn errs(src: &str) -> Vec<String> {
        match parse_str(src, "t.json") {
            Ok(_) => panic!("expected errors"),
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    fn names(s: &Schema, rel: &str) -> Vec<(String, String, Tier)> {
        let r = s.relationship(rel).unwrap();
        r.explicit_pairs()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    s.ty(p.source).name().to_owned(),
                    s.ty(p.target).name().to_owned(),
                    p.tier,
                )
            })
            .collect()
    }

    const BASE: &str = r#"{
  "name": "t",
  "types": ["A", "B", {"name": "C", "marker": "Cee", "doc": "the C"}],
  "groups": {"ab": ["A", "B"], "abc": ["@ab", "C"]},
  "reverse_only": ["x-of"],
  "relationships": [
    {"name": "r", "reverse": "r-by", "rules": [{"from": "A", "to": ["@ab"], "tier": "extended"},
                                               {"from": ["A"], "to": ["B"]}]},
    {"name": "r-by", "reverse": "r", "derive": [{"swap": "r"}]},
    {"name": "r-by-too", "reverse": "r", "derive": [{"copy": "r-by"}]},
    {"name": "same", "reverse": "same", "same_type": ["@all"], "tier": "extended",
     "rules": [{"from": ["A"], "to": ["C"]}], "symmetric": true},
    {"name": "anything", "reverse": "x-of", "any": true}
  ]
}"#;

    #[test]
    fn expands_rules_derivations_and_symmetry() {
        let s = ok(BASE);
        assert_eq!(s.types()[2].marker(), "Cee");
        assert_eq!(s.types()[2].doc(), "the C");
        assert_eq!(s.types()[0].marker(), "A");
        let members: Vec<&str> = s.groups()[1]
            .members()
            .iter()
            .map(|&id| s.ty(id).name())
            .collect();
        assert_eq!(members, ["A", "B", "C"]);
        use Tier::*;
        let t = |a: &str, b: &str, tier| (a.to_string(), b.to_string(), tier);
        assert_eq!(
            names(&s, "r"),
            vec![t("A", "A", Extended), t("A", "B", Core)]
        );
        assert_eq!(
            names(&s, "r-by"),
            vec![t("A", "A", Extended), t("B", "A", Core)]
        );
        assert_eq!(names(&s, "r-by-too"), names(&s, "r-by"));
        assert_eq!(
            names(&s, "same"),
            vec![
                t("A", "A", Extended),
                t("A", "C", Extended),
                t("B", "B", Extended),
                t("C", "A", Extended),
                t("C", "C", Extended)
            ]
        );
        assert_eq!(s.relationship("anything").unwrap().pairs(), &Pairs::Any);
        assert_eq!(s.reverse_only(), vec!["x-of"]);
        assert_eq!(s.relationship("r-by-too").unwrap().method(), "r_by_too");
        assert_eq!(s.source(), Some(Path::new("t.json")));
    }

    #[test]
    fn own_derivations_allow_mutual_inverses() {
        let s = ok(r#"{"name": "t", "types": ["A", "B"], "relationships": [
            {"name": "contains", "reverse": "part-of", "rules": [{"from": "A", "to": "B"}],
             "derive": [{"swap": "part-of", "own": true}]},
            {"name": "part-of", "reverse": "contains", "rules": [{"from": "A", "to": "A", "tier": "extended"}],
             "derive": [{"swap": "contains", "own": true}]}]}"#);
        let t = |a: &str, b: &str, tier| (a.to_string(), b.to_string(), tier);
        assert_eq!(
            names(&s, "contains"),
            vec![t("A", "A", Tier::Extended), t("A", "B", Tier::Core)]
        );
        assert_eq!(
            names(&s, "part-of"),
            vec![t("A", "A", Tier::Extended), t("B", "A", Tier::Core)]
        );
    }

    #[test]
    fn derived_from_any_is_any() {
        let s = ok(r#"{"name": "t", "types": ["A"], "relationships": [
            {"name": "a", "reverse": "b", "any": true},
            {"name": "b", "reverse": "a", "derive": [{"swap": "a"}]}]}"#);
        assert_eq!(s.relationship("b").unwrap().pairs(), &Pairs::Any);
    }

    #[test]
    fn unknown_type_is_located_and_suggested() {
        let src = "{\"name\": \"t\", \"types\": [\"Attack Pattern\"],\n \"relationships\": [{\"name\": \"u\", \"reverse\": \"u\",\n   \"rules\": [{\"from\": [\"Atack Pattern\"], \"to\": \"Attack Pattern\"}]}]}";
        assert_eq!(
            errs(src),
            vec!["unknown type `Atack Pattern` at t.json:3:24; did you mean `Attack Pattern`?"]
        );
    }

    #[test]
    fn collects_several_errors_in_file_order() {
        let got = errs(
            r#"{"name": "t", "types": ["A", "A"], "relationships": [
  {"name": "r", "reverse": "nope", "rules": [{"from": ["B"], "to": ["A"], "tier": "gold"}]}]}"#,
        );
        assert_eq!(
            got,
            vec![
                "duplicate type `A` (first declared at line 1) at t.json:1:30",
                "unknown reverse name `nope`: it is neither a relationship name nor listed in `reverse_only` at t.json:2:28",
                "unknown type `B` at t.json:2:56",
                "unknown tier `gold` at t.json:2:83; expected `core` or `extended`",
            ]
        );
    }

    #[test]
    fn syntax_error_position() {
        assert_eq!(
            errs("{\"name\": \"t\",\n  \"types\": [\"A\",]}"),
            vec!["invalid JSON: trailing commas are not allowed at t.json:2:16"]
        );
        assert_eq!(
            errs("{\"name\": \"t\" // c\n}"),
            vec!["invalid JSON: comments are not allowed at t.json:1:14"]
        );
        assert_eq!(
            errs("  "),
            vec!["empty schema: expected a JSON object at t.json:1:1"]
        );
        assert_eq!(
            errs("[]"),
            vec!["the schema must be an object, found an array at t.json:1:1"]
        );
    }

    #[test]
    fn derivation_cycle_is_named() {
        let got = errs(
            r#"{"name": "t", "types": ["A"], "relationships": [
  {"name": "a", "reverse": "b", "derive": [{"swap": "b"}]},
  {"name": "b", "reverse": "a", "derive": [{"copy": "a"}]}]}"#,
        );
        assert_eq!(
            got,
            vec!["derivation cycle: `a` -> `b` -> `a` at t.json:2:53"]
        );
    }

    #[test]
    fn group_cycle_and_reserved_names() {
        let got = errs(
            r#"{"name": "t", "types": ["A"], "groups": {"g": ["@h"], "h": ["@g"], "all": ["A"], "A": ["A"]},
  "relationships": [{"name": "a", "reverse": "a", "any": true}]}"#,
        );
        assert_eq!(
            got,
            vec![
                "group cycle: `g` -> `h` -> `g` at t.json:1:42",
                "group name `all` is reserved: `@all` always means every type at t.json:1:68",
                "group `A` has the same name as a type at t.json:1:82; rename the group",
            ]
        );
    }

    #[test]
    fn marker_and_method_problems() {
        let got = errs(
            r#"{"name": "t", "types": ["IPv6 CIDR", "IPv6CIDR", {"name": "x", "marker": "x"}],
  "relationships": [{"name": "type", "reverse": "type", "any": true},
                    {"name": "a-b", "reverse": "a_b", "any": true},
                    {"name": "a_b", "reverse": "a-b", "any": true}]}"#,
        );
        assert_eq!(
            got,
            vec![
                "marker `Ipv6Cidr` of `IPv6CIDR` is also the marker of `IPv6 CIDR` at t.json:1:38; set `marker` on one of them",
                "marker `x` of `x` cannot be used: a marker type must start with an upper-case letter at t.json:1:74; choose another `marker`",
                "method `type` of `type` cannot be used: it is a Rust keyword at t.json:2:30; set `method` on `type` to a valid Rust name",
                "marker `AB` of `a_b` is also the marker of `a-b` at t.json:4:30; set `marker` on one of them",
                "method `a_b` of `a_b` is also the method of `a-b` at t.json:4:30; set `method` on one of them",
            ]
        );
    }

    #[test]
    fn a_name_list_without_a_valid_name_is_empty() {
        let got = errs(
            r#"{"name": "t", "types": ["A"], "groups": {"g": [1]}, "relationships": [{"name": "a", "reverse": "a", "same_type": [2]}]}"#,
        );
        assert_eq!(
            got,
            vec![
                "empty group `g` at t.json:1:47",
                "an entry of group `g` must be a string, found a number at t.json:1:48",
                "empty `same_type` of relationship `a` at t.json:1:114",
                "an entry of `same_type` of relationship `a` must be a string, found a number at t.json:1:115",
            ]
        );
    }

    #[test]
    fn any_false_is_not_a_way_to_allow_pairs() {
        assert_eq!(
            errs(
                r#"{"name": "t", "types": ["A"], "relationships": [{"name": "a", "reverse": "a", "any": false}]}"#
            ),
            vec![
                "relationship `a` allows no pair: give it `rules`, `same_type`, `derive` or `any` at t.json:1:49"
            ]
        );
        let s = ok(
            r#"{"name": "t", "types": ["A"], "relationships": [{"name": "a", "reverse": "a", "any": false, "same_type": "A"}]}"#,
        );
        assert_eq!(s.triple_count(), 1);
    }

    #[test]
    fn control_characters_in_strings() {
        let valid = r#"{"name": "t", "types": ["A"], "relationships": [{"name": "r", "reverse": "r", "any": true}]}"#;
        assert!(parse_str(valid, "t.json").is_ok());
        let raw_newline = valid.replace("\"t\"", "\"a\nb\"");
        let got = parse_str(&raw_newline, "t.json")
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(
            got,
            Err(
                "invalid JSON: control characters in strings must be escaped at t.json:1:12".into()
            )
        );
        // Escaped, a control character is valid JSON; names refuse it, docs keep it.
        let escaped = valid.replace(r#"["A"]"#, r#"[{"name": "A", "doc": "a\nb"}]"#);
        let schema = parse_str(&escaped, "t.json").unwrap();
        assert_eq!(schema.types()[0].doc(), "a\nb");
        let in_name = valid.replace("\"t\"", "\"a\\nb\"");
        let err = parse_str(&in_name, "t.json").unwrap_err().to_string();
        assert!(
            err.contains("schema name `a\\u{a}b` contains the character U+000A"),
            "{err}"
        );
    }

    #[test]
    fn lines_handle_crlf_and_multibyte() {
        let l = Lines::new("a\r\nbé\rc");
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(3), (2, 1));
        assert_eq!(l.position(5), (2, 3));
        assert_eq!(l.position(7), (3, 1));
        assert_eq!(l.position(100), (3, 2));
    }

    #[test]
    fn post_order_reports_self_loop() {
        let (order, cycles) = post_order(&[vec![0], vec![0]]);
        assert_eq!(order, vec![0, 1]);
        assert_eq!(cycles, vec![vec![0, 0]]);
    }

    #[test]
    fn deep_chains_do_not_overflow_the_stack() {
        // The longest chain the limits allow.
        let n = limits::MAX_RELATIONSHIPS;
        let mut rels = vec![
            r#"{"name": "r0", "reverse": "r0", "rules": [{"from": "A", "to": "A"}]}"#.to_string(),
        ];
        for i in 1..n {
            rels.push(format!(
                r#"{{"name": "r{i}", "reverse": "r{i}", "derive": [{{"swap": "r{}"}}]}}"#,
                i - 1
            ));
        }
        let src = format!(
            r#"{{"name": "t", "types": ["A"], "relationships": [{}]}}"#,
            rels.join(",")
        );
        let s = ok(&src);
        assert_eq!(s.triple_count(), n);
    }
}
