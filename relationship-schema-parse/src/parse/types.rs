//! Indicator types: read from `types`, then declared with their markers.

use std::collections::HashMap;

use relationship_schema::{ErrorKind, SchemaBuilder, TypeId, limits, naming};

use super::diagnostics::{Cx, Sp};
use super::name_checks::{NameKind, RustNameKind, check_confusables, check_name, check_rust_names};
use super::read::Fields;
use crate::json::{Node, Value};

const MARKER: RustNameKind = ("marker", naming::type_marker, naming::check_marker);

const TYPE_KEYS: &[&str] = &["name", "marker", "doc"];

const TYPE: NameKind = ("type", false, ("type", "declared"));

/// A type as written: a name, or an object with `name`, `marker` and `doc`.
pub(super) struct RawType {
    name: Sp<String>,
    marker: Option<Sp<String>>,
    doc: String,
}

pub(super) fn read_type(cx: &mut Cx, v: &Node) -> Option<RawType> {
    if let Value::String(s) = &v.value {
        let name = Sp::new(s.to_string(), v.at);
        let (marker, doc) = (None, String::new());
        return Some(RawType { name, marker, doc });
    }
    let context = match v.get("name").and_then(Node::as_str) {
        Some(n) => format!("type `{n}`"),
        None => "a type".to_string(),
    };
    let wrong_type = (
        "an entry of `types`",
        "a type name or an object with `name`",
    );
    let f = Fields::read(cx, v, TYPE_KEYS, (context, true), wrong_type)?;
    let name = f.required_string(cx, "name");
    let marker = f.string(cx, "marker");
    let doc = f.string(cx, "doc").map(|s| s.v).unwrap_or_default();
    Some(RawType {
        name: name?,
        marker,
        doc,
    })
}

/// The declared types, in order, and their ids by name.
#[derive(Default)]
pub(super) struct DeclaredTypes {
    pub(super) ids: HashMap<String, TypeId>,
    pub(super) names: Vec<String>,
    pub(super) all: Vec<TypeId>,
}

/// Types: names checked, duplicates reported, markers derived or taken and checked.
pub(super) fn declare_types(
    cx: &mut Cx,
    builder: &mut SchemaBuilder,
    raw: Vec<RawType>,
) -> DeclaredTypes {
    let mut at_of: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<RawType> = Vec::new();
    for t in raw {
        if !check_name(cx, &t.name, TYPE, at_of.get(&t.name.v).copied()) {
            continue;
        }
        if kept.len() >= limits::MAX_TYPES {
            cx.error(t.name.at, ErrorKind::TooMany("types", limits::MAX_TYPES));
            break;
        }
        at_of.insert(t.name.v.clone(), t.name.at);
        kept.push(t);
    }
    let entries = kept.iter().map(|t| (t.name.v.as_str(), "type", t.name.at));
    let confusable = check_confusables(cx, entries.collect());
    // Types and relationships get their markers in separate modules, so each kind has its
    // own namespace.
    let mut markers: [HashMap<String, String>; 1] = Default::default();
    let mut types = DeclaredTypes::default();
    for t in kept {
        // A type that looks like another is reported once: its marker is not checked.
        if !confusable.contains(&t.name.v) {
            let kinds = [(MARKER, t.marker.as_ref())];
            check_rust_names(cx, ("type", &t.name), kinds, &mut markers);
        }
        let marker = t
            .marker
            .map_or_else(|| naming::type_marker(&t.name.v), |m| m.v);
        let id = builder.add_type_with(t.name.v.clone(), marker, t.doc);
        types.ids.insert(t.name.v.clone(), id);
        types.names.push(t.name.v);
        types.all.push(id);
    }
    types
}
