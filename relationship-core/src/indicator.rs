//! Indicator objects as `demisto.createIndicators` takes them.

use std::borrow::Cow;

use crate::relationship::{EntityRelationship, Fields};

/// The value of XSOAR's pseudo-indicator that carries relationships without an owner.
pub const DUMMY_INDICATOR_VALUE: &str = "$$DummyIndicator$$";

/// One indicator object of a createIndicators batch.
///
/// Rendered with the keys `value`, `type`, `score` (when set), `rawJSON`, `fields`, and
/// `relationships` (when non-empty), in that order.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorObject {
    /// The indicator value, e.g. `8.8.8.8`.
    pub value: String,
    /// XSOAR's indicator type string.
    pub indicator_type: Cow<'static, str>,
    /// DBot score 0–3, omitted when `None`.
    pub score: Option<u8>,
    /// The unmodified source object.
    pub raw_json: serde_json::Value,
    /// Indicator fields keyed by cliname, in insertion order.
    pub fields: Fields,
    /// Relationships attached to this indicator (entity A is this indicator).
    pub relationships: Vec<EntityRelationship>,
}

impl IndicatorObject {
    /// A new indicator with no score, an empty `rawJSON` object and no fields.
    pub fn new(value: impl Into<String>, indicator_type: impl Into<Cow<'static, str>>) -> Self {
        IndicatorObject {
            value: value.into(),
            indicator_type: indicator_type.into(),
            score: None,
            raw_json: serde_json::Value::Object(Fields::new()),
            fields: Fields::new(),
            relationships: Vec::new(),
        }
    }
}
