//! XSOAR indicator-type definitions into a schema: the library part of
//! `xsoar-rel schema import-types`.
//!
//! XSOAR servers carry custom indicator types. Their definitions are JSON files: what
//! Settings > Indicator Types exports, and what content packs keep under `IndicatorTypes/`
//! (`reputation-*.json`). A type's name, the string that indicators and relationships carry
//! as their type, is the definition's `details` field; `id` is its internal identifier.
//!
//! [`read_definitions`] reads one file (a definition object, an array of them, or an object
//! whose `reputations` key holds them), [`plan`] sorts the definitions against a base schema
//! (already there, to add, or refused with a reason), and [`add_types`] writes the base
//! schema's text with the new types appended to its `types` array: every other byte of the
//! base is kept, so the result is the base plus the new types and nothing else. A new type
//! takes part only in the base's relationships that allow any pair (`related-to` and
//! `is-also` in the built-in schema) and in rules over every type (`@all`: in the built-in
//! schema `duplicate-of` and `similar-to`, each with its own type only), until rules that name
//! it are added.
//!
//! Names: a type keeps its XSOAR name verbatim (types are matched by exact string). Its Rust
//! marker is derived as for every type ([`naming::type_marker`]); when the derived marker is
//! not a usable identifier (the name starts with a digit, or is a keyword), the marker is
//! `Type` followed by it, written into the schema as an explicit `marker`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use relationship_schema::{Schema, SchemaErrors, limits, naming, text};

use serde_json::Value as Json;

use crate::json::{self, Node, Value};
use crate::names::{self, TextProblem};

/// Why a definition file, or a type in it, cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file or directory cannot be read.
    #[error("{}: cannot read: {reason}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The system's message.
        reason: String,
    },
    /// The file is too big, not JSON, or not an indicator-type definition; or the base
    /// schema has no `types` array to extend.
    #[error("{}: {reason}", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// What is wrong, with serde_json's line and column for JSON errors.
        reason: String,
    },
    /// The type's name cannot be a schema type name, or clashes with another type.
    #[error("{}: indicator type `{name}`: {reason}", file.display())]
    Refused {
        /// The file.
        file: PathBuf,
        /// The type's name (`details`), cut for display.
        name: String,
        /// Why it is refused.
        reason: String,
    },
}

impl ImportError {
    /// Whether the error is an input/output failure (a file that could not be read) rather
    /// than invalid data.
    pub fn is_io(&self) -> bool {
        matches!(self, ImportError::Io { .. })
    }
}

/// One indicator type read from a definition file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorTypeDef {
    /// The type's name: the definition's `details`.
    pub name: String,
    /// The definition's `id`, when it has one.
    pub id: Option<String>,
    /// The file it was read from.
    pub file: PathBuf,
}

/// The files of a definition directory, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DefinitionFiles {
    /// The files to read, sorted by name.
    pub files: Vec<PathBuf>,
    /// Entries named `*.json` that are not regular files (a FIFO, a socket, a device, a
    /// dangling link), which reading could block on or make no sense of, with what they are.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// What a directory entry that is not a regular file is, for the report.
fn not_regular(meta: Option<&std::fs::Metadata>) -> &'static str {
    let Some(meta) = meta else {
        return "a dangling symbolic link";
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// The definition files named by `path`: the file itself, or a directory's `*.json` files
/// (not hidden, not in subdirectories), sorted by name. A content pack's directory (one
/// with an `IndicatorTypes/` subdirectory) means the files of its `IndicatorTypes/`. In a
/// directory only regular files (or links to them) are read, the others are listed as
/// skipped; a path named explicitly is always read, whatever it is (as `cat` would).
///
/// # Errors
///
/// [`ImportError::Io`] when the path or directory cannot be read.
pub fn scan_definition_files(path: &Path) -> Result<DefinitionFiles, ImportError> {
    let io = io_error(path);
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(DefinitionFiles {
            files: vec![path.to_path_buf()],
            skipped: Vec::new(),
        });
    }
    let pack_types = path.join("IndicatorTypes");
    let dir = if pack_types.is_dir() {
        pack_types.as_path()
    } else {
        path
    };
    let mut scan = DefinitionFiles::default();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        // Through a link, what it points to.
        let target = std::fs::metadata(entry.path()).ok();
        match &target {
            Some(m) if m.is_dir() => {}
            Some(m) if m.is_file() => scan.files.push(entry.path()),
            other => scan
                .skipped
                .push((entry.path(), not_regular(other.as_ref()))),
        }
    }
    scan.files.sort();
    scan.skipped.sort();
    Ok(scan)
}

