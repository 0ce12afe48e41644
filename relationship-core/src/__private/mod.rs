//! Items the generated code and the derive macros name by path. Not a public API: no
//! semver guarantees; `relationship-macros` is pinned to this crate's exact version.

use crate::indicator;
use crate::json::relationship::Templates;
use crate::relationship::{EntityRelationship, Fields, Prerendered, Template};
use crate::typed::{FieldError, FieldTarget, Indicator, IndicatorType, RelationshipName};

pub use std::borrow::Cow;

/// This crate, under a name no other crate's `__private` has: a derive given
/// `crate = path` imports `path::__private::relationship_runtime` once, so a path that is
/// not this crate is one unresolved import, and every use of the runtime behind it is
/// silent.
pub use crate as relationship_runtime;

pub mod policy;

/// The indicator type of a `#[derive(Indicator)]` whose attributes had an error.
///
/// The derive reports the error and still implements [`Indicator`] with this kind, which
/// every generated check accepts, so a typo causes exactly one error and no cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Unknown;

impl IndicatorType for Unknown {
    const NAME: &'static str = "";
}

/// The indicator type of a [`CheckedEntity`]: `K` itself (same name, same output), for a
/// pair that `#[derive(Relationships)]` already checked in a `const`, whose message names
/// every part in the schema's spelling. Every generated check accepts a pair of `Checked`
/// types of its schema, so the same mistake is not reported twice.
#[derive(Debug)]
pub struct Checked<K>(core::marker::PhantomData<fn() -> K>);

impl<K: IndicatorType> IndicatorType for Checked<K> {
    const NAME: &'static str = K::NAME;
}

/// An indicator whose relationship `#[derive(Relationships)]` checked at compile time: `E`,
/// of the kind [`Checked<E::Kind>`](Checked).
#[derive(Debug)]
pub struct CheckedEntity<'a, E: ?Sized>(pub &'a E);

impl<E: Indicator + ?Sized> Indicator for CheckedEntity<'_, E> {
    type Kind = Checked<E::Kind>;
    #[inline]
    fn indicator_value(&self) -> Cow<'_, str> {
        self.0.indicator_value()
    }
}

/// The body of every typed constructor.
#[inline]
pub fn relate<R, A, B>(a: &A, b: &B) -> EntityRelationship
where
    R: RelationshipName,
    A: Indicator + ?Sized,
    B: Indicator + ?Sized,
{
    relate_prerendered(
        R::NAME,
        R::REVERSE,
        a.indicator_value(),
        <A::Kind as IndicatorType>::NAME,
        b.indicator_value(),
        <B::Kind as IndicatorType>::NAME,
        Templates::<R, A::Kind, B::Kind>::TEMPLATE,
    )
}

/// The non-generic part of [`relate`], with the `to_indicator()` template it made at compile
/// time from the same constants: compiled once, not once per (relationship, source, target)
/// instantiation, which keeps release builds of crates with many typed calls fast.
#[inline(never)]
fn relate_prerendered(
    name: &'static str,
    reverse: &'static str,
    a: Cow<'_, str>,
    a_type: &'static str,
    b: Cow<'_, str>,
    b_type: &'static str,
    template: Option<&'static Prerendered>,
) -> EntityRelationship {
    let mut rel = EntityRelationship::new(
        name,
        reverse,
        a.into_owned(),
        a_type,
        b.into_owned(),
        b_type,
    );
    rel.template = Template(template);
    rel
}

/// A field of a `#[derive(Relationships)]` record that holds an indicator: the indicator
/// itself or an `Option` of it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an XSOAR indicator",
    label = "a field named in `#[relationship(...)]` must implement `Indicator` (or be an `Option` of one)",
    note = "derive it: `#[derive(Indicator)] #[indicator(type = \"...\")]`, or use `Entity<Marker>`"
)]
pub trait AsEntity {
    /// The indicator type.
    type Entity: Indicator + ?Sized;
    /// The indicator, if present.
    fn as_entity(&self) -> Option<&Self::Entity>;
}

impl<T: Indicator> AsEntity for T {
    type Entity = T;
    #[inline]
    fn as_entity(&self) -> Option<&T> {
        Some(self)
    }
}

impl<T: Indicator> AsEntity for Option<T> {
    type Entity = T;
    #[inline]
    fn as_entity(&self) -> Option<&T> {
        self.as_ref()
    }
}

