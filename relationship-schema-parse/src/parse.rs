//! Parsing, validation and expansion of schema files.
//!
//! A schema file is strict JSON (no comments, no trailing commas), human-edited and checked
//! by `schemas/schema.schema.json`. [`parse_str`] reads it in three passes:
//!
//! 1. syntax: a strict JSON check of our own (`strict`), then [`jsonc_parser`] builds the
//!    tree, in which every node keeps its byte range;
//! 2. structure: keys, value types, required keys (every defect is collected);
//! 3. meaning: names resolved, duplicates, names that deceive (invisible characters,
//!    confusable names: see [`crate::names`]), reverse names, derivation cycles, Rust names
//!    (reserved constructor methods included); then rules, same-type lists, derivations and
//!    symmetry are expanded into the sorted pair lists of [`relationship_schema::model`].
//!
//! Every defect becomes a [`SchemaError`] with file, line, column and, where it helps, the
//! nearest valid names. Errors are collected rather than stopping at the first one; a
//! defect that would cause follow-up errors (a duplicate name, an unknown derivation target)
//! removes the faulty item from later checks instead.
//!
//! # Expansion rules
//!
//! * A rule `{"from": [...], "to": [...]}` allows the cross product of its lists. A list
//!   holds type names, `@group` references and `@all` (every type).
//! * `same_type` allows each listed type with itself.
//! * `derive` adds the pairs of another relationship, swapped (`{"swap": "uses"}`) or as
//!   they are (`{"copy": "communicates-with"}`). The other relationship's full expansion is
//!   used, so derivations chain; a cycle is an error. With `"own": true`, only the other
//!   relationship's own pairs (`rules`, `same_type` and their symmetric closure) are used,
//!   which lets two names each receive the swap of the other (`contains` / `part-of`)
//!   without forming a cycle.
//! * `symmetric` adds the reverse of every pair, after derivations.
//! * `any` allows every pair; it cannot be combined with the keys above. A relationship
//!   that derives from an `any` relationship is `any` too.
//! * Each pair's tier is the strongest (`core` before `extended`) among the rules that
//!   allow it. A rule's tier defaults to its relationship's `tier`, which defaults to
//!   `core`; `same_type` pairs take the relationship's tier; derived pairs keep the tier
//!   they had in the relationship they come from.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, StringLit, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::{names, strict};

use relationship_schema::{
    ErrorKind, Schema, SchemaBuilder, SchemaError, SchemaErrors, Tier, TypeId,
};
use relationship_schema::{limits, naming, suggest, text};

const TOP_KEYS: &[&str] = &[
    "$schema",
    "name",
    "description",
    "types",
    "groups",
    "reverse_only",
    "relationships",
];
const TYPE_KEYS: &[&str] = &["name", "marker", "doc"];
const REL_KEYS: &[&str] = &[
    "name",
    "reverse",
    "doc",
    "marker",
    "method",
    "tier",
    "rules",
    "same_type",
    "derive",
    "symmetric",
    "any",
];
const RULE_KEYS: &[&str] = &["from", "to", "tier"];
const DERIVE_KEYS: &[&str] = &["swap", "copy", "own"];

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
    let mut cx = Cx::new(text, path);
    let raw = match syntax(&mut cx) {
        Some(raw) => raw,
        None => return Err(cx.finish()),
    };
    match meaning(&mut cx, raw) {
        Some(schema) if cx.errors.is_empty() => Ok(schema),
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
    let mut bytes = Vec::new();
    // Read at most one byte past the limit, whatever the file is (a pipe, /dev/zero).
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(limits::MAX_SCHEMA_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(io)?;
    if bytes.len() > limits::MAX_SCHEMA_BYTES {
        return Err(too_big(path, bytes.len()));
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

fn too_big(path: &Path, found: usize) -> SchemaErrors {
    SchemaError::new(
        path,
        0,
        0,
        ErrorKind::Limit {
            what: "the file (bytes)",
            found,
            max: limits::MAX_SCHEMA_BYTES,
        },
    )
    .into()
}

// ---------------------------------------------------------------------------------------
// Positions and error collection
// ---------------------------------------------------------------------------------------

/// Maps byte offsets to 1-based line and character column.
struct Lines<'s> {
    text: &'s str,
    starts: Vec<usize>,
}

impl<'s> Lines<'s> {
    fn new(text: &'s str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { text, starts }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, column + 1)
    }
}

struct Cx<'s> {
    path: PathBuf,
    lines: Lines<'s>,
    errors: Vec<(usize, SchemaError)>,
    /// What the strict syntax check found out about the string literals.
    checked: strict::Checked,
}

impl<'s> Cx<'s> {
    fn new(text: &'s str, path: &Path) -> Self {
        Cx {
            path: path.to_path_buf(),
            lines: Lines::new(text),
            errors: Vec::new(),
            checked: strict::Checked::default(),
        }
    }

    /// The value of a string literal.
    fn lit(&self, s: &StringLit) -> String {
        match self.checked.string(s.start()) {
            Some(v) => v.to_string(),
            None => s.value.to_string(),
        }
    }

    /// The name of an object property.
    fn key(&self, name: &ObjectPropName) -> String {
        match name {
            ObjectPropName::String(s) => self.lit(s),
            ObjectPropName::Word(w) => w.value.to_string(),
        }
    }

    fn line(&self, at: usize) -> usize {
        self.lines.position(at).0
    }

    fn error(&mut self, at: usize, kind: ErrorKind) -> &mut SchemaError {
        let (line, column) = self.lines.position(at);
        self.errors
            .push((at, SchemaError::new(&self.path, line, column, kind)));
        let last = self.errors.len() - 1;
        &mut self.errors[last].1
    }

    fn error_help(&mut self, at: usize, kind: ErrorKind, help: impl Into<String>) {
        self.error(at, kind).help = Some(help.into());
    }

    fn error_suggest<'c>(
        &mut self,
        at: usize,
        kind: ErrorKind,
        input: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        let near = suggest::nearest(input, candidates);
        let e = self.error(at, kind);
        let with = e.clone().with_suggestions(&near);
        *e = with;
    }

    fn finish(mut self) -> SchemaErrors {
        self.errors.sort_by_key(|(at, _)| *at);
        SchemaErrors::new(self.errors.into_iter().map(|(_, e)| e).collect())
    }
}

// ---------------------------------------------------------------------------------------
// Pass 1 and 2: syntax and structure
// ---------------------------------------------------------------------------------------

/// A value with the byte offset of its token.
#[derive(Debug, Clone)]
struct Sp<T> {
    v: T,
    at: usize,
}

struct RawType {
    name: Sp<String>,
    marker: Option<Sp<String>>,
    doc: String,
}

struct RawGroup {
    name: Sp<String>,
    members: Vec<Sp<String>>,
}

