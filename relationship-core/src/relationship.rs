//! [`EntityRelationship`]: one XSOAR indicator relationship, as `CommonServerPython` models it,
//! and its three JSON renderings.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use crate::json::JsonStyle;
use crate::prerender::{self, Template};
use crate::reliability::Reliability;

pub use crate::fields::Fields;

/// The only relationship `type` XSOAR accepts.
pub const RELATIONSHIP_TYPE: &str = "IndicatorToIndicator";

/// The only entity family XSOAR accepts, for entity A and entity B alike.
pub const ENTITY_FAMILY: &str = "Indicator";

/// One relationship between two indicators, mirroring XSOAR's `EntityRelationship`.
///
/// The relationship `type` is always `IndicatorToIndicator` and both families are
/// `Indicator`: XSOAR accepts nothing else.
///
/// It has XSOAR's three renderings, each a borrowing [`Serialize`] view that writes the exact
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
#[derive(Clone)]
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
    /// relationship comes from a typed constructor. Not part of the relationship's value:
    /// ignored by `PartialEq` and `Debug`.
    pub(crate) template: Option<&'static Template>,
}

impl PartialEq for EntityRelationship {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.reverse_name == other.reverse_name
            && self.entity_a == other.entity_a
            && self.entity_a_type == other.entity_a_type
            && self.entity_b == other.entity_b
            && self.entity_b_type == other.entity_b_type
            && self.fields == other.fields
            && self.source_reliability == other.source_reliability
            && self.brand == other.brand
    }
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
            template: None,
        }
    }

    /// Attaches the pre-rendered constant parts of a typed constructor's relationship.
    pub(crate) fn with_template(mut self, template: Option<&'static Template>) -> Self {
        self.template = template;
        self
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

    /// XSOAR's `to_indicator()`: the form carried in `createIndicators` payloads.
    ///
    /// Exactly ten keys, in this order: `name`, `reverseName`, `type`, `entityA`,
    /// `entityAFamily`, `entityAType`, `entityB`, `entityBFamily`, `entityBType`, `fields`.
    /// Never `reliability` or `brand`. Serializes as `{}` when entity B is empty.
    pub fn to_indicator(&self) -> IndicatorRendering<'_> {
        IndicatorRendering(self)
    }

    /// XSOAR's `to_entry()`: the war-room entry form.
    ///
    /// The ten keys of [`to_indicator`](Self::to_indicator), then `reliability` (only when a
    /// source reliability is set), then `brand` (only when a non-empty brand is set).
    /// Serializes as `{}` when entity B is empty.
    pub fn to_entry(&self) -> EntryRendering<'_> {
        EntryRendering(self)
    }

    /// XSOAR's `to_context()`: the indicator-context form.
    ///
    /// Exactly five keys, in this order: `Relationship` (the name), `EntityA`,
    /// `EntityAType`, `EntityB`, `EntityBType`. Serializes as `{}` when entity B is empty.
    pub fn to_context(&self) -> ContextRendering<'_> {
        ContextRendering(self)
    }

    fn serialize_ten<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        s.serialize_field("name", &*self.name)?;
        s.serialize_field("reverseName", &*self.reverse_name)?;
        s.serialize_field("type", RELATIONSHIP_TYPE)?;
        s.serialize_field("entityA", self.entity_a.as_str())?;
        s.serialize_field("entityAFamily", ENTITY_FAMILY)?;
        s.serialize_field("entityAType", &*self.entity_a_type)?;
        s.serialize_field("entityB", self.entity_b.as_str())?;
        s.serialize_field("entityBFamily", ENTITY_FAMILY)?;
        s.serialize_field("entityBType", &*self.entity_b_type)?;
        s.serialize_field("fields", &self.fields)
    }
}

/// The [`EntityRelationship::to_indicator`] rendering: a borrowing [`Serialize`] view.
///
/// Writes XSOAR's ten keys in XSOAR's order without building any intermediate value. When
/// entity B is empty it serializes as `{}`, exactly like XSOAR's `to_indicator()`.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorRendering<'a>(pub &'a EntityRelationship);

impl IndicatorRendering<'_> {
    /// Writes the rendering to `w` in `style`: the same bytes as
    /// [`json::write_json`](crate::json::write_json) of this view, written directly.
    ///
    /// This is the fast way to render relationships. The keys are written as constant text,
    /// not serialized one by one; a relationship made by a typed constructor (`a.uses(&b)`)
    /// carries its name, reverse name, types and keys pre-rendered in both styles at compile
    /// time, so only the two entity values and `fields` are escaped here. Printable ASCII
    /// without `"` or `\` is copied as is; any other string, and `fields`, go through
    /// serde_json with the style's formatter, like the [`Serialize`] path.
    ///
    /// Writing into a reused `Vec<u8>` allocates nothing once the vector is large enough.
    ///
    /// # Errors
    ///
    /// The writer's errors; and, like [`json::write_json`](crate::json::write_json), a
    /// number in `fields` that is not JSON number text is an [`io::ErrorKind::InvalidData`]
    /// error in [`JsonStyle::Python`] (a `serde_json::Value` never holds one).
    ///
    /// ```
    /// use relationship_core::json::{self, JsonStyle};
    /// use relationship_core::prelude::*;
    /// use relationship_core::xsoar::types::{Account, Host};
    ///
    /// let user = Entity::<Account>::new("u4872");
    /// let machine = Entity::<Host>::new("pc135456.domain.local");
    /// let mut buf = Vec::new();
    /// for style in [JsonStyle::Compact, JsonStyle::Python] {
    ///     buf.clear();
    ///     let rel = user.uses(&machine);
    ///     rel.to_indicator().write_json(&mut buf, style)?;
    ///     // the same bytes as serializing the view with serde
    ///     assert_eq!(buf, json::to_vec(&rel.to_indicator(), style)?);
    /// }
    /// assert_eq!(
    ///     String::from_utf8_lossy(&buf),
    ///     r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn write_json<W: Write + ?Sized>(&self, w: &mut W, style: JsonStyle) -> io::Result<()> {
        prerender::write_indicator(w, self.0, style)
    }
}