/// A type usable as the `#[indicator(value)]` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an indicator value",
    label = "the `#[indicator(value)]` field must be text, an IP address or an integer",
    note = "use `String`, `&str`, `Box<str>`, `Cow<str>`, an `Option` of one of them, an IP address type or an integer"
)]
pub trait IndicatorValue {
    /// The value as text; empty for "no value".
    fn to_value(&self) -> Cow<'_, str>;
}

impl<T: IndicatorValue + ?Sized> IndicatorValue for &T {
    fn to_value(&self) -> Cow<'_, str> {
        (**self).to_value()
    }
}
impl<T: IndicatorValue> IndicatorValue for Option<T> {
    fn to_value(&self) -> Cow<'_, str> {
        self.as_ref().map_or(Cow::Borrowed(""), T::to_value)
    }
}
/// `IndicatorValue` for text, borrowed as it is, and for values written with `Display`.
macro_rules! indicator_value {
    (text: $($text:ty),*; display: $($display:ty),*) => {
        $(impl IndicatorValue for $text {
            fn to_value(&self) -> Cow<'_, str> {
                Cow::Borrowed(self)
            }
        })*
        $(impl IndicatorValue for $display {
            fn to_value(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        })*
    };
}
indicator_value!(
    text: str, String, Cow<'_, str>, Box<str>, std::sync::Arc<str>, std::rc::Rc<str>;
    display: std::net::IpAddr, std::net::Ipv4Addr, std::net::Ipv6Addr, u16, u32, u64, i32, i64
);

/// The value of an `#[indicator(value)]` field.
#[inline]
pub fn value_of<T: IndicatorValue + ?Sized>(v: &T) -> Cow<'_, str> {
    v.to_value()
}

/// A type usable as the `#[indicator(score)]` field: `u8` or `Option<u8>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an indicator score",
    label = "the `#[indicator(score)]` field must be `u8` or `Option<u8>`"
)]
pub trait ScoreValue {
    /// The DBot score, if any.
    fn to_score(&self) -> Option<u8>;
}
impl ScoreValue for u8 {
    fn to_score(&self) -> Option<u8> {
        Some(*self)
    }
}
impl ScoreValue for Option<u8> {
    fn to_score(&self) -> Option<u8> {
        *self
    }
}

/// The score of an `#[indicator(score)]` field.
#[inline]
pub fn score_of<T: ScoreValue + ?Sized>(v: &T) -> Option<u8> {
    v.to_score()
}

/// Inserts a mapped field (`#[indicator(field = "cliname")]`) of the struct `indicator`;
/// a `null` value is left out, a value that does not serialize is an error.
pub fn insert_field<T: serde_core::Serialize + ?Sized>(
    fields: &mut Fields,
    key: &'static str,
    value: &T,
    indicator: &'static str,
    field: &'static str,
) -> Result<(), FieldError> {
    let value = crate::fields::RawJson::from_serialize(value)
        .map_err(|e| FieldError::new(indicator, field, FieldTarget::Field(key), e))?;
    if !value.is_null() {
        fields.insert(key, value);
    }
    Ok(())
}

/// Builds the indicator object of a derived indicator: the `value` field `value_field` of
/// the struct `indicator` may not be empty.
pub fn indicator_object(
    value: Cow<'_, str>,
    indicator_type: &'static str,
    score: Option<u8>,
    fields: Fields,
    raw_json: Option<crate::fields::RawJson>,
    (indicator, value_field): (&'static str, &'static str),
) -> Result<indicator::IndicatorObject, FieldError> {
    if value.is_empty() {
        return Err(FieldError::empty_value(indicator, value_field));
    }
    let mut obj = indicator::IndicatorObject::new(value.into_owned(), indicator_type);
    obj.score = score;
    obj.fields = fields;
    if let Some(raw) = raw_json {
        obj.raw_json = raw;
    }
    Ok(obj)
}

/// The `rawJSON` of an `#[indicator(raw_json)]` field (any `Serialize` value) of the
/// struct `indicator`.
pub fn raw_json_of<T: serde_core::Serialize + ?Sized>(
    v: &T,
    indicator: &'static str,
    field: &'static str,
) -> Result<crate::fields::RawJson, FieldError> {
    crate::fields::RawJson::from_serialize(v)
        .map_err(|e| FieldError::new(indicator, field, FieldTarget::RawJson, e))
}

/// What [`Field::push_into`] collects for one record field: its indicator object, or the
/// error of a field of it that does not serialize. `#[derive(Relationships)]` collects the
/// `Vec` of them into `Result<Vec<IndicatorObject>, FieldError>`.
pub type ObjectOrError = Result<indicator::IndicatorObject, FieldError>;

