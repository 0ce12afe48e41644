//! The top level of a schema file: the JSON text read into the raw items of a schema.

use relationship_schema::ErrorKind;

use super::diagnostics::{Cx, Sp};
use super::groups::{RawGroup, read_groups};
use super::name_checks::check_text;
use super::read::{Fields, string};
use super::relationships::{RawRel, read_relationship};
use super::types::{RawType, read_type};
use crate::json;

const TOP_KEYS: &[&str] = &[
    "$schema",
    "name",
    "description",
    "types",
    "groups",
    "reverse_only",
    "relationships",
];

const TYPES: &str = "an array of type names or type objects";
const RELATIONSHIPS: &str = "an array of relationship objects";

/// A schema file as written, with the positions of its names.
pub(super) struct RawSchema {
    pub(super) name: String,
    pub(super) types: Vec<RawType>,
    pub(super) groups: Vec<RawGroup>,
    pub(super) reverse_only: Vec<Sp<String>>,
    pub(super) relationships: Vec<RawRel>,
}

/// Passes 1 and 2: the text parsed as strict JSON, then its keys and value types checked.
/// `None` when the text is not a JSON object.
pub(super) fn read_document(cx: &mut Cx, text: &str) -> Option<RawSchema> {
    let root = match json::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            cx.error(0, ErrorKind::Empty);
            return None;
        }
        Err(defect) => {
            cx.error(defect.at, ErrorKind::Syntax(defect.message));
            return None;
        }
    };
    let context = ("the schema".to_string(), false);
    let f = Fields::read(cx, &root, TOP_KEYS, context, ("the schema", "an object"))?;
    f.string(cx, "$schema");
    f.string(cx, "description");
    let name = f.required_string(cx, "name").map(|s| {
        if s.v.trim().is_empty() {
            cx.error(s.at, ErrorKind::EmptyName("schema"));
        } else {
            check_text(cx, &s, "schema");
        }
        s.v
    });
    f.required(cx, "types");
    let types = f.list(cx, "types", (TYPES, true), read_type);
    let groups = f.get("groups").map(|v| read_groups(cx, v));
    let reverse_only = f.list(
        cx,
        "reverse_only",
        ("an array of names", false),
        |cx, el| string(cx, el, || "an entry of `reverse_only`".into()),
    );
    f.required(cx, "relationships");
    let relationships = f.list(
        cx,
        "relationships",
        (RELATIONSHIPS, true),
        read_relationship,
    );
    Some(RawSchema {
        name: name.unwrap_or_default(),
        types: types.unwrap_or_default(),
        groups: groups.unwrap_or_default(),
        reverse_only: reverse_only.unwrap_or_default(),
        relationships: relationships.unwrap_or_default(),
    })
}
