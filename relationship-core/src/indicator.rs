//! Indicator objects as `demisto.createIndicators` takes them.

use std::borrow::Cow;

use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use crate::fields::RawJson;
use crate::relationship::{EntityRelationship, Fields};

/// The value of XSOAR's pseudo-indicator that carries relationships without an owner.
pub const DUMMY_INDICATOR_VALUE: &str = "$$DummyIndicator$$";

/// How an [`IndicatorObject`] orders its keys (the dummy indicator is the same in every
/// layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndicatorLayout {
    /// `value`, `type`, `score` (when set), `rawJSON`, `fields`, `relationships` (when
    /// non-empty).
    #[default]
    Standard,
    /// The order XSOAR's feeds build their indicator dicts in (`{"value": …, "score": …,
    /// "type": …, "rawJSON": …, "fields": …}`): `value`, `score` (`null` when unset), `type`,
    /// `rawJSON`, `fields`, `relationships` (when non-empty).
    Feed,
    /// As [`Feed`](Self::Feed), with `relationships` written even when empty: an indicator
    /// to which the feed always gives a relationships list (a technique's links to its
    /// tactics in XSOAR's MITRE ATT&CK feed).
    FeedWithRelationships,
}

/// One indicator object of a createIndicators batch.
///
/// Rendered with the keys `value`, `type`, `score` (when set), `rawJSON`, `fields`, and
/// `relationships` (when non-empty, each as [`EntityRelationship::to_indicator`]), in that
/// order; another [`layout`](Self::layout) gives the order of XSOAR's feeds.
///
/// An object whose `value` is [`DUMMY_INDICATOR_VALUE`] is XSOAR's dummy indicator and is
/// rendered with only `value` and `relationships` (the latter even when empty), exactly as
/// feeds build it: `{"value": "$$DummyIndicator$$", "relationships": [...]}`.
///
/// ```
/// use relationship_core::json::{self, JsonStyle};
/// use relationship_core::{EntityRelationship, IndicatorObject};
///
/// let ind = IndicatorObject::new("8.8.8.8", "IP").with_score(1);
/// assert_eq!(
///     json::to_string(&ind, JsonStyle::Python).unwrap(),
///     r#"{"value": "8.8.8.8", "type": "IP", "score": 1, "rawJSON": {}, "fields": {}}"#
/// );
/// let rel = EntityRelationship::new("resolves-to", "resolved-from", "a.example", "Domain", "8.8.8.8", "IP");
/// let dummy = IndicatorObject::dummy(vec![rel]);
/// assert!(json::to_string(&dummy, JsonStyle::Compact).unwrap()
///     .starts_with(r#"{"value":"$$DummyIndicator$$","relationships":[{"name":"resolves-to","#));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorObject {
    /// The indicator value, e.g. `8.8.8.8`.
    pub value: String,
    /// XSOAR's indicator type string.
    pub indicator_type: Cow<'static, str>,
    /// DBot score 0–3, omitted when `None`.
    pub score: Option<u8>,
    /// The unmodified source object.
    pub raw_json: RawJson,
    /// Indicator fields keyed by cliname, in insertion order.
    pub fields: Fields,
    /// Relationships attached to this indicator (entity A is this indicator).
    pub relationships: Vec<EntityRelationship>,
    /// The order of the keys. Default [`IndicatorLayout::Standard`].
    pub layout: IndicatorLayout,
}

impl IndicatorObject {
    /// A new indicator with no score, an empty `rawJSON` object and no fields.
    pub fn new(value: impl Into<String>, indicator_type: impl Into<Cow<'static, str>>) -> Self {
        IndicatorObject {
            value: value.into(),
            indicator_type: indicator_type.into(),
            score: None,
            raw_json: RawJson::empty_object(),
            fields: Fields::new(),
            relationships: Vec::new(),
            layout: IndicatorLayout::Standard,
        }
    }

    /// XSOAR's dummy indicator carrying `relationships`.
    pub fn dummy(relationships: Vec<EntityRelationship>) -> Self {
        IndicatorObject {
            relationships,
            ..IndicatorObject::new(DUMMY_INDICATOR_VALUE, "")
        }
    }

    /// Whether this is the dummy indicator (its value is [`DUMMY_INDICATOR_VALUE`]).
    pub fn is_dummy(&self) -> bool {
        self.value == DUMMY_INDICATOR_VALUE
    }

    /// Sets the DBot score.
    pub fn with_score(mut self, score: u8) -> Self {
        self.score = Some(score);
        self
    }

    /// Sets `rawJSON`.
    pub fn with_raw_json(mut self, raw_json: impl Into<RawJson>) -> Self {
        self.raw_json = raw_json.into();
        self
    }

    /// Sets the indicator fields.
    pub fn with_fields(mut self, fields: Fields) -> Self {
        self.fields = fields;
        self
    }

    /// Sets the order of the keys.
    pub fn with_layout(mut self, layout: IndicatorLayout) -> Self {
        self.layout = layout;
        self
    }

    /// Appends a relationship to this indicator's `relationships`.
    pub fn with_relationship(mut self, relationship: EntityRelationship) -> Self {
        self.relationships.push(relationship);
        self
    }

    /// Writes the object to `w` in `style`: the same bytes as
    /// [`json::write_json`](crate::json::write_json) of it, with each relationship written by
    /// the direct writer [`IndicatorRendering::write_json`](crate::IndicatorRendering::write_json)
    /// rather than field by field through serde.
    ///
    /// # Errors
    ///
    /// The writer's errors, and those of [`json::write_json`](crate::json::write_json) for
    /// `rawJSON` and `fields`.
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
    pub fn write_json<W: std::io::Write + ?Sized>(
        &self,
        w: &mut W,
        style: crate::json::JsonStyle,
    ) -> std::io::Result<()> {
        crate::prerender::write_indicator_object(w, self, style)
    }
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
        let rels = ToIndicatorList(&self.relationships);
        if self.is_dummy() {
            let mut s = serializer.serialize_struct("IndicatorObject", 2)?;
            s.serialize_field("value", DUMMY_INDICATOR_VALUE)?;
            s.serialize_field("relationships", &rels)?;
            return s.end();
        }
        let (feed, all_relationships) = match self.layout {
            IndicatorLayout::Standard => (false, false),
            IndicatorLayout::Feed => (true, false),
            IndicatorLayout::FeedWithRelationships => (true, true),
        };
        let with_relationships = all_relationships || !self.relationships.is_empty();
        let len = 4 + usize::from(feed || self.score.is_some()) + usize::from(with_relationships);
        let mut s = serializer.serialize_struct("IndicatorObject", len)?;
        s.serialize_field("value", self.value.as_str())?;
        if feed {
            s.serialize_field("score", &self.score)?;
            s.serialize_field("type", &*self.indicator_type)?;
        } else {
            s.serialize_field("type", &*self.indicator_type)?;
            if let Some(score) = self.score {
                s.serialize_field("score", &score)?;
            }
        }
        s.serialize_field("rawJSON", &self.raw_json)?;
        s.serialize_field("fields", &self.fields)?;
        if with_relationships {
            s.serialize_field("relationships", &rels)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