/// The [`EntityRelationship::to_entry`] rendering: a borrowing [`Serialize`] view.
///
/// The ten `to_indicator` keys, then the optional `reliability` and `brand`. When entity B
/// is empty it serializes as `{}`, exactly like XSOAR's `to_entry()`.
#[derive(Debug, Clone, Copy)]
pub struct EntryRendering<'a>(pub &'a EntityRelationship);

/// The [`EntityRelationship::to_context`] rendering: a borrowing [`Serialize`] view.
///
/// Five keys: `Relationship`, `EntityA`, `EntityAType`, `EntityB`, `EntityBType`. When
/// entity B is empty it serializes as `{}`, exactly like XSOAR's `to_context()`.
#[derive(Debug, Clone, Copy)]
pub struct ContextRendering<'a>(pub &'a EntityRelationship);

impl Serialize for IndicatorRendering<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rel = self.0;
        if rel.renders_empty() {
            return serializer.serialize_struct("EntityRelationship", 0)?.end();
        }
        let mut s = serializer.serialize_struct("EntityRelationship", 10)?;
        rel.serialize_ten(&mut s)?;
        s.end()
    }
}

impl Serialize for EntryRendering<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rel = self.0;
        if rel.renders_empty() {
            return serializer.serialize_struct("EntityRelationship", 0)?.end();
        }
        let len =
            10 + usize::from(rel.source_reliability.is_some()) + usize::from(rel.brand.is_some());
        let mut s = serializer.serialize_struct("EntityRelationship", len)?;
        rel.serialize_ten(&mut s)?;
        if let Some(r) = rel.source_reliability {
            s.serialize_field("reliability", r.as_str())?;
        }
        if let Some(brand) = &rel.brand {
            s.serialize_field("brand", brand.as_str())?;
        }
        s.end()
    }
}

impl Serialize for ContextRendering<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rel = self.0;
        if rel.renders_empty() {
            return serializer.serialize_struct("EntityRelationship", 0)?.end();
        }
        let mut s = serializer.serialize_struct("EntityRelationship", 5)?;
        s.serialize_field("Relationship", &*rel.name)?;
        s.serialize_field("EntityA", rel.entity_a.as_str())?;
        s.serialize_field("EntityAType", &*rel.entity_a_type)?;
        s.serialize_field("EntityB", rel.entity_b.as_str())?;
        s.serialize_field("EntityBType", &*rel.entity_b_type)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EntityRelationship {
        EntityRelationship::new(
            "uses",
            "used-by",
            "u4872",
            "Account",
            "pc135456.domain.local",
            "Host",
        )
    }

    fn compact<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    #[test]
    fn indicator_has_ten_keys_in_order() {
        assert_eq!(
            compact(&sample().to_indicator()),
            r#"{"name":"uses","reverseName":"used-by","type":"IndicatorToIndicator","entityA":"u4872","entityAFamily":"Indicator","entityAType":"Account","entityB":"pc135456.domain.local","entityBFamily":"Indicator","entityBType":"Host","fields":{}}"#
        );
    }

    #[test]
    fn indicator_ignores_reliability_and_brand() {
        let rel = sample().with_reliability(Reliability::A).with_brand("X");
        assert_eq!(
            compact(&rel.to_indicator()),
            compact(&sample().to_indicator())
        );
        assert_eq!(compact(&rel.to_context()), compact(&sample().to_context()));
    }

    #[test]
    fn entry_adds_optional_keys_in_order() {
        let base = compact(&sample().to_indicator());
        assert_eq!(compact(&sample().to_entry()), base);
        let stem = &base[..base.len() - 1];
        let rel = sample().with_brand("B1");
        assert_eq!(
            compact(&rel.to_entry()),
            format!(r#"{stem},"brand":"B1"}}"#)
        );
        let rel = sample().with_reliability(Reliability::F);
        assert_eq!(
            compact(&rel.to_entry()),
            format!(r#"{stem},"reliability":"F - Reliability cannot be judged"}}"#)
        );
        let rel = sample().with_brand("B1").with_reliability(Reliability::F);
        assert_eq!(
            compact(&rel.to_entry()),
            format!(r#"{stem},"reliability":"F - Reliability cannot be judged","brand":"B1"}}"#)
        );
        assert_eq!(sample().with_brand("").brand(), None);
    }

    #[test]
    fn fields_keep_insertion_order() {
        let mut fields = Fields::new();
        fields.insert("z", 1);
        fields.insert(
            "a",
            crate::fields::RawJson::parse(r#"{"y": [true, null], "b": "c"}"#).unwrap(),
        );
        let out = compact(&sample().with_fields(fields).to_indicator());
        assert!(
            out.ends_with(r#""fields":{"z":1,"a":{"y":[true,null],"b":"c"}}}"#),
            "{out}"
        );
    }

    #[test]
    fn empty_entity_b_renders_empty_objects() {
        let rel = EntityRelationship::new("uses", "used-by", "a", "Account", "", "Host")
            .with_reliability(Reliability::A)
            .with_brand("b");
        assert!(rel.renders_empty());
        assert_eq!(compact(&rel.to_indicator()), "{}");
        assert_eq!(compact(&rel.to_entry()), "{}");
        assert_eq!(compact(&rel.to_context()), "{}");
    }
}