struct RawRule {
    from: Vec<Sp<String>>,
    to: Vec<Sp<String>>,
    tier: Option<Tier>,
}

struct RawDerive {
    swap: bool,
    target: Sp<String>,
    own: bool,
}

struct RawRel {
    at: usize,
    name: Sp<String>,
    reverse: Option<Sp<String>>,
    doc: String,
    marker: Option<Sp<String>>,
    method: Option<Sp<String>>,
    tier: Option<Tier>,
    rules: Option<Sp<Vec<RawRule>>>,
    same_type: Option<Sp<Vec<Sp<String>>>>,
    derive: Option<Sp<Vec<RawDerive>>>,
    symmetric: Option<Sp<bool>>,
    any: Option<Sp<bool>>,
    /// Whether any of `rules`, `same_type`, `derive` or `any` is written (even if wrongly
    /// typed or misspelled, which is reported on its own).
    states_pairs: bool,
}

struct RawSchema {
    name: String,
    types: Vec<RawType>,
    groups: Vec<RawGroup>,
    reverse_only: Vec<Sp<String>>,
    relationships: Vec<RawRel>,
}

fn found(v: &Value) -> &'static str {
    match v {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}

fn syntax(cx: &mut Cx) -> Option<RawSchema> {
    let text = cx.lines.text;
    // jsonc_parser reads JSON5 extensions (single quotes, missing commas...) silently:
    // strictness is checked first, by our own scanner.
    cx.checked = match strict::check(text) {
        Ok(checked) => checked,
        Err(defect) => {
            cx.error(defect.at, ErrorKind::Syntax(defect.message));
            return None;
        }
    };
    // JSON forbids raw control characters in strings; the parser lets them through.
    if let Some(at) = raw_control_in_string(text) {
        cx.error(
            at,
            ErrorKind::Syntax("control characters in strings must be escaped".into()),
        );
        return None;
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
    };
    let for_ast = cx.checked.for_ast(text);
    let parsed = match jsonc_parser::parse_to_ast(&for_ast, &CollectOptions::default(), &options) {
        Ok(p) => p,
        Err(e) => {
            // Not expected after the strict check, which refuses more.
            let mut msg = e.kind().to_string();
            if let Some(first) = msg.get(..1) {
                msg = first.to_lowercase() + msg.get(1..).unwrap_or("");
            }
            cx.error(e.range().start, ErrorKind::Syntax(msg));
            return None;
        }
    };
    let Some(root) = parsed.value else {
        cx.error(0, ErrorKind::Empty);
        return None;
    };
    let Value::Object(obj) = &root else {
        cx.error(
            root.start(),
            ErrorKind::WrongType {
                what: "the schema".into(),
                expected: "an object",
                found: found(&root),
            },
        );
        return None;
    };
    Some(top(cx, obj))
}

/// The offset of the first unescaped control character (U+0000 to U+001F) inside a string
/// literal. `text` is known to be syntactically valid JSON apart from that.
fn raw_control_in_string(text: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            } else if b < 0x20 {
                return Some(i);
            }
        } else if b == b'"' {
            in_string = true;
        }
    }
    None
}

/// The known properties of an object; unknown and duplicate keys are reported.
struct Fields<'b, 'a> {
    at: usize,
    props: Vec<(&'static str, &'b ObjectProp<'a>)>,
    /// Known keys that an unknown key was taken for (`form` → `from`); a missing key in
    /// this list is not reported again.
    misspelled: Vec<&'static str>,
}

impl<'b, 'a> Fields<'b, 'a> {
    fn get(&self, key: &str) -> Option<&'b Value<'a>> {
        self.props
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| &p.value)
    }

    /// Whether `key` is present, or misspelled (already reported as an unknown key).
    fn present_or_misspelled(&self, key: &str) -> bool {
        self.get(key).is_some() || self.misspelled.contains(&key)
    }

    fn key_at(&self, key: &str) -> Option<usize> {
        self.props
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| p.start())
    }
}

