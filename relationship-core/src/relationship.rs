//! [`EntityRelationship`]: one XSOAR indicator relationship, as `CommonServerPython` models it.

use std::borrow::Cow;

use crate::reliability::Reliability;

/// A JSON object whose keys keep their insertion order (XSOAR writes `fields` as given).
pub type Fields = serde_json::Map<String, serde_json::Value>;

/// One relationship between two indicators, mirroring XSOAR's `EntityRelationship`.
///
/// The relationship `type` is always `IndicatorToIndicator` and both families are
/// `Indicator`: XSOAR accepts nothing else.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRelationship {
    pub(crate) name: Cow<'static, str>,
    pub(crate) reverse_name: Cow<'static, str>,
    pub(crate) entity_a: String,
    pub(crate) entity_a_type: Cow<'static, str>,
    pub(crate) entity_b: String,
    pub(crate) entity_b_type: Cow<'static, str>,
    pub(crate) fields: Fields,
    pub(crate) source_reliability: Option<Reliability>,
    pub(crate) brand: Option<String>,
}

impl EntityRelationship {
    /// Builds a relationship from its parts, unchecked: the typed constructors and the
    /// schema schema checks are the checked ways in.
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        reverse_name: impl Into<Cow<'static, str>>,
        entity_a: impl Into<String>,
        entity_a_type: impl Into<Cow<'static, str>>,
        entity_b: impl Into<String>,
        entity_b_type: impl Into<Cow<'static, str>>,
    ) -> Self {
        EntityRelationship {
            name: name.into(),
            reverse_name: reverse_name.into(),
            entity_a: entity_a.into(),
            entity_a_type: entity_a_type.into(),
            entity_b: entity_b.into(),
            entity_b_type: entity_b_type.into(),
            fields: Fields::new(),
            source_reliability: None,
            brand: None,
        }
    }

    /// Sets the relationship's `fields` (an ordered JSON object).
    pub fn with_fields(mut self, fields: Fields) -> Self {
        self.fields = fields;
        self
    }

    /// Sets the source reliability (rendered only by [`Self::to_entry`]).
    pub fn with_reliability(mut self, reliability: Reliability) -> Self {
        self.source_reliability = Some(reliability);
        self
    }

    /// Sets the brand (rendered only by [`Self::to_entry`]); an empty brand is omitted.
    pub fn with_brand(mut self, brand: impl Into<String>) -> Self {
        let brand = brand.into();
        self.brand = (!brand.is_empty()).then_some(brand);
        self
    }

    /// The relationship name, e.g. `uses`.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The reverse name, e.g. `used-by`.
    pub fn reverse_name(&self) -> &str {
        &self.reverse_name
    }
    /// Entity A's value.
    pub fn entity_a(&self) -> &str {
        &self.entity_a
    }
    /// Entity A's XSOAR type.
    pub fn entity_a_type(&self) -> &str {
        &self.entity_a_type
    }
    /// Entity B's value.
    pub fn entity_b(&self) -> &str {
        &self.entity_b
    }
    /// Entity B's XSOAR type.
    pub fn entity_b_type(&self) -> &str {
        &self.entity_b_type
    }
    /// The relationship's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }
    /// Mutable access to the fields.
    pub fn fields_mut(&mut self) -> &mut Fields {
        &mut self.fields
    }
    /// The source reliability, if set.
    pub fn source_reliability(&self) -> Option<Reliability> {
        self.source_reliability
    }
    /// The brand, if set.
    pub fn brand(&self) -> Option<&str> {
        self.brand.as_deref()
    }
}
