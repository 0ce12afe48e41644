//! The compile-time layer's runtime traits: indicator type and relationship markers,
//! [`Indicator`] (what `#[derive(Indicator)]` implements) and [`Relationships`] (what
//! `#[derive(Relationships)]` implements).
//!
//! The markers and the typed constructors themselves are generated from a schema: see
//! [`crate::xsoar`] for the default one.
//!
//! ```
//! use relationship_core::prelude::*;
//! use relationship_core::xsoar::types::{Account, Host};
//!
//! let user = Entity::<Account>::new("u4872");
//! let machine = Entity::<Host>::new("pc135456.domain.local");
//! let rel = user.uses(&machine);
//! assert_eq!(rel.name(), "uses");
//! assert_eq!(rel.reverse_name(), "used-by");
//! assert_eq!(rel.entity_b_type(), "Host");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::indicator::IndicatorObject;
use crate::relationship::EntityRelationship;

/// A zero-sized marker for one XSOAR indicator type (`xsoar::types::AttackPattern`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an XSOAR indicator type",
    label = "expected an indicator type marker",
    note = "use a marker from `xsoar::types` (e.g. `xsoar::types::Host`) or from a module generated from your schema"
)]
pub trait IndicatorType: 'static {
    /// XSOAR's exact type string, e.g. `Attack Pattern`.
    const NAME: &'static str;
}

/// A zero-sized marker for one relationship name (`xsoar::rels::Uses`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an XSOAR relationship name",
    label = "expected a relationship marker",
    note = "use a marker from `xsoar::rels` (e.g. `xsoar::rels::Uses`) or from a module generated from your schema"
)]
pub trait RelationshipName: 'static {
    /// XSOAR's relationship name, e.g. `uses`.
    const NAME: &'static str;
    /// XSOAR's reverse name, verbatim, e.g. `used-by`.
    const REVERSE: &'static str;
}

/// A value that is an XSOAR indicator of the type `Self::Kind`.
///
/// Usually derived: `#[derive(Indicator)] #[indicator(type = "Host")]`. The schema's typed
/// constructors (`uses`, `used_by`, ...) are available on every `Indicator` whose `Kind`
/// belongs to the schema.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an XSOAR indicator",
    label = "expected an indicator",
    note = "derive it with `#[derive(Indicator)]` and `#[indicator(type = \"...\")]`, or wrap a value in `Entity::<xsoar::types::Host>::new(..)`"
)]
pub trait Indicator {
    /// The indicator type marker, e.g. `relationship_core::xsoar::types::Host`.
    type Kind: IndicatorType;

    /// The indicator value (`pc135456.domain.local`). An empty value means "no indicator":
    /// records skip it and its relationships.
    fn indicator_value(&self) -> Cow<'_, str>;

    /// XSOAR's type string of this indicator.
    fn indicator_type(&self) -> &'static str {
        <Self::Kind as IndicatorType>::NAME
    }

    /// The indicator as one object of a `createIndicators` batch: value, type, and (for
    /// derived indicators) score, fields and `rawJSON`.
    ///
    /// # Errors
    ///
    /// A [`FieldError`] when a derived indicator's `#[indicator(field = "...")]` or
    /// `#[indicator(raw_json)]` field does not serialize to JSON: its `Serialize`
    /// implementation returns an error, or it is a map whose keys do not serialize as
    /// strings; and a [`FieldError`] with the target [`FieldTarget::Value`] when the value is
    /// empty (an `Option` value field holding `None`, or an empty string): XSOAR creates no
    /// indicator from an empty value, and `xsoar-rel batch` refuses one, so the typed path
    /// refuses it too. (Records skip such indicators before this is called.)
    fn to_indicator_object(&self) -> Result<IndicatorObject, FieldError> {
        let value = self.indicator_value();
        if value.is_empty() {
            return Err(FieldError::empty_value(
                std::any::type_name::<Self>(),
                "value",
            ));
        }
        Ok(IndicatorObject::new(value.into_owned(), Self::Kind::NAME))
    }
}

impl<I: Indicator + ?Sized> Indicator for &I {
    type Kind = I::Kind;
    fn indicator_value(&self) -> Cow<'_, str> {
        (**self).indicator_value()
    }
    fn to_indicator_object(&self) -> Result<IndicatorObject, FieldError> {
        (**self).to_indicator_object()
    }
}

/// A field of a derived indicator that does not serialize to JSON, or an empty indicator
/// value, from [`Indicator::to_indicator_object`] or [`Relationships::indicators`].
///
/// It names the struct, the field and where its value was going, and carries serde's
/// message: ``cannot serialize `User.display` into the indicator field `displayname`: ...``.
#[derive(Debug)]
pub struct FieldError {
    indicator: &'static str,
    field: &'static str,
    target: FieldTarget,
    error: serde_json::Error,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { indicator, .. } = self;
        let (field, target, error) = (self.field, self.target, &self.error);
        write!(
            f,
            "cannot serialize `{indicator}.{field}` into {target}: {error}"
        )
    }
}