fn fields<'b, 'a>(
    cx: &mut Cx,
    obj: &'b Object<'a>,
    allowed: &[&'static str],
    context: &str,
) -> Fields<'b, 'a> {
    let mut props: Vec<(&'static str, &'b ObjectProp<'a>)> = Vec::new();
    let mut misspelled = Vec::new();
    for prop in &obj.properties {
        let key = cx.key(&prop.name);
        let key = key.as_str();
        match allowed.iter().find(|k| **k == key) {
            Some(&k) if props.iter().any(|(seen, _)| *seen == k) => {
                cx.error(
                    prop.start(),
                    ErrorKind::DuplicateKey {
                        key: key.to_string(),
                        context: context.to_string(),
                    },
                );
            }
            Some(&k) => props.push((k, prop)),
            None => {
                let near = suggest::nearest(key, allowed.iter().copied());
                if let Some(&first) = near.first() {
                    misspelled.push(first);
                }
                let help = suggest::did_you_mean_of(&near)
                    .unwrap_or_else(|| format!("expected {}", suggest::or_list(allowed)));
                cx.error_help(
                    prop.start(),
                    ErrorKind::UnknownKey {
                        key: key.to_string(),
                        context: context.to_string(),
                    },
                    help,
                );
            }
        }
    }
    Fields {
        at: obj.start(),
        props,
        misspelled,
    }
}

fn wrong(cx: &mut Cx, v: &Value, what: String, expected: &'static str) {
    cx.error(
        v.start(),
        ErrorKind::WrongType {
            what,
            expected,
            found: found(v),
        },
    );
}

fn string(cx: &mut Cx, v: &Value, what: impl FnOnce() -> String) -> Option<Sp<String>> {
    match v {
        Value::StringLit(s) => Some(Sp {
            v: cx.lit(s),
            at: s.start(),
        }),
        other => {
            wrong(cx, other, what(), "a string");
            None
        }
    }
}

fn boolean(cx: &mut Cx, v: &Value, what: impl FnOnce() -> String) -> Option<Sp<bool>> {
    match v {
        Value::BooleanLit(b) => Some(Sp {
            v: b.value,
            at: b.start(),
        }),
        other => {
            wrong(cx, other, what(), "a boolean");
            None
        }
    }
}

fn required<'b, 'a>(
    cx: &mut Cx,
    f: &Fields<'b, 'a>,
    key: &'static str,
    context: &str,
) -> Option<&'b Value<'a>> {
    let v = f.get(key);
    if v.is_none() && !f.misspelled.contains(&key) {
        cx.error(
            f.at,
            ErrorKind::MissingKey {
                key,
                context: context.to_string(),
            },
        );
    }
    v
}

/// A list of names: an array of strings, or a single string.
fn names(cx: &mut Cx, v: &Value, what: &str) -> Option<Sp<Vec<Sp<String>>>> {
    match v {
        Value::StringLit(s) => Some(Sp {
            v: vec![Sp {
                v: cx.lit(s),
                at: s.start(),
            }],
            at: s.start(),
        }),
        Value::Array(a) => {
            let mut out = Vec::new();
            for el in &a.elements {
                if let Some(s) = string(cx, el, || format!("an entry of {what}")) {
                    out.push(s);
                }
            }
            Some(Sp {
                v: out,
                at: a.start(),
            })
        }
        other => {
            wrong(cx, other, what.to_string(), "an array of names");
            None
        }
    }
}

fn tier(cx: &mut Cx, v: &Value, what: impl FnOnce() -> String) -> Option<Tier> {
    let s = string(cx, v, what)?;
    match s.v.as_str() {
        "core" => Some(Tier::Core),
        "extended" => Some(Tier::Extended),
        other => {
            cx.error_help(
                s.at,
                ErrorKind::UnknownTier(other.to_string()),
                "expected `core` or `extended`",
            );
            None
        }
    }
}

fn top(cx: &mut Cx, obj: &Object) -> RawSchema {
    let ctx = "the schema";
    let f = fields(cx, obj, TOP_KEYS, ctx);
    if let Some(v) = f.get("$schema") {
        string(cx, v, || "`$schema`".into());
    }
    if let Some(v) = f.get("description") {
        string(cx, v, || "`description`".into());
    }
    let name = required(cx, &f, "name", ctx)
        .and_then(|v| string(cx, v, || "`name`".into()))
        .map(|s| {
            if s.v.trim().is_empty() {
                cx.error(s.at, ErrorKind::EmptyName("schema"));
            } else {
                check_text(cx, &s, "schema");
            }
            s.v
        })
        .unwrap_or_default();

    let mut types = Vec::new();
    if let Some(v) = required(cx, &f, "types", ctx) {
        match v {
            Value::Array(a) => {
                if a.elements.is_empty() {
                    cx.error(a.start(), ErrorKind::EmptyList("`types`".into()));
                }
                for el in &a.elements {
                    if let Some(t) = type_entry(cx, el) {
                        types.push(t);
                    }
                }
            }
            other => wrong(
                cx,
                other,
                "`types`".into(),
                "an array of type names or type objects",
            ),
        }
    }

    let mut groups = Vec::new();
    if let Some(v) = f.get("groups") {
        match v {
            Value::Object(o) => {
                for prop in &o.properties {
                    let name = Sp {
                        v: cx.key(&prop.name),
                        at: prop.start(),
                    };
                    let what = format!("group `{}`", name.v);
                    if let Some(members) = names(cx, &prop.value, &what) {
                        if members.v.is_empty() {
                            cx.error(members.at, ErrorKind::EmptyList(what));
                        }
                        groups.push(RawGroup {
                            name,
                            members: members.v,
                        });
                    }
                }
            }
            other => wrong(
                cx,
                other,
                "`groups`".into(),
                "an object of group name to member list",
            ),
        }
    }

    let mut reverse_only = Vec::new();
    if let Some(v) = f.get("reverse_only") {
        match v {
            Value::Array(a) => {
                for el in &a.elements {
                    if let Some(s) = string(cx, el, || "an entry of `reverse_only`".into()) {
                        reverse_only.push(s);
                    }
                }
            }
            other => wrong(cx, other, "`reverse_only`".into(), "an array of names"),
        }
    }

    let mut relationships = Vec::new();
    if let Some(v) = required(cx, &f, "relationships", ctx) {
        match v {
            Value::Array(a) => {
                if a.elements.is_empty() {
                    cx.error(a.start(), ErrorKind::EmptyList("`relationships`".into()));
                }
                for el in &a.elements {
                    if let Some(r) = relationship(cx, el) {
                        relationships.push(r);
                    }
                }
            }
            other => wrong(
                cx,
                other,
                "`relationships`".into(),
                "an array of relationship objects",
            ),
        }
    }

    RawSchema {
        name,
        types,
        groups,
        reverse_only,
        relationships,
    }
}

fn type_entry(cx: &mut Cx, v: &Value) -> Option<RawType> {
    match v {
        Value::StringLit(s) => Some(RawType {
            name: Sp {
                v: cx.lit(s),
                at: s.start(),
            },
            marker: None,
            doc: String::new(),
        }),
        Value::Object(o) => {
            let ctx = match o.get_string("name") {
                Some(n) => format!("type `{}`", cx.lit(n)),
                None => "a type".to_string(),
            };
            let f = fields(cx, o, TYPE_KEYS, &ctx);
            let name = required(cx, &f, "name", &ctx)
                .and_then(|v| string(cx, v, || format!("`name` of {ctx}")));
            let marker = f
                .get("marker")
                .and_then(|v| string(cx, v, || format!("`marker` of {ctx}")));
            let doc = f
                .get("doc")
                .and_then(|v| string(cx, v, || format!("`doc` of {ctx}")))
                .map(|s| s.v)
                .unwrap_or_default();
            Some(RawType {
                name: name?,
                marker,
                doc,
            })
        }
        other => {
            wrong(
                cx,
                other,
                "an entry of `types`".into(),
                "a type name or an object with `name`",
            );
            None
        }
    }
}

fn relationship(cx: &mut Cx, v: &Value) -> Option<RawRel> {
    let Value::Object(o) = v else {
        wrong(
            cx,
            v,
            "an entry of `relationships`".into(),
            "a relationship object",
        );
        return None;
    };
    // The name first, so that later messages can say which relationship they are about.
    let name = o
        .properties
        .iter()
        .find(|p| p.name.as_str() == "name")
        .and_then(|p| p.value.as_string_lit())
        .map(|s| cx.lit(s));
    let ctx = match &name {
        Some(n) => format!("relationship `{n}`"),
        None => "a relationship".to_string(),
    };
    let f = fields(cx, o, REL_KEYS, &ctx);
    let name =
        required(cx, &f, "name", &ctx).and_then(|v| string(cx, v, || format!("`name` of {ctx}")));
    let reverse = required(cx, &f, "reverse", &ctx)
        .and_then(|v| string(cx, v, || format!("`reverse` of {ctx}")));
    let doc = f
        .get("doc")
        .and_then(|v| string(cx, v, || format!("`doc` of {ctx}")))
        .map(|s| s.v)
        .unwrap_or_default();
    let marker = f
        .get("marker")
        .and_then(|v| string(cx, v, || format!("`marker` of {ctx}")));
    let method = f
        .get("method")
        .and_then(|v| string(cx, v, || format!("`method` of {ctx}")));
    let default_tier = f
        .get("tier")
        .and_then(|v| tier(cx, v, || format!("`tier` of {ctx}")));
    let symmetric = f
        .get("symmetric")
        .and_then(|v| boolean(cx, v, || format!("`symmetric` of {ctx}")));
    let any = f
        .get("any")
        .and_then(|v| boolean(cx, v, || format!("`any` of {ctx}")));
    let same_type = f
        .get("same_type")
        .and_then(|v| names(cx, v, &format!("`same_type` of {ctx}")));
    if let Some(st) = same_type.as_ref().filter(|st| st.v.is_empty()) {
        cx.error(st.at, ErrorKind::EmptyList(format!("`same_type` of {ctx}")));
    }

    let rules = f.get("rules").and_then(|v| match v {
        Value::Array(a) => {
            if a.elements.is_empty() {
                cx.error(a.start(), ErrorKind::EmptyList(format!("`rules` of {ctx}")));
            }
            let list = a
                .elements
                .iter()
                .filter_map(|el| rule(cx, el, &ctx))
                .collect();
            Some(Sp {
                v: list,
                at: a.start(),
            })
        }
        other => {
            wrong(cx, other, format!("`rules` of {ctx}"), "an array of rules");
            None
        }
    });

    let derive = f.get("derive").and_then(|v| match v {
        Value::Array(a) => {
            if a.elements.is_empty() {
                cx.error(
                    a.start(),
                    ErrorKind::EmptyList(format!("`derive` of {ctx}")),
                );
            }
            let list = a
                .elements
                .iter()
                .filter_map(|el| derivation(cx, el, &ctx))
                .collect();
            Some(Sp {
                v: list,
                at: a.start(),
            })
        }
        other => {
            wrong(
                cx,
                other,
                format!("`derive` of {ctx}"),
                "an array of derivations",
            );
            None
        }
    });

    let any_at = f.key_at("any");
    // `"any": false` states nothing; any other value of `any` (even a wrong one, reported
    // above) counts as an attempt.
    let any_is_false = matches!(f.get("any"), Some(Value::BooleanLit(b)) if !b.value);
    let states_pairs = ["rules", "same_type", "derive"]
        .iter()
        .any(|k| f.present_or_misspelled(k))
        || (f.present_or_misspelled("any") && !any_is_false);
    Some(RawRel {
        at: f.at,
        name: name?,
        reverse,
        doc,
        marker,
        method,
        tier: default_tier,
        rules,
        same_type,
        derive,
        symmetric,
        any: any.map(|a| Sp {
            v: a.v,
            at: any_at.unwrap_or(a.at),
        }),
        states_pairs,
    })
}

fn rule(cx: &mut Cx, v: &Value, rel: &str) -> Option<RawRule> {
    let ctx = format!("a rule of {rel}");
    let Value::Object(o) = v else {
        wrong(cx, v, ctx, "an object with `from` and `to`");
        return None;
    };
    let f = fields(cx, o, RULE_KEYS, &ctx);
    let side = |cx: &mut Cx, key: &'static str| {
        let what = format!("`{key}` of {ctx}");
        let list = required(cx, &f, key, &ctx).and_then(|v| names(cx, v, &what))?;
        if list.v.is_empty() {
            cx.error(
                list.at,
                ErrorKind::EmptyList(format!("`{key}` list of {ctx}")),
            );
        }
        Some(list.v)
    };
    let from = side(cx, "from");
    let to = side(cx, "to");
    let tier = f
        .get("tier")
        .and_then(|v| tier(cx, v, || format!("`tier` of {ctx}")));
    Some(RawRule {
        from: from?,
        to: to?,
        tier,
    })
}

fn derivation(cx: &mut Cx, v: &Value, rel: &str) -> Option<RawDerive> {
    let ctx = format!("a derivation of {rel}");
    let Value::Object(o) = v else {
        wrong(cx, v, ctx, "an object with `swap` or `copy`");
        return None;
    };
    let f = fields(cx, o, DERIVE_KEYS, &ctx);
    let swap = f.get("swap");
    let copy = f.get("copy");
    let own = f
        .get("own")
        .and_then(|v| boolean(cx, v, || format!("`own` of {ctx}")))
        .is_some_and(|b| b.v);
    let (is_swap, target) = match (swap, copy) {
        (Some(s), None) => (true, s),
        (None, Some(c)) => (false, c),
        (Some(_), Some(c)) => {
            cx.error(c.start(), ErrorKind::DeriveKind(ctx));
            return None;
        }
        (None, None) => {
            cx.error(f.at, ErrorKind::DeriveKind(ctx));
            return None;
        }
    };
    let key = if is_swap { "swap" } else { "copy" };
    let target = string(cx, target, || format!("`{key}` of {ctx}"))?;
    Some(RawDerive {
        swap: is_swap,
        target,
        own,
    })
}

// ---------------------------------------------------------------------------------------
// Pass 3: meaning and expansion
// ---------------------------------------------------------------------------------------

/// Checks a declared name; false when it is unusable (the error is reported).
fn check_name(cx: &mut Cx, name: &Sp<String>, what: &'static str, allow_at: bool) -> bool {
    if name.v.is_empty() {
        cx.error(name.at, ErrorKind::EmptyName(what));
        return false;
    }
    if !check_text(cx, name, what) {
        return false;
    }
    if name.v.trim() != name.v {
        cx.error(
            name.at,
            ErrorKind::Whitespace {
                what,
                name: name.v.clone(),
            },
        );
        return false;
    }
    if !allow_at && name.v.starts_with('@') {
        cx.error(
            name.at,
            ErrorKind::AtSign {
                what,
                name: name.v.clone(),
            },
        );
        return false;
    }
    true
}

/// A name is data that generated code quotes: no control, line-separator or bidirectional
/// characters, no invisible characters (format characters and default-ignorables, see
/// [`names`]), and a bounded length. Reports the first problem and returns `false`.
fn check_text(cx: &mut Cx, name: &Sp<String>, what: &'static str) -> bool {
    if let Some(c) = name.v.chars().find(|&c| text::is_unsafe(c)) {
        cx.error(
            name.at,
            ErrorKind::UnsafeCharacter {
                what,
                name: text::excerpt(&name.v, limits::MAX_QUOTED_CHARS).into_owned(),
                code: u32::from(c),
            },
        );
        return false;
    }
    if let Some((c, class)) = names::find_invisible(&name.v) {
        cx.error(
            name.at,
            ErrorKind::InvisibleCharacter {
                what,
                name: names::shown(&name.v),
                code: u32::from(c),
                class,
            },
        );
        return false;
    }
    let chars = name.v.chars().count();
    if chars > limits::MAX_NAME_CHARS {
        cx.error(
            name.at,
            ErrorKind::NameTooLong {
                what,
                name: text::excerpt(&name.v, limits::MAX_QUOTED_CHARS).into_owned(),
                chars,
                max: limits::MAX_NAME_CHARS,
            },
        );
        return false;
    }
    true
}

/// The names of one kind seen so far, by confusable skeleton (see [`names`]).
#[derive(Default)]
struct Looks {
    seen: HashMap<String, (String, &'static str, usize)>,
}

impl Looks {
    /// Registers `name`, or reports it when it looks like an earlier name without being
    /// equal to it, with both names and positions; false when reported.
    fn check(&mut self, cx: &mut Cx, name: &str, what: &'static str, at: usize) -> bool {
        let skeleton = names::skeleton(name);
        match self.seen.get(&skeleton) {
            Some((other, other_what, other_pos)) if other != name => {
                let (line, column) = cx.lines.position(*other_pos);
                let other_at = format!("{}:{line}:{column}", cx.path.display());
                let help = format!(
                    "they are spelled `{}` and `{}`; rename one of them",
                    names::spelled(name),
                    names::spelled(other)
                );
                cx.error_help(
                    at,
                    ErrorKind::ConfusableName {
                        what,
                        name: names::shown(name),
                        other_what,
                        other: names::shown(other),
                        other_at,
                    },
                    help,
                );
                false
            }
            Some(_) => true,
            None => {
                self.seen.insert(skeleton, (name.to_string(), what, at));
                true
            }
        }
    }
}

/// Checks `entries` (name, what it is, offset) in file order for names that look like an
/// earlier one; returns the names reported.
fn check_confusables(
    cx: &mut Cx,
    mut entries: Vec<(&str, &'static str, usize)>,
) -> HashSet<String> {
    entries.sort_by_key(|&(_, _, at)| at);
    let mut looks = Looks::default();
    let mut reported = HashSet::new();
    for (name, what, at) in entries {
        if !looks.check(cx, name, what, at) {
            reported.insert(name.to_string());
        }
    }
    reported
}

/// A Rust name to register: which kind, the identifier, the schema name it is for, where
/// it was written and whether the schema gave it explicitly.
struct RustName<'a> {
    what: &'static str,
    ident: &'a str,
    owner: &'a str,
    at: usize,
    explicit: bool,
}

/// Registers a Rust name, reporting invalid identifiers and collisions.
fn rust_name(
    cx: &mut Cx,
    seen: &mut HashMap<String, String>,
    name: RustName<'_>,
    check: fn(&str) -> Result<(), naming::IdentProblem>,
) {
    let RustName {
        what,
        ident,
        owner,
        at,
        explicit,
    } = name;
    if let Err(problem) = check(ident) {
        let help = if matches!(problem, naming::IdentProblem::Reserved(_)) {
            format!("set `{what}` on `{owner}` to another name")
        } else if explicit {
            format!("choose another `{what}`")
        } else {
            format!("set `{what}` on `{owner}` to a valid Rust name")
        };
        cx.error_help(
            at,
            ErrorKind::InvalidIdentifier {
                what,
                ident: ident.to_string(),
                name: owner.to_string(),
                reason: problem.describe(),
            },
            help,
        );
        return;
    }
    if let Some(other) = seen.get(ident) {
        let other = other.clone();
        cx.error_help(
            at,
            ErrorKind::IdentCollision {
                what,
                ident: ident.to_string(),
                name: owner.to_string(),
                other,
            },
            format!("set `{what}` on one of them"),
        );
        return;
    }
    seen.insert(ident.to_string(), owner.to_string());
}

/// Depth-first post-order over `edges` without recursion; back edges are returned as
/// cycles (node lists that start and end with the same node).
fn post_order(edges: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = edges.len();
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    let mut cycles = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            if let Some(&t) = edges[node].get(next) {
                top.1 += 1;
                match state[t] {
                    0 => {
                        state[t] = 1;
                        stack.push((t, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(s, _)| *s == t).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|(s, _)| *s).collect();
                        cycle.push(t);
                        cycles.push(cycle);
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                order.push(node);
                stack.pop();
            }
        }
    }
    (order, cycles)
}

type PairSet = BTreeMap<(TypeId, TypeId), Tier>;

#[derive(Clone)]
enum Expanded {
    Any,
    Only(PairSet),
}

fn add(set: &mut PairSet, key: (TypeId, TypeId), tier: Tier) {
    set.entry(key)
        .and_modify(|t| *t = (*t).min(tier))
        .or_insert(tier);
}

fn symmetric_closure(set: &mut PairSet) {
    let swapped: Vec<_> = set.iter().map(|(&(s, t), &tier)| ((t, s), tier)).collect();
    for (k, tier) in swapped {
        add(set, k, tier);
    }
}

/// Resolves type and group references.
struct Refs<'r> {
    type_ids: &'r HashMap<String, TypeId>,
    type_names: &'r [String],
    group_names: Vec<String>,
    /// Declared groups, resolved or not (a group in a cycle is never resolved).
    declared_groups: HashSet<String>,
    group_members: HashMap<String, Vec<TypeId>>,
    all: Vec<TypeId>,
    /// Type ids produced by resolving references, bounded.
    work: Budget,
}

impl Refs<'_> {
    fn candidates(&self) -> impl Iterator<Item = &str> {
        self.type_names
            .iter()
            .map(String::as_str)
            .chain(self.group_names.iter().map(String::as_str))
            .chain(std::iter::once("@all"))
    }

    /// Appends the types a reference stands for; unknown references are reported.
    fn resolve(&self, cx: &mut Cx, r: &Sp<String>, out: &mut Vec<TypeId>) {
        if let Some(group) = r.v.strip_prefix('@') {
            if group == "all" {
                out.extend_from_slice(&self.all);
            } else if let Some(m) = self.group_members.get(group) {
                out.extend_from_slice(m);
            } else if !self.declared_groups.contains(group) {
                cx.error_suggest(
                    r.at,
                    ErrorKind::UnknownGroup(group.to_string()),
                    &r.v,
                    self.candidates(),
                );
            }
        } else if let Some(&id) = self.type_ids.get(&r.v) {
            out.push(id);
        } else {
            cx.error_suggest(
                r.at,
                ErrorKind::UnknownType(r.v.clone()),
                &r.v,
                self.candidates(),
            );
        }
    }

    /// The types `refs` stand for, without duplicates, in first-seen order. What the
    /// references expand to is charged to the resolution budget.
    fn resolve_all(&mut self, cx: &mut Cx, refs: &[Sp<String>]) -> Vec<TypeId> {
        let mut out = Vec::new();
        for r in refs {
            let before = out.len();
            self.resolve(cx, r, &mut out);
            if !self.work.take(cx, r.at, out.len() - before) {
                out.truncate(before);
                break;
            }
        }
        let mut seen = HashSet::new();
        out.retain(|id| seen.insert(*id));
        out
    }
}

