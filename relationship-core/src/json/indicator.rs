//! The indicator object shape: the key order of an [`IndicatorObject`] in each layout, written
//! by its [`Serialize`] impl and by the one direct writer that batches use.

use std::io::{self, Write};

use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use super::relationship::write_relationship;
use super::text::{JsonStyle, write_object, write_str};
use crate::fields::{write_fields, write_raw_json};
use crate::indicator::{IndicatorLayout, IndicatorObject};
use crate::relationship::EntityRelationship;

/// A key of an indicator object's rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Value,
    Type,
    Score,
    RawJson,
    Fields,
    Relationships,
}

impl Key {
    /// The key's JSON name.
    const fn name(self) -> &'static str {
        match self {
            Key::Value => "value",
            Key::Type => "type",
            Key::Score => "score",
            Key::RawJson => "rawJSON",
            Key::Fields => "fields",
            Key::Relationships => "relationships",
        }
    }
}

/// The keys of `obj`'s rendering, in order: the dummy indicator has `value` and
/// `relationships` only; the others follow their [`IndicatorLayout`], with `score` left out
/// of the standard layout when unset and `relationships` when empty (unless the layout always
/// writes it).
fn keys(obj: &IndicatorObject) -> impl Iterator<Item = Key> + '_ {
    use Key::{Fields, RawJson, Relationships, Score, Type, Value};
    let (order, always_relationships): (&[Key], bool) = match obj.layout {
        _ if obj.is_dummy() => (&[Value, Relationships], true),
        IndicatorLayout::Standard => (&[Value, Type, Score, RawJson, Fields, Relationships], false),
        IndicatorLayout::Feed => (&[Value, Score, Type, RawJson, Fields, Relationships], false),
        IndicatorLayout::FeedWithRelationships => {
            (&[Value, Score, Type, RawJson, Fields, Relationships], true)
        }
    };
    let feed = obj.layout != IndicatorLayout::Standard;
    order.iter().copied().filter(move |key| match key {
        Score => feed || obj.score.is_some(),
        Relationships => always_relationships || !obj.relationships.is_empty(),
        _ => true,
    })
}

impl IndicatorObject {
    /// Writes the object to `w` in `style`: the same bytes as
    /// [`json::write_json`](crate::json::write_json) of it, written directly (as batches
    /// write it) rather than field by field through serde.
    ///
    /// # Errors
    ///
    /// The writer's errors, and [`std::io::ErrorKind::InvalidData`] for a number in
    /// `rawJSON` or `fields` that is not JSON number text in [`JsonStyle::Python`].
    ///
    /// ```
    /// use relationship_core::json::{self, JsonStyle};
    /// use relationship_core::prelude::*;
    /// use relationship_core::xsoar::types::{Domain, Ip};
    /// use relationship_core::IndicatorObject;
    ///
    /// let domain = Entity::<Domain>::new("a.example");
    /// let obj = IndicatorObject::new("a.example", "Domain")
    ///     .with_score(2)
    ///     .with_relationship(domain.resolves_to(&Entity::<Ip>::new("192.0.2.1")));
    /// let mut buf = Vec::new();
    /// obj.write_json(&mut buf, JsonStyle::Python)?;
    /// assert_eq!(buf, json::to_vec(&obj, JsonStyle::Python)?);
    /// assert!(buf.starts_with(br#"{"value": "a.example", "type": "Domain", "score": 2, "rawJSON": {}, "fields": {}, "relationships": [{"name": "resolves-to", "#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json<W: Write + ?Sized>(&self, w: &mut W, style: JsonStyle) -> io::Result<()> {
        write_indicator_object(w, self, style)
    }
}

/// Writes `obj` in `style`: the bytes its [`Serialize`] impl gives through
/// [`write_json`](super::write_json), with every relationship written by
/// [`write_relationship`].
pub(crate) fn write_indicator_object<W: Write + ?Sized>(
    w: &mut W,
    obj: &IndicatorObject,
    style: JsonStyle,
) -> io::Result<()> {
    let entries = keys(obj).map(|key| (key.name(), key));
    write_object(w, entries, style, |w, key, style| match key {
        Key::Value => write_str(w, &obj.value, style),
        Key::Type => write_str(w, &obj.indicator_type, style),
        Key::Score => match obj.score {
            Some(score) => write!(w, "{score}"),
            None => w.write_all(b"null"),
        },
        Key::RawJson => write_raw_json(w, &obj.raw_json, style),
        Key::Fields => write_fields(w, &obj.fields, style),
        Key::Relationships => {
            w.write_all(b"[")?;
            for (i, rel) in obj.relationships.iter().enumerate() {
                if i > 0 {
                    w.write_all(style.comma())?;
                }
                write_relationship(w, rel, None, style)?;
            }
            w.write_all(b"]")
        }
    })
}

