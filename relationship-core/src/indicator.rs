//! Indicator objects as `demisto.createIndicators` takes them (rendered by [`crate::json`]).

use std::borrow::Cow;

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
}