/// The declared types, in order: name, marker and doc, with the name's position.
struct DeclaredTypes {
    ids: HashMap<String, TypeId>,
    names: Vec<String>,
    all: Vec<TypeId>,
}

/// Pass 3: names, references and expansion, ending in [`SchemaBuilder::build`].
fn meaning(cx: &mut Cx, raw: RawSchema) -> Option<Schema> {
    let mut builder = SchemaBuilder::new(raw.name);
    builder.source(cx.path.clone());
    let types = declare_types(cx, &mut builder, raw.types);
    let mut refs = declare_groups(cx, &mut builder, raw.groups, &types);
    let rels = declare_relationships(cx, raw.relationships);
    let product = types.names.len().saturating_mul(rels.list.len());
    if product > limits::MAX_TYPES_TIMES_RELATIONSHIPS {
        // Generated code holds an item per (type, relationship): refused before any work.
        let at = rels.list.last().map_or(0, |r| r.name.at);
        cx.error(
            at,
            ErrorKind::TooMany(
                "types times relationship names",
                limits::MAX_TYPES_TIMES_RELATIONSHIPS,
            ),
        );
        return None;
    }
    let reverse_only = declare_reverse_only(cx, &raw.reverse_only, &rels);
    let rel_like = rels
        .list
        .iter()
        .map(|r| (r.name.v.as_str(), "relationship", r.name.at))
        .chain(
            reverse_only
                .at
                .iter()
                .map(|(n, &at)| (n.as_str(), "reverse-only", at)),
        )
        .collect();
    let confusable = check_confusables(cx, rel_like);
    let rel_names: Vec<String> = rels.list.iter().map(|r| r.name.v.clone()).collect();
    let mut used_reverse: HashSet<String> = HashSet::new();
    let mut markers: HashMap<String, String> = HashMap::new();
    let mut methods: HashMap<String, String> = HashMap::new();
    for r in &rels.list {
        check_reverse(cx, r, &rels, &reverse_only, &mut used_reverse);
        // A name that looks like another is reported once: its Rust names are not checked.
        if !confusable.contains(&r.name.v) {
            check_rust_names(cx, r, &mut markers, &mut methods);
        }
        check_shape(cx, r);
    }
    for n in &raw.reverse_only {
        if reverse_only.at.get(&n.v) == Some(&n.at) && !used_reverse.contains(&n.v) {
            cx.error_help(
                n.at,
                ErrorKind::UnusedReverseOnly(n.v.clone()),
                "remove it from `reverse_only`",
            );
        }
    }
    let mut budget = Budget::triples();
    let own: Vec<Expanded> = rels
        .list
        .iter()
        .map(|r| own_pairs(cx, r, &mut refs, &mut budget))
        .collect();
    let (full, in_cycle) = derived_pairs(cx, &rels, &rel_names, &own);
    for name in reverse_only.names {
        builder.add_reverse_only(name);
    }
    add_relationships(cx, &mut builder, rels.list, full, &in_cycle);
    if !cx.errors.is_empty() {
        return None;
    }
    match builder.build() {
        Ok(schema) => Some(schema),
        Err(e) => {
            cx.error(0, ErrorKind::Model(e));
            None
        }
    }
}

