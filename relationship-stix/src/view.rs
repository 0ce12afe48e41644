//! What the conversion rules read of an object: one view, read from the object's text
//! without building a [`serde_json::Value`] ([`ObjectView::read`], the fast path) or taken
//! from the parsed object ([`ObjectView::of_map`]), so that the rules are written once.
//!
//! Reading from the text fails whenever the object is not shaped as expected (a property of
//! another JSON type, `null` for a string, a repeated property, not an object): the caller
//! then parses the whole object, so every unusual case keeps the full path's messages.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::Deserializer;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::attack::truthy;
use crate::bundle::{is_spec_version, spec_version_problem};
use crate::report::Triple;

/// A string property, borrowed from the text when it has no escapes.
pub(crate) type Text<'a> = Option<Cow<'a, str>>;

/// A JSON string, borrowed when it has no escapes; any other JSON type (`null` included) is
/// an error.
#[derive(Deserialize)]
struct Str<'a>(#[serde(borrow)] Cow<'a, str>);

/// Reads a [`Text`] property.
fn text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Text<'a>, D::Error> {
    Str::deserialize(d).map(|s| Some(s.0))
}

/// Reads a flag: `true`, or `false` for `false` and `null`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Option::<bool>::deserialize(d).map(|b| b == Some(true))
}

/// The properties that decide whether and how an object is converted. Taken from a parsed
/// object, a string property of another JSON type is absent and a flag is Python's
/// truthiness.
#[derive(Debug, Deserialize)]
pub(crate) struct ObjectView<'a> {
    #[serde(borrow, rename = "type")]
    pub stix_type: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub id: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    spec_version: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub created_by_ref: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub relationship_type: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub source_ref: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub target_ref: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub name: Text<'a>,
    #[serde(default, deserialize_with = "flag")]
    pub revoked: bool,
    #[serde(default, rename = "x_mitre_deprecated", deserialize_with = "flag")]
    pub deprecated: bool,
    #[serde(default, rename = "x_mitre_is_subtechnique", deserialize_with = "flag")]
    pub is_subtechnique: bool,
    /// Read only for objects other than relationships.
    #[serde(borrow, default)]
    external_references: Option<&'a RawValue>,
    /// Why `spec_version` is refused, when it is.
    #[serde(skip)]
    pub spec_problem: Option<String>,
    /// The `external_id` of the first `mitre-attack` external reference (the feed's `mitreid`).
    #[serde(skip)]
    pub mitre_id: Text<'a>,
    /// The `external_id` of the first external reference, whatever its source (a tactic's).
    #[serde(skip)]
    pub first_external_id: Text<'a>,
}

/// An external reference, as [`ObjectView::read`] reads it.
#[derive(Debug, Deserialize)]
struct ExternalRef<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    source_name: Text<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    external_id: Text<'a>,
}

/// The message for a `spec_version` of an object of `stix_type`, when it is refused.
fn spec_problem(stix_type: &str, v: &Value) -> Option<String> {
    spec_version_problem(format_args!("a {stix_type} whose"), v)
}

impl<'a> ObjectView<'a> {
    /// Reads `text`: `None` when it is not a JSON object with a string `type` and these
    /// properties of the expected types, each at most once, or when the external
    /// references of an object other than a relationship are not shaped as expected.
    pub(crate) fn read(text: &'a str) -> Option<Self> {
        let mut view: Self = serde_json::from_str(text).ok()?;
        if let Some(raw) = view
            .external_references
            .filter(|_| view.stix_type != "relationship")
        {
            let refs: Vec<ExternalRef<'a>> = serde_json::from_str(raw.get()).ok()?;
            view.first_external_id = refs.first().and_then(|r| r.external_id.clone());
            view.mitre_id = (refs.into_iter())
                .find(|r| r.source_name.as_deref() == Some("mitre-attack"))
                .and_then(|r| r.external_id);
        }
        view.spec_problem = (view.spec_version.as_deref())
            .filter(|v| !is_spec_version(v))
            .and_then(|v| spec_problem(&view.stix_type, &Value::from(v)));
        Some(view)
    }