/// A slice of relationships serialized as a list of `to_indicator()` renderings.
struct ToIndicatorList<'a>(&'a [EntityRelationship]);

impl Serialize for ToIndicatorList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(EntityRelationship::to_indicator))
    }
}

impl Serialize for IndicatorObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let feed = self.layout != IndicatorLayout::Standard;
        let mut s = serializer.serialize_struct("IndicatorObject", keys(self).count())?;
        for key in keys(self) {
            let name = key.name();
            match key {
                Key::Value => s.serialize_field(name, self.value.as_str())?,
                Key::Type => s.serialize_field(name, &*self.indicator_type)?,
                // The standard layout writes a set score only, as a number.
                Key::Score => match self.score {
                    Some(score) if !feed => s.serialize_field(name, &score)?,
                    _ => s.serialize_field(name, &self.score)?,
                },
                Key::RawJson => s.serialize_field(name, &self.raw_json)?,
                Key::Fields => s.serialize_field(name, &self.fields)?,
                Key::Relationships => {
                    s.serialize_field(name, &ToIndicatorList(&self.relationships))?;
                }
            }
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Fields;
    use serde_json::json;

    fn compact<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    fn rel() -> EntityRelationship {
        EntityRelationship::new(
            "uses",
            "used-by",
            "u4872",
            "Account",
            "pc135456.domain.local",
            "Host",
        )
    }

    #[test]
    fn key_order_with_and_without_optionals() {
        let ind = IndicatorObject::new("u4872", "Account");
        assert_eq!(
            compact(&ind),
            r#"{"value":"u4872","type":"Account","rawJSON":{},"fields":{}}"#
        );
        let mut fields = Fields::new();
        fields.insert("tags", json!(["x"]));
        fields.insert("description", json!("d"));
        let ind = ind
            .with_score(3)
            .with_raw_json(
                crate::fields::RawJson::parse(r#"{"value": "u4872", "type": "Account"}"#).unwrap(),
            )
            .with_fields(fields)
            .with_relationship(rel());
        let want = format!(
            r#"{{"value":"u4872","type":"Account","score":3,"rawJSON":{{"value":"u4872","type":"Account"}},"fields":{{"tags":["x"],"description":"d"}},"relationships":[{}]}}"#,
            compact(&rel().to_indicator())
        );
        assert_eq!(compact(&ind), want);
    }

    #[test]
    fn feed_layouts_put_score_before_type() {
        let ind = IndicatorObject::new("X", "Tactic").with_layout(IndicatorLayout::Feed);
        assert_eq!(
            compact(&ind),
            r#"{"value":"X","score":null,"type":"Tactic","rawJSON":{},"fields":{}}"#
        );
        let ind = ind.with_score(0);
        assert_eq!(
            compact(&ind),
            r#"{"value":"X","score":0,"type":"Tactic","rawJSON":{},"fields":{}}"#
        );
        let ind = ind.with_layout(IndicatorLayout::FeedWithRelationships);
        assert_eq!(
            compact(&ind),
            r#"{"value":"X","score":0,"type":"Tactic","rawJSON":{},"fields":{},"relationships":[]}"#
        );
        let r = compact(&rel().to_indicator());
        let ind = ind
            .with_layout(IndicatorLayout::Feed)
            .with_relationship(rel());
        assert_eq!(
            compact(&ind),
            format!(
                r#"{{"value":"X","score":0,"type":"Tactic","rawJSON":{{}},"fields":{{}},"relationships":[{r}]}}"#
            )
        );
        let d = IndicatorObject::dummy(vec![]).with_layout(IndicatorLayout::Feed);
        assert_eq!(
            compact(&d),
            r#"{"value":"$$DummyIndicator$$","relationships":[]}"#
        );
    }

    #[test]
    fn dummy_has_only_value_and_relationships() {
        assert_eq!(
            compact(&IndicatorObject::dummy(vec![])),
            r#"{"value":"$$DummyIndicator$$","relationships":[]}"#
        );
        let d = IndicatorObject::dummy(vec![rel(), rel()]);
        assert!(d.is_dummy());
        let r = compact(&rel().to_indicator());
        assert_eq!(
            compact(&d),
            format!(r#"{{"value":"$$DummyIndicator$$","relationships":[{r},{r}]}}"#)
        );
        // type, score and fields of a dummy are never written
        let mut d = d.with_score(1);
        d.indicator_type = "Account".into();
        assert!(!compact(&d).contains("score") && !compact(&d).contains("Account\",\"rawJSON"));
    }
}