/// Types: names checked, duplicates reported, markers derived or taken and checked.
fn declare_types(cx: &mut Cx, builder: &mut SchemaBuilder, raw: Vec<RawType>) -> DeclaredTypes {
    // Types and relationships get their markers in separate modules, so each kind has its
    // own namespace.
    let mut markers: HashMap<String, String> = HashMap::new();
    let mut looks = Looks::default();
    let mut ids: HashMap<String, TypeId> = HashMap::new();
    let mut at_of: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut all: Vec<TypeId> = Vec::new();
    for t in raw {
        if !check_name(cx, &t.name, "type", false) {
            continue;
        }
        if let Some(&first) = at_of.get(&t.name.v) {
            let first_line = cx.line(first);
            cx.error(
                t.name.at,
                ErrorKind::DuplicateType {
                    name: t.name.v.clone(),
                    first_line,
                },
            );
            continue;
        }
        if names.len() >= limits::MAX_TYPES {
            cx.error(t.name.at, ErrorKind::TooMany("types", limits::MAX_TYPES));
            break;
        }
        // A type that looks like another is reported once: its marker is not checked.
        let distinct = looks.check(cx, &t.name.v, "type", t.name.at);
        let (marker, marker_at, explicit) = match &t.marker {
            Some(m) => (m.v.clone(), m.at, true),
            None => (naming::type_marker(&t.name.v), t.name.at, false),
        };
        if !distinct {
            // Reported above.
        } else if marker.is_empty() && !explicit {
            cx.error_help(
                t.name.at,
                ErrorKind::NoRustName {
                    what: "type",
                    name: t.name.v.clone(),
                },
                "set `marker`",
            );
        } else {
            let name = RustName {
                what: "marker",
                ident: &marker,
                owner: &t.name.v,
                at: marker_at,
                explicit,
            };
            rust_name(cx, &mut markers, name, naming::check_marker);
        }
        let id = builder.add_type_with(t.name.v.clone(), marker, t.doc);
        ids.insert(t.name.v.clone(), id);
        at_of.insert(t.name.v.clone(), t.name.at);
        names.push(t.name.v);
        all.push(id);
    }
    DeclaredTypes { ids, names, all }
}