impl std::error::Error for FieldError {}

impl FieldError {
    pub(crate) fn new(
        indicator: &'static str,
        field: &'static str,
        target: FieldTarget,
        error: serde_json::Error,
    ) -> Self {
        FieldError {
            indicator,
            field,
            target,
            error,
        }
    }

    /// The error for an empty indicator value in the field `field` of `indicator`.
    pub(crate) fn empty_value(indicator: &'static str, field: &'static str) -> Self {
        FieldError::new(
            indicator,
            field,
            FieldTarget::Value,
            <serde_json::Error as serde_core::ser::Error>::custom(
                "the value is empty (`None` or \"\"): XSOAR creates no indicator from an empty value",
            ),
        )
    }

    /// The name of the struct that derives `Indicator`.
    pub fn indicator(&self) -> &'static str {
        self.indicator
    }

    /// The struct's field: its name, or its index in a tuple struct.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Where the field's value was going.
    pub fn target(&self) -> FieldTarget {
        self.target
    }

    /// serde's error.
    pub fn serde_error(&self) -> &serde_json::Error {
        &self.error
    }
}

/// Where the value of a derived indicator's field goes in its [`IndicatorObject`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldTarget {
    /// `#[indicator(field = "cliname")]`: the entry of `fields` with this cliname.
    Field(&'static str),
    /// `#[indicator(raw_json)]`: `rawJSON`.
    RawJson,
    /// `#[indicator(value)]`: the indicator value, which may not be empty.
    Value,
}

impl fmt::Display for FieldTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldTarget::Field(cliname) => write!(f, "the indicator field `{cliname}`"),
            FieldTarget::RawJson => f.write_str("`rawJSON`"),
            FieldTarget::Value => f.write_str("the indicator value"),
        }
    }
}

/// A record holding several indicators and the relationships between them, e.g. one
/// EDR/SIEM event. Usually derived: `#[derive(Relationships)]`.
pub trait Relationships {
    /// The record's indicators, in field order, skipping `None` and empty values.
    ///
    /// # Errors
    ///
    /// The [`FieldError`] of the first indicator whose
    /// [`to_indicator_object`](Indicator::to_indicator_object) fails.
    fn indicators(&self) -> Result<Vec<IndicatorObject>, FieldError>;

    /// The record's relationships, in declaration order, skipping those with a `None` or
    /// empty end.
    fn relationships(&self) -> Vec<EntityRelationship>;
}

/// A plain indicator of the type `K`: a value and nothing else.
///
/// Handy when no struct is worth deriving:
/// `Entity::<Host>::new("pc1").uses(...)`.
pub struct Entity<K> {
    value: String,
    kind: PhantomData<fn() -> K>,
}

impl<K: IndicatorType> Entity<K> {
    /// An indicator of the type `K` with this value.
    pub fn new(value: impl Into<String>) -> Self {
        Entity {
            value: value.into(),
            kind: PhantomData,
        }
    }

    /// The value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl<K: IndicatorType> Indicator for Entity<K> {
    type Kind = K;
    fn indicator_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.value)
    }
}

impl<K: IndicatorType> fmt::Debug for Entity<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entity")
            .field("type", &K::NAME)
            .field("value", &self.value)
            .finish()
    }
}

impl<K> Clone for Entity<K> {
    fn clone(&self) -> Self {
        Entity {
            value: self.value.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> PartialEq for Entity<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<K> Eq for Entity<K> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xsoar::Relate;
    use crate::xsoar::types::{Account, AttackPattern, Host};

    #[test]
    fn entity_renders_its_type_and_value() {
        let e = Entity::<AttackPattern>::new("T1059");
        assert_eq!(e.indicator_type(), "Attack Pattern");
        assert_eq!(e.indicator_value(), "T1059");
        let obj = e.to_indicator_object().unwrap();
        assert_eq!(obj.value, "T1059");
        assert_eq!(obj.indicator_type, "Attack Pattern");
        assert_eq!(
            format!("{e:?}"),
            r#"Entity { type: "Attack Pattern", value: "T1059" }"#
        );
    }

    #[test]
    fn typed_constructor_fills_all_six_parts() {
        let rel = Entity::<Account>::new("u4872").uses(&Entity::<Host>::new("pc1"));
        assert_eq!(
            (
                rel.name(),
                rel.reverse_name(),
                rel.entity_a(),
                rel.entity_a_type(),
                rel.entity_b(),
                rel.entity_b_type()
            ),
            ("uses", "used-by", "u4872", "Account", "pc1", "Host")
        );
    }

    #[test]
    fn reference_forwards() {
        let e = Entity::<Host>::new("pc1");
        let r = &e;
        assert_eq!(Indicator::indicator_value(&r), "pc1");
        assert_eq!(r.indicator_type(), "Host");
    }
}