/// Reads the indicator types defined in one file: a definition object, a JSON array of
/// them, or an object whose `reputations` array holds them.
///
/// # Errors
///
/// When the file cannot be read, is too big, is not JSON, or holds no valid definition
/// (every definition needs a non-empty string `details`; `id`, when present, is a string).
pub fn read_definitions(file: &Path) -> Result<Vec<IndicatorTypeDef>, ImportError> {
    let bytes = crate::parse::read_bounded(file).map_err(io_error(file))?;
    if bytes.len() > limits::MAX_SCHEMA_BYTES {
        let limit = limits::MAX_SCHEMA_BYTES;
        return Err(invalid(
            file,
            format!("larger than the limit of {limit} bytes"),
        ));
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let value: Json =
        serde_json::from_slice(body).map_err(|e| invalid(file, format!("not JSON: {e}")))?;
    definitions_in(&value, file)
}

/// [`ImportError::Invalid`] about `file`.
fn invalid(file: &Path, reason: String) -> ImportError {
    ImportError::Invalid {
        file: file.to_path_buf(),
        reason,
    }
}

/// [`ImportError::Io`] about `file`.
fn io_error(file: &Path) -> impl Fn(std::io::Error) -> ImportError + Copy + '_ {
    |e| ImportError::Io {
        file: file.to_path_buf(),
        reason: e.to_string(),
    }
}

fn definitions_in(value: &Json, file: &Path) -> Result<Vec<IndicatorTypeDef>, ImportError> {
    let not_type = |reason: String| invalid(file, reason);
    // A list of definitions (numbered in messages), or one definition.
    let (numbered, items) = match value {
        Json::Array(items) => (true, items.as_slice()),
        Json::Object(map) => match map.get("reputations") {
            Some(Json::Array(items)) if !map.contains_key("details") => (true, &items[..]),
            _ => (false, std::slice::from_ref(value)),
        },
        _ => {
            return Err(not_type(
                "not an indicator-type definition: expected a JSON object with `details`".into(),
            ));
        }
    };
    if items.is_empty() {
        return Err(not_type("no indicator-type definition in the file".into()));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| definition(item, numbered.then_some(i), file).map_err(not_type))
        .collect()
}

fn definition(item: &Json, index: Option<usize>, file: &Path) -> Result<IndicatorTypeDef, String> {
    let at = index.map_or_else(String::new, |i| format!("definition {}: ", i + 1));
    let Some(obj) = item.as_object() else {
        return Err(format!(
            "{at}not an indicator-type definition (a JSON object with `details`)"
        ));
    };
    let name = match obj.get("details") {
        Some(Json::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Json::String(_)) => Err("`details` (the type's name) is empty"),
        Some(_) => Err("`details` (the type's name) is not a string"),
        None => Err("not an indicator-type definition: no `details` (the type's name)"),
    };
    let id = match obj.get("id") {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err("`id` is not a string"),
    };
    let (name, id) = name
        .and_then(|name| Ok((name, id?)))
        .map_err(|e| format!("{at}{e}"))?;
    Ok(IndicatorTypeDef {
        name,
        id,
        file: file.to_path_buf(),
    })
}

/// A type to add, with the explicit marker it needs, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewType {
    /// The definition.
    pub def: IndicatorTypeDef,
    /// An explicit Rust marker, when the derived one is not a usable identifier.
    pub marker: Option<String>,
}

/// The definitions sorted against a base schema.
#[derive(Debug, Default)]
pub struct ImportPlan {
    /// Types the base already has (same name), with the definition that named them.
    pub existing: Vec<IndicatorTypeDef>,
    /// Types to add, in the order they were read.
    pub added: Vec<NewType>,
    /// Definitions that name a type already read from another file with the same `id`
    /// (the same type twice): imported once.
    pub repeated: Vec<(IndicatorTypeDef, PathBuf)>,
    /// Definitions that cannot be imported, with the reason.
    pub refused: Vec<ImportError>,
}