/// Groups: names first, then members in dependency order (cycles reported).
fn declare_groups<'t>(
    cx: &mut Cx,
    builder: &mut SchemaBuilder,
    raw: Vec<RawGroup>,
    types: &'t DeclaredTypes,
) -> Refs<'t> {
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<RawGroup> = Vec::new();
    for g in raw {
        if !check_name(cx, &g.name, "group", false) {
            continue;
        }
        if g.name.v == "all" {
            cx.error(g.name.at, ErrorKind::ReservedGroup(g.name.v.clone()));
            continue;
        }
        if let Some(&first) = group_index.get(&g.name.v) {
            let first_line = cx.line(kept[first].name.at);
            cx.error(
                g.name.at,
                ErrorKind::DuplicateGroup {
                    name: g.name.v.clone(),
                    first_line,
                },
            );
            continue;
        }
        if types.ids.contains_key(&g.name.v) {
            cx.error_help(
                g.name.at,
                ErrorKind::GroupNamesType(g.name.v.clone()),
                "rename the group",
            );
        }
        group_index.insert(g.name.v.clone(), kept.len());
        kept.push(g);
    }
    check_confusables(
        cx,
        kept.iter()
            .map(|g| (g.name.v.as_str(), "group", g.name.at))
            .collect(),
    );
    let edges: Vec<Vec<usize>> = kept
        .iter()
        .map(|g| {
            g.members
                .iter()
                .filter_map(|m| m.v.strip_prefix('@'))
                .filter_map(|name| group_index.get(name).copied())
                .collect()
        })
        .collect();
    let (order, cycles) = post_order(&edges);
    for cycle in cycles {
        let names = cycle.iter().map(|&i| kept[i].name.v.clone()).collect();
        cx.error(kept[cycle[0]].name.at, ErrorKind::GroupCycle(names));
    }
    let mut refs = Refs {
        type_ids: &types.ids,
        type_names: &types.names,
        group_names: kept.iter().map(|g| format!("@{}", g.name.v)).collect(),
        declared_groups: group_index.keys().cloned().collect(),
        group_members: HashMap::new(),
        all: types.all.clone(),
        work: Budget::resolution_work(),
    };
    let mut members_of: Vec<Vec<TypeId>> = vec![Vec::new(); kept.len()];
    for gi in order {
        let members = refs.resolve_all(cx, &kept[gi].members);
        refs.group_members
            .insert(kept[gi].name.v.clone(), members.clone());
        members_of[gi] = members;
    }
    for (g, members) in kept.into_iter().zip(members_of) {
        builder.add_group(g.name.v, members);
    }
    refs
}