/// The one check that a field named in `#[derive(Relationships)]` holds an indicator: the
/// derive calls it once per such field, spanned at the field's type, and reaches the field
/// itself through [`Field`], so a field that is not an indicator is exactly one error.
#[inline(always)]
pub fn assert_entity<F: AsEntity + ?Sized>() {}

/// A record field as `#[derive(Relationships)]` reads it. Its inherent methods apply when
/// the field is an indicator; otherwise the methods of [`NotAnEntity`] do, which yield
/// [`NotAnIndicator`], so the only error is the one of [`assert_entity`].
#[derive(Debug)]
pub struct Field<'a, F: ?Sized>(pub &'a F);

impl<'a, F: AsEntity + ?Sized> Field<'a, F> {
    /// The indicator in the field, unless it is `None` or its value is empty.
    #[inline]
    pub fn entity(&self) -> Option<&'a F::Entity> {
        self.0
            .as_entity()
            .filter(|e| !e.indicator_value().is_empty())
    }

    /// Pushes the field's indicator object, or its error, unless [`Field::entity`] is `None`.
    #[inline]
    pub fn push_into(&self, out: &mut Vec<ObjectOrError>) {
        out.extend(self.entity().map(Indicator::to_indicator_object));
    }
}

/// The fallback of [`Field`] for a field that is not an indicator (whose error
/// [`assert_entity`] reports): nothing, of a type every check accepts.
pub trait NotAnEntity {
    /// Never an indicator.
    #[inline]
    fn entity(&self) -> Option<&'static NotAnIndicator> {
        None
    }

    /// Pushes nothing.
    #[inline]
    fn push_into(&self, _out: &mut Vec<ObjectOrError>) {}
}

impl<F: ?Sized> NotAnEntity for Field<'_, F> {}

/// What [`NotAnEntity`] yields: no value exists; its kind is [`Unknown`], which every
/// generated check accepts.
#[derive(Debug, Clone, Copy)]
pub enum NotAnIndicator {}

impl Indicator for NotAnIndicator {
    type Kind = Unknown;
    fn indicator_value(&self) -> Cow<'_, str> {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::Entity;
    use crate::xsoar::types::Host;

    #[test]
    fn entity_skips_none_and_empty() {
        let some = Some(Entity::<Host>::new("pc1"));
        let none: Option<Entity<Host>> = None;
        let empty = Entity::<Host>::new("");
        assert_eq!(Field(&some).entity().map(Entity::value), Some("pc1"));
        assert!(Field(&none).entity().is_none());
        assert!(Field(&empty).entity().is_none());
        let mut out = Vec::new();
        Field(&none).push_into(&mut out);
        Field(&empty).push_into(&mut out);
        Field(&some).push_into(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap().value, "pc1");
    }

    #[test]
    fn values_and_scores() {
        assert_eq!(value_of("a"), "a");
        assert_eq!(value_of(&Some(String::from("b"))), "b");
        assert_eq!(value_of(&None::<String>), "");
        assert_eq!(
            value_of(&"10.0.0.1".parse::<std::net::IpAddr>().unwrap()),
            "10.0.0.1"
        );
        assert_eq!(value_of(&64512u32), "64512");
        assert_eq!(score_of(&2u8), Some(2));
        assert_eq!(score_of(&None::<u8>), None);
    }

    #[test]
    fn fields_skip_null() {
        let mut f = Fields::new();
        insert_field(&mut f, "a", &None::<String>, "T", "a").unwrap();
        insert_field(&mut f, "b", &"x", "T", "b").unwrap();
        insert_field(&mut f, "c", &3, "T", "c").unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"b":"x","c":3}"#);
    }

    #[test]
    fn values_that_do_not_serialize_are_errors() {
        // A map with keys that are not strings has no JSON form.
        let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let mut f = Fields::new();
        let err = insert_field(&mut f, "ports", &bad, "Flow", "ports").unwrap_err();
        assert!(f.is_empty());
        assert_eq!(
            (err.indicator(), err.field(), err.target()),
            ("Flow", "ports", FieldTarget::Field("ports"))
        );
        assert_eq!(
            err.to_string(),
            "cannot serialize `Flow.ports` into the indicator field `ports`: key must be a string"
        );
        let err = raw_json_of(&bad, "Flow", "0").unwrap_err();
        assert_eq!(err.target(), FieldTarget::RawJson);
        assert!(
            err.to_string()
                .starts_with("cannot serialize `Flow.0` into `rawJSON`: ")
        );
    }
}