/// Sorts `defs` against `base`: already there (exact name), new, repeated, or refused.
///
/// Refused: a name the schema format does not allow (control, bidirectional or invisible
/// characters, longer than [`limits::MAX_NAME_CHARS`]), a name that differs from a base type
/// only in letter case, a name that looks like another type's (equal UTS #39 confusable
/// skeletons, such as `Hоst` with a Cyrillic `о` beside `Host`), a name whose Rust marker is
/// that of another type, and a name read twice with different `id`s.
pub fn plan(base: &Schema, defs: Vec<IndicatorTypeDef>) -> ImportPlan {
    let mut out = ImportPlan::default();
    // (0: lowercase name, 1: confusable skeleton, 2: Rust marker) -> the type name that
    // has it, for the base's and the added types.
    let keys = |name: &str, marker: &str| {
        let keys = [name.to_lowercase(), names::skeleton(name), marker.into()];
        keys.into_iter().enumerate()
    };
    let mut taken: HashMap<(usize, String), String> = (base.types().iter())
        .flat_map(|t| keys(t.name(), t.marker()).map(|k| (k, t.name().to_string())))
        .collect();
    for def in defs {
        if base.type_id(&def.name).is_some() {
            out.existing.push(def);
            continue;
        }
        let first = out
            .added
            .iter()
            .map(|t| &t.def)
            .find(|t| t.name == def.name);
        if let Some(first) = first {
            if first.id == def.id {
                let first_file = first.file.clone();
                out.repeated.push((def, first_file));
            } else {
                let reason = format!(
                    "also defined in {} with another id ({} there, {} here)",
                    first.file.display(),
                    show_id(first.id.as_deref()),
                    show_id(def.id.as_deref())
                );
                out.refused.push(refused(&def, reason));
            }
            continue;
        }
        let (marker, explicit) = match new_type_marker(&def.name) {
            Ok(marker) => marker,
            Err(reason) => {
                out.refused.push(refused(&def, reason));
                continue;
            }
        };
        let clash = keys(&def.name, &marker).find_map(|k| taken.get(&k).map(|o| (k.0, o)));
        let reason = match clash {
            Some((0, other)) => format!(
                "differs only in letter case from the type `{other}`; XSOAR type names are matched exactly, so rename one of them"
            ),
            Some((1, other)) => format!(
                "it looks like the type `{other}` (equal Unicode confusable skeletons, UTS #39; spelled `{}` and `{}`); rename it",
                names::spelled(&def.name),
                names::spelled(other)
            ),
            Some((_, other)) => format!(
                "its Rust marker `{marker}` is already that of the type `{other}`; add it by hand with an explicit `marker`"
            ),
            None => {
                taken.extend(keys(&def.name, &marker).map(|k| (k, def.name.clone())));
                out.added.push(NewType {
                    def,
                    marker: explicit.then_some(marker),
                });
                continue;
            }
        };
        out.refused.push(refused(&def, reason));
    }
    out
}

fn show_id(id: Option<&str>) -> String {
    id.map_or_else(
        || "none".to_string(),
        |id| format!("`{}`", text::excerpt(id, limits::MAX_QUOTED_CHARS)),
    )
}

fn refused(def: &IndicatorTypeDef, reason: String) -> ImportError {
    ImportError::Refused {
        file: def.file.clone(),
        name: names::shown(&def.name),
        reason,
    }
}

/// The Rust marker of a new type and whether it must be written explicitly, or why the name
/// cannot be a schema type name.
fn new_type_marker(name: &str) -> Result<(String, bool), String> {
    if let Some(problem) = names::text_problem(name) {
        return Err(match problem {
            TextProblem::Unsafe(c) => format!(
                "the name holds the control or bidirectional character U+{:04X}, which schema names may not",
                u32::from(c)
            ),
            TextProblem::Invisible(c, class) => format!(
                "the name holds the invisible character U+{:04X} ({class}), which schema names may not: it makes names that look the same differ",
                u32::from(c)
            ),
            TextProblem::TooLong(chars) => format!(
                "the name is {chars} characters long; schema names have at most {}",
                limits::MAX_NAME_CHARS
            ),
        });
    }
    let derived = naming::type_marker(name);
    if derived.is_empty() {
        return Err("the name has no letter or digit to make a Rust marker type from".into());
    }
    if naming::check_marker(&derived).is_ok() {
        return Ok((derived, false));
    }
    let prefixed = format!("Type{derived}");
    match naming::check_marker(&prefixed) {
        Ok(()) => Ok((prefixed, true)),
        Err(problem) => Err(format!(
            "no Rust marker type can be made from the name (`{prefixed}`: {})",
            problem.describe()
        )),
    }
}