/// The relationships kept after name checks, and their positions by name.
struct DeclaredRels {
    list: Vec<RawRel>,
    index: HashMap<String, usize>,
}

/// Relationship names: checked, duplicates reported and dropped.
fn declare_relationships(cx: &mut Cx, raw: Vec<RawRel>) -> DeclaredRels {
    let mut list: Vec<RawRel> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in raw {
        if !check_name(cx, &r.name, "relationship", true) {
            continue;
        }
        if let Some(&first) = index.get(&r.name.v) {
            let first_line = cx.line(list[first].name.at);
            cx.error(
                r.name.at,
                ErrorKind::DuplicateRelationship {
                    name: r.name.v.clone(),
                    first_line,
                },
            );
            continue;
        }
        if list.len() >= limits::MAX_RELATIONSHIPS {
            cx.error(
                r.name.at,
                ErrorKind::TooMany("relationships", limits::MAX_RELATIONSHIPS),
            );
            break;
        }
        index.insert(r.name.v.clone(), list.len());
        list.push(r);
    }
    DeclaredRels { list, index }
}

/// The reverse-only names kept, in order, and the position of each.
struct ReverseOnly {
    names: Vec<String>,
    at: HashMap<String, usize>,
}

/// Reverse-only names: checked, duplicates and relationship names reported.
fn declare_reverse_only(cx: &mut Cx, raw: &[Sp<String>], rels: &DeclaredRels) -> ReverseOnly {
    let mut names: Vec<String> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for n in raw {
        if !check_name(cx, n, "reverse-only", true) {
            continue;
        }
        if let Some(&first) = at.get(&n.v) {
            let first_line = cx.line(first);
            cx.error(
                n.at,
                ErrorKind::DuplicateReverseOnly {
                    name: n.v.clone(),
                    first_line,
                },
            );
            continue;
        }
        if rels.index.contains_key(&n.v) {
            cx.error_help(
                n.at,
                ErrorKind::ReverseOnlyIsRelationship(n.v.clone()),
                "remove it from `reverse_only`",
            );
            continue;
        }
        at.insert(n.v.clone(), n.at);
        names.push(n.v.clone());
    }
    ReverseOnly { names, at }
}

/// A relationship's reverse name must be a relationship or a reverse-only name.
fn check_reverse(
    cx: &mut Cx,
    r: &RawRel,
    rels: &DeclaredRels,
    reverse_only: &ReverseOnly,
    used: &mut HashSet<String>,
) {
    match &r.reverse {
        Some(rev) if rev.v.is_empty() => {
            cx.error(rev.at, ErrorKind::EmptyName("reverse"));
        }
        Some(rev) if !check_text(cx, rev, "reverse") => {}
        Some(rev) => {
            if rels.index.contains_key(&rev.v) || reverse_only.at.contains_key(&rev.v) {
                used.insert(rev.v.clone());
            } else {
                let candidates = rels
                    .list
                    .iter()
                    .map(|r| r.name.v.as_str())
                    .chain(reverse_only.names.iter().map(String::as_str));
                cx.error_suggest(
                    rev.at,
                    ErrorKind::UnknownReverse(rev.v.clone()),
                    &rev.v,
                    candidates,
                );
            }
        }
        None => {}
    }
}

