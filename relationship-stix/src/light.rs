//! Relationship objects read without building a [`serde_json::Value`]: the few properties the
//! converter needs, borrowed from the bundle's text, everything else skipped.
//!
//! These readers are a fast path only. Whenever an object is not shaped as they expect (a
//! property of another JSON type, `null`, a repeated property, not an object), reading fails
//! and the caller parses the whole object instead, so every unusual case keeps the full
//! path's behaviour and messages.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// A property that is a JSON string when present, borrowed when it has no escapes; any other
/// JSON type (`null` included) is a reading error.
pub(crate) type Text<'a> = Option<Cow<'a, str>>;

/// Reads a [`Text`] property.
fn string<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Text<'a>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
            Ok(Cow::Borrowed(s))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Cow<'de, str>, E> {
            Ok(Cow::Owned(s.to_owned()))
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<Cow<'de, str>, E> {
            Ok(Cow::Owned(s))
        }
    }
    d.deserialize_str(V).map(Some)
}

/// What writing a relationship needs: the properties that become its fields. Absent and
/// `null` both read as `None`, which the fields write as `null` either way.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RelationshipProps {
    /// `description`.
    #[serde(default)]
    pub description: Option<Value>,
    /// `modified`.
    #[serde(default)]
    pub modified: Option<Value>,
    /// `created`.
    #[serde(default)]
    pub created: Option<Value>,
}

impl RelationshipProps {
    /// Reads `text`, when it is a JSON object with each of these properties at most once.
    pub(crate) fn read(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

/// An external reference, as [`ObjectHead`] reads it.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ExternalRef<'a> {
    /// `source_name`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub source_name: Text<'a>,
    /// `external_id`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub external_id: Text<'a>,
}

/// What reading an object needs before deciding whether it can skip being parsed whole: a
/// plain relationship's id and endpoints, or what a feed object whose indicator waits for the
/// end needs to be accepted (its fields are made when it is written).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ObjectHead<'a> {
    /// `type`.
    #[serde(borrow, default, rename = "type", deserialize_with = "string")]
    pub stix_type: Text<'a>,
    /// `id`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub id: Text<'a>,
    /// `spec_version`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub spec_version: Text<'a>,
    /// `created_by_ref`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub created_by_ref: Text<'a>,
    /// `relationship_type`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub relationship_type: Text<'a>,
    /// `source_ref`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub source_ref: Text<'a>,
    /// `target_ref`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub target_ref: Text<'a>,
    /// `name`.
    #[serde(borrow, default, deserialize_with = "string")]
    pub name: Text<'a>,
    /// `revoked` (`null` reads as absent, as Python's truthiness has it).
    #[serde(default)]
    pub revoked: Option<bool>,
    /// `x_mitre_deprecated`.
    #[serde(default)]
    pub x_mitre_deprecated: Option<bool>,
    /// `x_mitre_is_subtechnique`.
    #[serde(default)]
    pub x_mitre_is_subtechnique: Option<bool>,
    /// `external_references`, left as text until asked for.
    #[serde(borrow, default)]
    pub external_references: Option<&'a RawValue>,
}

impl<'a> ObjectHead<'a> {
    /// Reads `text`, when it is a JSON object with these properties of the expected types,
    /// each at most once.
    pub(crate) fn read(text: &'a str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::ObjectView;

    #[test]
    fn head_reads_strings_and_refuses_the_rest() {
        let h = ObjectHead::read(
            r#"{"type":"relationship","id":"relationship--1","x":[1,{"a":null}],
                "source_ref":"a--1","target_ref":"b\u002d-2","relationship_type":"uses"}"#,
        )
        .unwrap();
        assert_eq!(h.stix_type.as_deref(), Some("relationship"));
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
            assert!(ObjectHead::read(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn indicator_head_reads_what_deferring_needs() {
        let h = ObjectHead::read(
            r#"{"type":"attack-pattern","id":"attack-pattern--1","name":"Sub","revoked":null,
                "external_references":[{"source_name":"capec","external_id":"CAPEC-1"},
                {"source_name":"mitre-attack","external_id":"T1000.001","url":"u"}],
                "x_mitre_is_subtechnique":true,"description":"d"}"#,
        )
        .unwrap();
        fn view(h: &ObjectHead<'_>) -> Option<Option<String>> {
            ObjectView::of_head(h).map(|v| v.mitre_id.map(Cow::into_owned))
        }
        assert_eq!(view(&h), Some(Some("T1000.001".into())));
        assert_eq!(h.revoked, None);
        assert_eq!(h.x_mitre_is_subtechnique, Some(true));
        let h = ObjectHead::read(
            r#"{"type":"x","id":"x--1","external_references":[{"source_name":"mitre-attack"}]}"#,
        )
        .unwrap();
        assert_eq!(view(&h), Some(None));
        for bad in [r#"{"revoked":1}"#, r#"{"name":"a","name":"b"}"#] {
            assert!(ObjectHead::read(bad).is_none(), "{bad}");
        }
        for bad in [
            r#"{"type":"x","id":"x--1","external_references":[5]}"#,
            r#"{"type":"x","id":"x--1","external_references":[{"source_name":7}]}"#,
            r#"{"type":"x","id":"x--1","external_references":"x"}"#,
        ] {
            assert_eq!(view(&ObjectHead::read(bad).unwrap()), None, "{bad}");
        }
    }

    #[test]
    fn props_read_any_value_and_refuse_repeats() {
        let p = RelationshipProps::read(r#"{"description":null,"created":5,"y":{}}"#).unwrap();
        assert_eq!(p.description, None);
        assert_eq!(p.created, Some(Value::from(5)));
        assert_eq!(p.modified, None);
        assert!(RelationshipProps::read(r#"{"created":1,"created":2}"#).is_none());
    }
}