/// The base schema's text with `added` appended to its `types` array, each as
/// `{"name": …, "doc": …}` (plus `"marker"` when explicit), in the layout of the array's
/// last element. Everything else in the base is kept byte for byte.
///
/// # Errors
///
/// [`ImportError::Invalid`] when the base's top-level `types` array cannot be found.
pub fn add_types(
    base_text: &str,
    base_file: &Path,
    added: &[NewType],
) -> Result<String, ImportError> {
    let body = base_text.strip_prefix('\u{feff}').unwrap_or(base_text);
    let shift = base_text.len() - body.len();
    let root = json::parse(body).ok().flatten();
    let types = root.as_ref().and_then(|root| root.get("types"));
    let Some(Node {
        end: types_end,
        value: Value::Array(items),
        ..
    }) = types
    else {
        let reason = "no top-level `types` array to add the types to";
        return Err(invalid(base_file, reason.into()));
    };
    if added.is_empty() {
        return Ok(base_text.to_string());
    }
    let entries: Vec<String> = added.iter().map(type_entry).collect();
    let (at, inserted) = match items.last() {
        // Before the `]`.
        None => (shift + types_end - 1, entries.join(", ")),
        Some(last) => {
            let sep = line_indent(base_text, shift + last.at)
                .map_or_else(|| ", ".to_string(), |indent| format!(",\n{indent}"));
            let inserted = entries.iter().map(|e| format!("{sep}{e}")).collect();
            (shift + last.end, inserted)
        }
    };
    Ok(format!(
        "{}{inserted}{}",
        &base_text[..at],
        &base_text[at..]
    ))
}

/// Checks the text [`add_types`] wrote with the schema parser, as `schema check` would.
///
/// # Errors
///
/// The parser's errors.
pub fn check_result(text: &str, label: &Path) -> Result<Schema, SchemaErrors> {
    crate::parse_str(text, label)
}

fn type_entry(t: &NewType) -> String {
    let file_name = t.def.file.file_name().unwrap_or_default().to_string_lossy();
    let origin = t.def.id.as_ref().map(|id| format!("id `{id}`, "));
    let origin = origin.unwrap_or_default();
    let doc = format!("XSOAR indicator type ({origin}imported from {file_name}).");
    let marker = t
        .marker
        .as_ref()
        .map(|m| format!(", \"marker\": {}", json_string(m)));
    format!(
        "{{\"name\": {}{}, \"doc\": {}}}",
        json_string(&t.def.name),
        marker.unwrap_or_default(),
        json_string(&doc)
    )
}

fn json_string(s: &str) -> String {
    Json::String(s.to_string()).to_string()
}