/// A relationship's marker and method: derived or given, valid and unique.
fn check_rust_names(
    cx: &mut Cx,
    r: &RawRel,
    markers: &mut HashMap<String, String>,
    methods: &mut HashMap<String, String>,
) {
    let no_words = naming::words(&r.name.v).is_empty();
    if no_words && (r.marker.is_none() || r.method.is_none()) {
        let missing: Vec<&str> = [
            ("`marker`", r.marker.is_none()),
            ("`method`", r.method.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| *k)
        .collect();
        cx.error_help(
            r.name.at,
            ErrorKind::NoRustName {
                what: "relationship",
                name: r.name.v.clone(),
            },
            format!("set {}", missing.join(" and ")),
        );
    }
    let (marker, at, explicit) = match &r.marker {
        Some(m) => (m.v.clone(), m.at, true),
        None => (naming::relationship_marker(&r.name.v), r.name.at, false),
    };
    if explicit || !no_words {
        let name = RustName {
            what: "marker",
            ident: &marker,
            owner: &r.name.v,
            at,
            explicit,
        };
        rust_name(cx, markers, name, naming::check_marker);
    }
    let (method, at, explicit) = match &r.method {
        Some(m) => (m.v.clone(), m.at, true),
        None => (naming::relationship_method(&r.name.v), r.name.at, false),
    };
    if explicit || !no_words {
        let name = RustName {
            what: "method",
            ident: &method,
            owner: &r.name.v,
            at,
            explicit,
        };
        rust_name(cx, methods, name, naming::check_method);
    }
}

/// `any` excludes every other way of stating pairs; without it, some way must be given.
fn check_shape(cx: &mut Cx, r: &RawRel) {
    let is_any = r.any.as_ref().is_some_and(|a| a.v);
    if is_any {
        let at = r.any.as_ref().map_or(r.at, |a| a.at);
        let conflicts = [
            ("rules", r.rules.is_some()),
            ("same_type", r.same_type.is_some()),
            ("derive", r.derive.is_some()),
            ("symmetric", r.symmetric.is_some()),
            ("tier", r.tier.is_some()),
        ];
        for (key, present) in conflicts {
            if present {
                cx.error(
                    at,
                    ErrorKind::ConflictingKeys {
                        name: r.name.v.clone(),
                        key,
                    },
                );
            }
        }
    } else if !r.states_pairs {
        cx.error(r.at, ErrorKind::NoPairs(r.name.v.clone()));
    }
}

/// How many expanded pairs the schema has used of [`limits::MAX_TRIPLES`]; reports once
/// when a step would go past it.
struct Budget {
    what: &'static str,
    max: usize,
    used: usize,
    exceeded: bool,
}

impl Budget {
    /// The budget of expanded triples.
    fn triples() -> Self {
        Budget {
            what: "the number of expanded triples",
            max: limits::MAX_TRIPLES,
            used: 0,
            exceeded: false,
        }
    }

    /// The budget of type ids that type and group references expand to (ten times the
    /// triples).
    fn resolution_work() -> Self {
        Budget {
            what: "the number of types that references expand to",
            max: limits::MAX_TRIPLES.saturating_mul(10),
            used: 0,
            exceeded: false,
        }
    }

    /// The budget of pairs copied by derivations (ten times the triples: a derivation may
    /// copy pairs that another already holds).
    fn derivation_work() -> Self {
        Budget {
            what: "the number of pairs copied by derivations",
            max: limits::MAX_TRIPLES.saturating_mul(10),
            used: 0,
            exceeded: false,
        }
    }

    /// Takes `n` more pairs; `false` (reported at `at`) when that exceeds the limit.
    fn take(&mut self, cx: &mut Cx, at: usize, n: usize) -> bool {
        if self.exceeded {
            return false;
        }
        self.used = self.used.saturating_add(n);
        if self.used > self.max {
            self.exceeded = true;
            cx.error(
                at,
                ErrorKind::Limit {
                    what: self.what,
                    found: self.used,
                    max: self.max,
                },
            );
            return false;
        }
        true
    }
}

/// A relationship's own pairs: rules, same_type and their symmetric closure. Each cross
/// product is sized against the budget before it is expanded.
fn own_pairs(cx: &mut Cx, r: &RawRel, refs: &mut Refs, budget: &mut Budget) -> Expanded {
    if r.any.as_ref().is_some_and(|a| a.v) {
        return Expanded::Any;
    }
    let default_tier = r.tier.unwrap_or_default();
    let mut set = PairSet::new();
    for rule in r.rules.iter().flat_map(|rs| &rs.v) {
        let from = refs.resolve_all(cx, &rule.from);
        let to = refs.resolve_all(cx, &rule.to);
        let symmetric = if r.symmetric.as_ref().is_some_and(|s| s.v) {
            2
        } else {
            1
        };
        let product = from
            .len()
            .saturating_mul(to.len())
            .saturating_mul(symmetric);
        if !budget.take(cx, r.at, product) {
            return Expanded::Only(PairSet::new());
        }
        let tier = rule.tier.unwrap_or(default_tier);
        for &s in &from {
            for &t in &to {
                add(&mut set, (s, t), tier);
            }
        }
    }
    if let Some(st) = &r.same_type {
        for id in refs.resolve_all(cx, &st.v) {
            add(&mut set, (id, id), default_tier);
        }
    }
    if r.symmetric.as_ref().is_some_and(|s| s.v) {
        symmetric_closure(&mut set);
    }
    Expanded::Only(set)
}

/// Derivations: targets resolved, cycles reported, expanded in dependency order. Returns
/// each relationship's full expansion (`None` inside a cycle) and whether it is in a cycle.
fn derived_pairs(
    cx: &mut Cx,
    rels: &DeclaredRels,
    rel_names: &[String],
    own: &[Expanded],
) -> (Vec<Option<Expanded>>, Vec<bool>) {
    let mut triples = Budget::triples();
    let mut work = Budget::derivation_work();
    let n = rels.list.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut targets: Vec<Vec<(usize, &RawDerive)>> = vec![Vec::new(); n];
    for (i, r) in rels.list.iter().enumerate() {
        for d in r.derive.iter().flat_map(|ds| &ds.v) {
            match rels.index.get(&d.target.v) {
                Some(&t) => {
                    if !d.own {
                        edges[i].push(t);
                    }
                    targets[i].push((t, d));
                }
                None => cx.error_suggest(
                    d.target.at,
                    ErrorKind::UnknownRelationship(d.target.v.clone()),
                    &d.target.v,
                    rel_names.iter().map(String::as_str),
                ),
            }
        }
    }
    let (order, cycles) = post_order(&edges);
    let mut in_cycle = vec![false; n];
    for cycle in cycles {
        for &i in &cycle {
            in_cycle[i] = true;
        }
        let names = cycle.iter().map(|&i| rels.list[i].name.v.clone()).collect();
        let first = cycle[0];
        let next = cycle.get(1).copied().unwrap_or(first);
        let at = targets[first]
            .iter()
            .find(|(t, d)| *t == next && !d.own)
            .map_or(rels.list[first].name.at, |(_, d)| d.target.at);
        cx.error(at, ErrorKind::DerivationCycle(names));
    }
    let mut full: Vec<Option<Expanded>> = vec![None; n];
    for i in order {
        let mut result = own[i].clone();
        for &(t, d) in &targets[i] {
            let source = if d.own {
                Some(&own[t])
            } else {
                full[t].as_ref()
            };
            let size = match source {
                Some(Expanded::Only(pairs)) => pairs.len(),
                _ => 0,
            };
            if !work.take(cx, d.target.at, size) {
                break;
            }
            merge_derived(&mut result, source, d.swap);
        }
        if let Expanded::Only(set) = &mut result {
            if rels.list[i].symmetric.as_ref().is_some_and(|s| s.v) {
                symmetric_closure(set);
            }
            if !triples.take(cx, rels.list[i].at, set.len()) {
                set.clear();
            }
        }
        full[i] = Some(result);
    }
    (full, in_cycle)
}

/// Adds the pairs of a derivation's source (swapped or as they are) to `result`.
fn merge_derived(result: &mut Expanded, source: Option<&Expanded>, swap: bool) {
    match (source, result) {
        (None, _) | (_, Expanded::Any) => {}
        (Some(Expanded::Any), r) => *r = Expanded::Any,
        (Some(Expanded::Only(pairs)), Expanded::Only(set)) => {
            for (&(s, t), &tier) in pairs {
                let key = if swap { (t, s) } else { (s, t) };
                add(set, key, tier);
            }
        }
    }
}

/// Hands every relationship and its expanded pairs to the builder; a relationship that
/// expands to nothing is an error (unless earlier errors explain it).
fn add_relationships(
    cx: &mut Cx,
    builder: &mut SchemaBuilder,
    rels: Vec<RawRel>,
    full: Vec<Option<Expanded>>,
    in_cycle: &[bool],
) {
    for (i, (r, expanded)) in rels.into_iter().zip(full).enumerate() {
        let marker = r
            .marker
            .map_or_else(|| naming::relationship_marker(&r.name.v), |m| m.v);
        let method = r
            .method
            .map_or_else(|| naming::relationship_method(&r.name.v), |m| m.v);
        let reverse = r.reverse.map(|s| s.v).unwrap_or_default();
        let id = builder.add_relationship_with(r.name.v.clone(), reverse, marker, method, r.doc);
        match expanded.unwrap_or(Expanded::Only(PairSet::new())) {
            Expanded::Any => {
                builder.allow_any(id);
            }
            Expanded::Only(set) => {
                if set.is_empty() && !in_cycle[i] && cx.errors.is_empty() {
                    cx.error(r.at, ErrorKind::ExpandsToNothing(r.name.v.clone()));
                }
                for ((source, target), tier) in set {
                    builder.allow(id, source, target, tier);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use relationship_schema::Pairs;

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