    /// The view of a parsed object (`""` for a `type` that is not a string).
    pub(crate) fn of_map(obj: &'a Map<String, Value>) -> Self {
        let s = |k: &str| obj.get(k).and_then(Value::as_str).map(Cow::Borrowed);
        let stix_type = s("type").unwrap_or_default();
        let refs = obj.get("external_references").and_then(Value::as_array);
        let external_id = |r: &'a Value| r.get("external_id")?.as_str().map(Cow::Borrowed);
        let mitre = refs.and_then(|refs| {
            refs.iter()
                .find(|r| r.get("source_name").and_then(Value::as_str) == Some("mitre-attack"))
        });
        ObjectView {
            spec_problem: obj
                .get("spec_version")
                .and_then(|v| spec_problem(&stix_type, v)),
            stix_type,
            id: s("id"),
            spec_version: None,
            created_by_ref: s("created_by_ref"),
            relationship_type: s("relationship_type"),
            source_ref: s("source_ref"),
            target_ref: s("target_ref"),
            name: s("name"),
            revoked: truthy(obj.get("revoked")),
            deprecated: truthy(obj.get("x_mitre_deprecated")),
            is_subtechnique: truthy(obj.get("x_mitre_is_subtechnique")),
            external_references: None,
            mitre_id: mitre.and_then(external_id),
            first_external_id: refs.and_then(|r| r.first()).and_then(external_id),
        }
    }

    /// The triple of a relationship in STIX terms (for read-time rejections).
    pub(crate) fn stix_triple(&self) -> Triple {
        Triple::new(
            type_of_ref(self.source_ref.as_deref().unwrap_or("")),
            self.relationship_type.as_deref().unwrap_or(""),
            type_of_ref(self.target_ref.as_deref().unwrap_or("")),
        )
    }
}

/// The string of `text`, when present and not empty.
pub(crate) fn non_empty<'t>(text: &'t Text<'_>) -> Option<&'t str> {
    text.as_deref().filter(|s| !s.is_empty())
}

/// The STIX type named by an id (`attack-pattern--…` → `attack-pattern`).
pub(crate) fn type_of_ref(id: &str) -> &str {
    id.split_once("--").map_or(id, |(t, _)| t)
}

/// What writing a relationship needs: the properties that become its fields. Absent and
/// `null` both read as `None`, which the fields write as `null` either way.
#[derive(Debug, Deserialize)]
pub(crate) struct RelationshipProps {
    #[serde(default)]
    pub description: Option<Value>,
    #[serde(default)]
    pub modified: Option<Value>,
    #[serde(default)]
    pub created: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_reads_strings_and_refuses_the_rest() {
        let h = ObjectView::read(
            r#"{"type":"relationship","id":"relationship--1","x":[1,{"a":null}],
                "source_ref":"a--1","target_ref":"b\u002d-2","relationship_type":"uses"}"#,
        )
        .unwrap();
        assert_eq!(h.stix_type, "relationship");
        assert_eq!(h.target_ref.as_deref(), Some("b--2"));
        assert!(matches!(h.source_ref, Some(Cow::Borrowed(_))));
        assert_eq!(h.spec_version, None);
        assert_eq!(h.created_by_ref, None);
        for bad in [
            r#"{"type":"relationship","id":null}"#,
            r#"{"type":"relationship","id":5}"#,
            r#"{"type":"relationship","type":"relationship"}"#,
            r#"[1]"#,
        ] {
            assert!(ObjectView::read(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn indicator_head_reads_what_deferring_needs() {
        let h = ObjectView::read(
            r#"{"type":"attack-pattern","id":"attack-pattern--1","name":"Sub","revoked":null,
                "external_references":[{"source_name":"capec","external_id":"CAPEC-1"},
                {"source_name":"mitre-attack","external_id":"T1000.001","url":"u"}],
                "x_mitre_is_subtechnique":true,"description":"d"}"#,
        )
        .unwrap();
        assert_eq!(h.mitre_id.as_deref(), Some("T1000.001"));
        assert!(!h.revoked);
        assert!(h.is_subtechnique);
        let h = ObjectView::read(
            r#"{"type":"x","id":"x--1","external_references":[{"source_name":"mitre-attack"}]}"#,
        )
        .unwrap();
        assert_eq!(h.mitre_id, None);
        for bad in [
            r#"{"type":"x","id":"x--1","revoked":1}"#,
            r#"{"type":"x","id":"x--1","name":"a","name":"b"}"#,
        ] {
            assert!(ObjectView::read(bad).is_none(), "{bad}");
        }
        for bad in [
            r#"{"type":"x","id":"x--1","external_references":[5]}"#,
            r#"{"type":"x","id":"x--1","external_references":[{"source_name":7}]}"#,
            r#"{"type":"x","id":"x--1","external_references":"x"}"#,
        ] {
            assert!(ObjectView::read(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn props_read_any_value_and_refuse_repeats() {
        let p =
            serde_json::from_str::<RelationshipProps>(r#"{"description":null,"created":5,"y":{}}"#)
                .unwrap();
        assert_eq!(p.description, None);
        assert_eq!(p.created, Some(Value::from(5)));
        assert_eq!(p.modified, None);
        assert!(serde_json::from_str::<RelationshipProps>(r#"{"created":1,"created":2}"#).is_err());
    }
}