/// The whitespace that starts the line holding byte `at`, when only whitespace comes before
/// `at` on that line; None when the element shares its line with other text.
fn line_indent(text: &str, at: usize) -> Option<String> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[start..at];
    prefix
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| prefix.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, id: &str, file: &str) -> IndicatorTypeDef {
        IndicatorTypeDef {
            name: name.into(),
            id: Some(id.into()),
            file: file.into(),
        }
    }

    fn base() -> Schema {
        crate::builtin::parse_xsoar().unwrap()
    }

    #[test]
    fn definitions_in_the_three_layouts() {
        let one = serde_json::json!({"id": "emp", "details": "Employee", "regex": ""});
        let f = Path::new("a.json");
        assert_eq!(
            definitions_in(&one, f).unwrap(),
            vec![def("Employee", "emp", "a.json")]
        );
        let many = serde_json::json!([one, {"id": "b", "details": "Badge"}]);
        assert_eq!(definitions_in(&many, f).unwrap().len(), 2);
        let wrapped = serde_json::json!({"reputations": [{"id": "b", "details": "Badge"}]});
        assert_eq!(definitions_in(&wrapped, f).unwrap()[0].name, "Badge");
        let err = definitions_in(&serde_json::json!({"id": "x", "name": "Layout"}), f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.json: not an indicator-type definition: no `details` (the type's name)"
        );
        let err = definitions_in(&serde_json::json!([{"details": 3}]), f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.json: definition 1: `details` (the type's name) is not a string"
        );
    }

    #[test]
    fn plan_sorts_existing_new_repeated_and_refused() {
        let defs = vec![
            def("Host", "hostRep", "host.json"),
            def("Employee", "emp", "emp.json"),
            def("Employee", "emp", "emp-copy.json"),
            def("Employee", "other", "emp-other.json"),
            def("host", "lower", "lower.json"),
            def("Registry-Key", "rk", "rk.json"),
            def("1Password Item", "op", "op.json"),
            def("Self", "s", "self.json"),
            def("???", "q", "q.json"),
            def("Bad\u{202e}Name", "b", "b.json"),
        ];
        let p = plan(&base(), defs);
        assert_eq!(p.existing.len(), 1);
        let added: Vec<(&str, Option<&str>)> = p
            .added
            .iter()
            .map(|t| (t.def.name.as_str(), t.marker.as_deref()))
            .collect();
        assert_eq!(
            added,
            vec![
                ("Employee", None),
                ("1Password Item", Some("Type1PasswordItem")),
                ("Self", Some("TypeSelf"))
            ]
        );
        assert_eq!(p.repeated.len(), 1);
        let refused: Vec<String> = p.refused.iter().map(ToString::to_string).collect();
        assert_eq!(refused.len(), 5, "{refused:#?}");
        assert!(
            refused[0]
                .starts_with("emp-other.json: indicator type `Employee`: also defined in emp.json")
        );
        assert!(refused[1].contains("differs only in letter case from the type `Host`"));
        assert!(
            refused[2].contains("marker `RegistryKey` is already that of the type `Registry Key`")
        );
        assert!(refused[3].contains("no letter or digit"));
        assert!(refused[4].contains("U+202E"));
    }

    #[test]
    fn types_are_appended_in_the_array_layout_and_the_rest_is_kept() {
        let base_text = "{\n  \"name\": \"t\",\n  \"types\": [\n    \"A\",\n    {\"name\": \"B\"}\n  ],\n  \"relationships\": [{\"name\": \"related-to\", \"reverse\": \"related-to\", \"any\": true}]\n}\n";
        let added = vec![NewType {
            def: def("Employee", "emp", "dir/emp.json"),
            marker: None,
        }];
        let out = add_types(base_text, Path::new("b.json"), &added).unwrap();
        assert_eq!(
            out,
            base_text.replace(
                "{\"name\": \"B\"}\n",
                "{\"name\": \"B\"},\n    {\"name\": \"Employee\", \"doc\": \"XSOAR indicator type (id `emp`, imported from emp.json).\"}\n"
            )
        );
        let schema = check_result(&out, Path::new("out.json")).unwrap();
        assert!(schema.type_id("Employee").is_some());
        let inline = add_types("{\"types\": [\"A\"], \"x\": 1}", Path::new("b"), &added).unwrap();
        assert!(inline.starts_with("{\"types\": [\"A\", {\"name\": \"Employee\""));
        let empty = add_types("{\"types\": []}", Path::new("b"), &added).unwrap();
        assert!(empty.starts_with("{\"types\": [{\"name\": \"Employee\""));
        assert!(add_types("{\"name\": \"x\"}", Path::new("b"), &added).is_err());
    }

    #[test]
    fn the_builtin_schema_takes_new_types_with_any_pair_relationships_only() {
        let p = plan(
            &base(),
            vec![
                def("Employee", "emp", "emp.json"),
                def("1Password Item", "op", "op.json"),
            ],
        );
        let out = add_types(
            crate::builtin::XSOAR_SCHEMA_JSON,
            Path::new("schemas/xsoar.json"),
            &p.added,
        )
        .unwrap();
        let schema = check_result(&out, Path::new("out.json")).unwrap();
        let old = base();
        assert_eq!(schema.types().len(), old.types().len() + 2);
        let emp = schema.type_id("Employee").unwrap();
        let with_emp: Vec<&str> = schema
            .relationships()
            .iter()
            .filter(|r| schema.type_ids().any(|t| r.allows(emp, t)))
            .map(|r| r.name())
            .collect();
        // Any pair: is-also, related-to; the built-in `same_type: "@all"` rules: duplicate-of,
        // similar-to (an Employee with another Employee only).
        assert_eq!(
            with_emp,
            vec!["duplicate-of", "is-also", "related-to", "similar-to"]
        );
        let pairs = |name: &str| {
            schema
                .type_ids()
                .filter(|&t| schema.relationship(name).unwrap().allows(emp, t))
                .count()
        };
        assert_eq!((pairs("duplicate-of"), pairs("similar-to")), (1, 1));
        assert_eq!(pairs("related-to"), schema.types().len());
    }
}
