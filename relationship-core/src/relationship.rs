//! [`EntityRelationship`]: one XSOAR indicator relationship, as `CommonServerPython` models it.
//! Its three JSON renderings are in [`crate::json`].

use std::borrow::Cow;
use std::fmt;

use crate::reliability::Reliability;

pub use crate::fields::Fields;

/// The only relationship `type` XSOAR accepts.
pub(crate) const RELATIONSHIP_TYPE: &str = "IndicatorToIndicator";

/// The only entity family XSOAR accepts, for entity A and entity B alike.
pub(crate) const ENTITY_FAMILY: &str = "Indicator";

/// The constant parts of a typed relationship's `to_indicator()` rendering, made at compile
/// time (see [`crate::json`]): `[head, mid, tail]` in [`JsonStyle::Compact`](crate::JsonStyle),
/// then in [`JsonStyle::Python`](crate::JsonStyle).
pub(crate) type Prerendered = [[&'static [u8]; 3]; 2];

/// The [`Prerendered`] parts of a relationship, if it has them. Not part of the
/// relationship's value: any two are equal, so `EntityRelationship`'s `PartialEq` ignores them.
#[derive(Clone, Copy, Default)]
pub(crate) struct Template(pub(crate) Option<&'static Prerendered>);

impl PartialEq for Template {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// One relationship between two indicators, mirroring XSOAR's `EntityRelationship`.
///
/// The relationship `type` is always `IndicatorToIndicator` and both families are
/// `Indicator`: XSOAR accepts nothing else.
///
/// It has XSOAR's three renderings, each a borrowing [`Serialize`](serde_core::Serialize) view that writes the exact
/// keys, in the exact order, of `CommonServerPython`:
/// [`to_indicator`](Self::to_indicator) (inside `createIndicators` payloads),
/// [`to_entry`](Self::to_entry) (war-room entries) and [`to_context`](Self::to_context)
/// (indicator context).
///
/// **Empty entity B.** XSOAR's constructor only logs a warning when `entity_b` is empty, and
/// all three of its renderings then return an empty dict. The renderings here do the same:
/// they serialize as `{}` (see [`renders_empty`](Self::renders_empty)).
/// [`crate::check::Checker`] in strict mode rejects such a relationship before it is built.
///
/// The seed's example, `u4872` (Account) uses `pc135456.domain.local` (Host), written the
/// way XSOAR's Python helper writes it:
///
/// ```
/// use relationship_core::json::{self, JsonStyle};
/// use relationship_core::{EntityRelationship, Reliability};
///
/// let rel = EntityRelationship::new(
///     "uses", "used-by", "u4872", "Account", "pc135456.domain.local", "Host",
/// );
/// assert_eq!(
///     json::to_string(&rel.to_indicator(), JsonStyle::Python).unwrap(),
///     r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#
/// );
/// assert_eq!(
///     json::to_string(&rel.to_context(), JsonStyle::Compact).unwrap(),
///     r#"{"Relationship":"uses","EntityA":"u4872","EntityAType":"Account","EntityB":"pc135456.domain.local","EntityBType":"Host"}"#
/// );
///
/// // reliability and brand appear in entries only, after `fields`.
/// let rel = rel.with_reliability(Reliability::B).with_brand("MyBrand");
/// let entry = json::to_string(&rel.to_entry(), JsonStyle::Python).unwrap();
/// assert!(entry.ends_with(r#""fields": {}, "reliability": "B - Usually reliable", "brand": "MyBrand"}"#));
/// ```
#[derive(Clone, PartialEq)]
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
    /// The constant parts of the `to_indicator()` rendering, pre-rendered when the
    /// relationship comes from a typed constructor; left out of `Debug`.
    pub(crate) template: Template,
}

impl fmt::Debug for EntityRelationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntityRelationship")
            .field("name", &self.name)
            .field("reverse_name", &self.reverse_name)
            .field("entity_a", &self.entity_a)
            .field("entity_a_type", &self.entity_a_type)
            .field("entity_b", &self.entity_b)
            .field("entity_b_type", &self.entity_b_type)
            .field("fields", &self.fields)
            .field("source_reliability", &self.source_reliability)
            .field("brand", &self.brand)
            .finish()
    }
}

impl EntityRelationship {
    /// Builds a relationship from its parts, unchecked: the typed constructors and the
    /// schema checks of [`crate::check`] are the checked ways in.
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
            template: Template(None),
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

    /// Whether all renderings are `{}`: XSOAR's behaviour when entity B is empty.
    pub fn renders_empty(&self) -> bool {
        self.entity_b.is_empty()
    }
}
