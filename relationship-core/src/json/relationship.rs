//! The relationship shape: XSOAR's three renderings of an [`EntityRelationship`] as borrowing
//! [`Serialize`] views, and the one direct writer of the `to_indicator()` rendering, which
//! [`IndicatorRendering::write_json`], indicator objects and batches all use.
//!
//! A `to_indicator()` rendering is ten keys whose text never changes, four constant strings
//! (name, reverse name, the two entity types), two entity values and `fields`:
//!
//! ```text
//! {"name":N,"reverseName":R,"type":"IndicatorToIndicator","entityA":A,"entityAFamily":"Indicator",
//!  "entityAType":AT,"entityB":B,"entityBFamily":"Indicator","entityBType":BT,"fields":F}
//! ```
//!
//! * Relationships made by a typed constructor carry [`Prerendered`] parts:
//!   `{"name":N,...,"entityA":`, `,"entityAFamily":...,"entityB":` and
//!   `,"entityBFamily":...,"fields":` rendered once, at compile time, from the markers'
//!   `&'static str` constants, in both styles. Writing one is three copies, two escaped entity
//!   values and `fields`.
//! * Any other relationship ([`EntityRelationship::new`]) is written from the key fragments
//!   below, with its four strings escaped at write time.
//!
//! `tests/tests/render_fast_props.rs` checks that the direct writer and the `Serialize` path
//! give the same bytes.

use std::io::{self, Write};
use std::marker::PhantomData;

use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use super::text::{JsonStyle, write_str};
use crate::fields::{RawFields, write_fields, write_raw_fields};
use crate::relationship::{ENTITY_FAMILY, EntityRelationship, Prerendered, RELATIONSHIP_TYPE};
use crate::typed::{IndicatorType, RelationshipName};

impl EntityRelationship {
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

    /// The ten keys of `to_indicator()`, then for `to_entry()` (`entry`) its optional two; or
    /// `{}` when entity B is empty.
    fn serialize_keys<S: Serializer>(&self, serializer: S, entry: bool) -> Result<S::Ok, S::Error> {
        if self.renders_empty() {
            return serializer.serialize_struct("EntityRelationship", 0)?.end();
        }
        let reliability = self.source_reliability.filter(|_| entry);
        let brand = self.brand.as_ref().filter(|_| entry);
        let len = 10 + usize::from(reliability.is_some()) + usize::from(brand.is_some());
        let mut s = serializer.serialize_struct("EntityRelationship", len)?;
        s.serialize_field("name", &*self.name)?;
        s.serialize_field("reverseName", &*self.reverse_name)?;
        s.serialize_field("type", RELATIONSHIP_TYPE)?;
        s.serialize_field("entityA", self.entity_a.as_str())?;
        s.serialize_field("entityAFamily", ENTITY_FAMILY)?;
        s.serialize_field("entityAType", &*self.entity_a_type)?;
        s.serialize_field("entityB", self.entity_b.as_str())?;
        s.serialize_field("entityBFamily", ENTITY_FAMILY)?;
        s.serialize_field("entityBType", &*self.entity_b_type)?;
        s.serialize_field("fields", &self.fields)?;
        if let Some(r) = reliability {
            s.serialize_field("reliability", r.as_str())?;
        }
        if let Some(brand) = brand {
            s.serialize_field("brand", brand.as_str())?;
        }
        s.end()
    }
}

/// The [`EntityRelationship::to_indicator`] rendering (keys listed there): a borrowing
/// [`Serialize`] view that builds no intermediate value.
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
    /// without `"` or `\` is copied as is; any other string is escaped as serde_json escapes
    /// it with the style's formatter, and `fields` are written from their JSON text.
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
        write_relationship(w, self.0, None, style)
    }
}

/// The [`EntityRelationship::to_entry`] rendering (keys listed there): a borrowing
/// [`Serialize`] view.
#[derive(Debug, Clone, Copy)]
pub struct EntryRendering<'a>(pub &'a EntityRelationship);

/// The [`EntityRelationship::to_context`] rendering (keys listed there): a borrowing
/// [`Serialize`] view.
#[derive(Debug, Clone, Copy)]
pub struct ContextRendering<'a>(pub &'a EntityRelationship);

impl Serialize for IndicatorRendering<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_keys(serializer, false)
    }
}

impl Serialize for EntryRendering<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_keys(serializer, true)
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

/// Writes the `to_indicator()` rendering of `rel` in `style`; with `raw_fields`, those are
/// written as its `fields` instead of its own (the bytes written are those for `rel` with the
/// fields serde_json reads from the same text).
///
/// # Errors
///
/// The writer's; those of [`write_raw_fields`] for `raw_fields` (`w` then holds part of the
/// rendering); and [`io::ErrorKind::InvalidData`] for a number in `fields` that is not JSON
/// number text in [`JsonStyle::Python`].
pub(crate) fn write_relationship<W: Write + ?Sized>(
    w: &mut W,
    rel: &EntityRelationship,
    raw_fields: Option<&RawFields<'_>>,
    style: JsonStyle,
) -> io::Result<()> {
    if rel.renders_empty() {
        return w.write_all(b"{}");
    }
    write_head(w, rel, style)?;
    match raw_fields {
        Some(raw) => write_raw_fields(w, raw, style)?,
        None => write_fields(w, &rel.fields, style)?,
    }
    w.write_all(b"}")
}

/// Writes the rendering of `rel` (not empty) up to and including `"fields":`: three
/// constant fragments and the two entity values for a relationship with [`Prerendered`]
/// parts, else the key fragments with its four strings escaped.
fn write_head<W: Write + ?Sized>(
    w: &mut W,
    rel: &EntityRelationship,
    style: JsonStyle,
) -> io::Result<()> {
    if let Some(parts) = rel.template.0 {
        let [head, mid, tail] = parts[style as usize];
        w.write_all(head)?;
        write_str(w, &rel.entity_a, style)?;
        w.write_all(mid)?;
        write_str(w, &rel.entity_b, style)?;
        return w.write_all(tail);
    }
    let keys = &KEYS[style as usize];
    let values = [
        &*rel.name,
        &*rel.reverse_name,
        &rel.entity_a,
        &*rel.entity_a_type,
        &rel.entity_b,
        &*rel.entity_b_type,
    ];
    for (key, value) in keys.iter().zip(values) {
        w.write_all(key)?;
        write_str(w, value, style)?;
    }
    w.write_all(keys[6])
}

/// The constant text between the variable parts of a rendering, indexed by style: before the
/// name, the reverse name, entity A, its type, entity B and its type, and last `"fields":`.
const KEYS: [[&[u8]; 7]; 2] = [
    [
        br#"{"name":"#,
        br#","reverseName":"#,
        br#","type":"IndicatorToIndicator","entityA":"#,
        br#","entityAFamily":"Indicator","entityAType":"#,
        br#","entityB":"#,
        br#","entityBFamily":"Indicator","entityBType":"#,
        br#","fields":"#,
    ],
    [
        br#"{"name": "#,
        br#", "reverseName": "#,
        br#", "type": "IndicatorToIndicator", "entityA": "#,
        br#", "entityAFamily": "Indicator", "entityAType": "#,
        br#", "entityB": "#,
        br#", "entityBFamily": "Indicator", "entityBType": "#,
        br#", "fields": "#,
    ],
];

/// Whether `s` is written as `"` + `s` + `"` in both styles: printable ASCII
/// (`0x20..=0x7E`) other than `"` and `\`. For constant strings, at compile time.
const fn is_plain_const(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b < 0x20 || b > 0x7E || b == b'"' || b == b'\\' {
            return false;
        }
        i += 1;
    }
    true
}

/// A fixed-capacity byte buffer filled at compile time.
#[derive(Clone, Copy)]
struct ConstBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
    /// False once something did not fit or a string was not plain.
    ok: bool,
}

impl<const N: usize> ConstBuf<N> {
    const fn new() -> Self {
        ConstBuf {
            bytes: [0; N],
            len: 0,
            ok: true,
        }
    }

    const fn push(mut self, s: &[u8]) -> Self {
        if !self.ok || s.len() > N - self.len {
            self.ok = false;
            return self;
        }
        let mut i = 0;
        while i < s.len() {
            self.bytes[self.len + i] = s[i];
            i += 1;
        }
        self.len += s.len();
        self
    }

    /// Pushes `s` as a JSON string; only plain strings (see [`is_plain_const`]) are
    /// rendered at compile time, anything else leaves the buffer unusable.
    const fn push_str(mut self, s: &str) -> Self {
        if !is_plain_const(s.as_bytes()) {
            self.ok = false;
            return self;
        }
        self.push(b"\"").push(s.as_bytes()).push(b"\"")
    }

    const fn get(&'static self) -> Option<&'static [u8]> {
        if self.ok {
            Some(self.bytes.split_at(self.len).0)
        } else {
            None
        }
    }
}

/// The keys of `style` from `KEYS[style][first]` on, each followed by the next of `values`,
/// and the key after the last value: `fragment(style, 0, &[name, reverse])` is the head of a
/// rendering, `fragment(style, 3, &[a_type])` the part between the entities,
/// `fragment(style, 5, &[b_type])` the part up to `fields`.
const fn fragment<const N: usize>(style: JsonStyle, first: usize, values: &[&str]) -> ConstBuf<N> {
    let keys = &KEYS[style as usize];
    let mut buf = ConstBuf::new();
    let mut i = 0;
    while i < values.len() {
        buf = buf.push(keys[first + i]).push_str(values[i]);
        i += 1;
    }
    buf.push(keys[first + values.len()])
}

/// The fragment in the small buffer when it fits, else in the large one. Only the buffer the
/// result points into is kept in the binary, so the usual short names cost a small buffer.
const fn pick<const S: usize, const L: usize>(
    small: &'static ConstBuf<S>,
    large: &'static ConstBuf<L>,
) -> Option<&'static [u8]> {
    match small.get() {
        Some(fragment) => Some(fragment),
        None => large.get(),
    }
}

/// Buffer sizes: the small ones hold every fragment of the default schema, the large ones
/// names of up to 200 characters (the schema limit) in both styles.
const HEAD_SMALL: usize = 128;
const HEAD_LARGE: usize = 512;
const TYPE_SMALL: usize = 96;
const TYPE_LARGE: usize = 320;

/// `[compact, python]`: the [`fragment`] of each style, picked from buffers of the two sizes.
macro_rules! fragments {
    ($small:ident, $large:ident, $first:literal, $values:expr) => {
        [
            pick::<$small, $large>(
                &fragment(JsonStyle::Compact, $first, $values),
                &fragment(JsonStyle::Compact, $first, $values),
            ),
            pick::<$small, $large>(
                &fragment(JsonStyle::Python, $first, $values),
                &fragment(JsonStyle::Python, $first, $values),
            ),
        ]
    };
}

/// The head fragments of the relationship marker `R`, by style.
struct Head<R>(PhantomData<fn() -> R>);

impl<R: RelationshipName> Head<R> {
    const PARTS: [Option<&'static [u8]>; 2] =
        fragments!(HEAD_SMALL, HEAD_LARGE, 0, &[R::NAME, R::REVERSE]);
}

/// The fragments after entity A (`MID`, of type `K`) and after entity B (`TAIL`, of type
/// `K`), by style.
struct Entity<K>(PhantomData<fn() -> K>);

impl<K: IndicatorType> Entity<K> {
    const MID: [Option<&'static [u8]>; 2] = fragments!(TYPE_SMALL, TYPE_LARGE, 3, &[K::NAME]);
    const TAIL: [Option<&'static [u8]>; 2] = fragments!(TYPE_SMALL, TYPE_LARGE, 5, &[K::NAME]);
}

/// The [`Prerendered`] parts of relationships `R` from a `A` to a `B`, made at compile time;
/// `None` when a name is not plain ASCII (or too long for the buffers), which the general
/// writer then escapes at run time.
pub(crate) struct Templates<R, A, B>(PhantomData<Triple<R, A, B>>);

/// `Templates` holds no value of its parameters.
type Triple<R, A, B> = fn() -> (R, A, B);

impl<R: RelationshipName, A: IndicatorType, B: IndicatorType> Templates<R, A, B> {
    const PARTS: Option<Prerendered> = match (Head::<R>::PARTS, Entity::<A>::MID, Entity::<B>::TAIL)
    {
        ([Some(hc), Some(hp)], [Some(mc), Some(mp)], [Some(tc), Some(tp)]) => {
            Some([[hc, mc, tc], [hp, mp, tp]])
        }
        _ => None,
    };
    const PARTS_REF: &'static Option<Prerendered> = &Self::PARTS;

    /// The parts, or `None` to use the general writer.
    pub(crate) const TEMPLATE: Option<&'static Prerendered> = Self::PARTS_REF.as_ref();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::text::is_plain;
    use crate::xsoar::types::{Account, Host};

    struct Weird;
    impl RelationshipName for Weird {
        const NAME: &'static str = "wé";
        const REVERSE: &'static str = "q\"";
    }

    struct Long;
    impl IndicatorType for Long {
        // 340 characters: more than the large buffers hold (the schema allows 200).
        const NAME: &'static str = concat!(
            "a type name far longer than any schema allows: ",
            "0123456789012345678901234567890123456789012345678901234567890123456789",
            "0123456789012345678901234567890123456789012345678901234567890123456789",
            "0123456789012345678901234567890123456789012345678901234567890123456789",
            "0123456789012345678901234567890123456789012345678901234567890123456789",
        );
    }

    #[test]
    fn keys_spell_the_constants() {
        for k in &KEYS {
            let text = String::from_utf8_lossy(k[2]);
            assert!(text.contains(RELATIONSHIP_TYPE));
            let text = String::from_utf8_lossy(k[3]);
            assert!(text.contains(ENTITY_FAMILY));
        }
    }

    #[test]
    fn templates_are_rendered_at_compile_time() {
        type U = crate::xsoar::rels::Uses;
        let t = Templates::<U, Account, Host>::TEMPLATE.unwrap();
        let [h, m, tl] = t[JsonStyle::Compact as usize];
        assert_eq!(
            h,
            br#"{"name":"uses","reverseName":"used-by","type":"IndicatorToIndicator","entityA":"#
        );
        assert_eq!(
            m,
            br#","entityAFamily":"Indicator","entityAType":"Account","entityB":"#
        );
        assert_eq!(
            tl,
            br#","entityBFamily":"Indicator","entityBType":"Host","fields":"#
        );
        let [h, _, tl] = t[JsonStyle::Python as usize];
        assert_eq!(
            h,
            br#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "#
        );
        assert_eq!(
            tl,
            br#", "entityBFamily": "Indicator", "entityBType": "Host", "fields": "#
        );
    }

    #[test]
    fn strings_that_need_escapes_or_do_not_fit_have_no_template() {
        assert!(Templates::<Weird, Account, Host>::TEMPLATE.is_none());
        assert!(Templates::<crate::xsoar::rels::Uses, Long, Host>::TEMPLATE.is_none());
        assert!(Templates::<crate::xsoar::rels::Uses, Host, Long>::TEMPLATE.is_none());
    }

    #[test]
    fn the_default_schema_fits_the_small_buffers() {
        let schema = crate::xsoar::schema();
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            for r in schema.relationships() {
                assert!(
                    fragment::<HEAD_SMALL>(style, 0, &[r.name(), r.reverse()]).ok,
                    "{}",
                    r.name()
                );
            }
            for t in schema.types() {
                assert!(
                    fragment::<TYPE_SMALL>(style, 3, &[t.name()]).ok,
                    "{}",
                    t.name()
                );
                assert!(
                    fragment::<TYPE_SMALL>(style, 5, &[t.name()]).ok,
                    "{}",
                    t.name()
                );
            }
        }
        // 200 characters, the schema limit, fit the large ones.
        let long = "x".repeat(200);
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            assert!(fragment::<HEAD_LARGE>(style, 0, &[&long, &long]).ok);
            assert!(fragment::<TYPE_LARGE>(style, 3, &[&long]).ok);
            assert!(fragment::<TYPE_LARGE>(style, 5, &[&long]).ok);
            assert!(!fragment::<HEAD_SMALL>(style, 0, &[&long, ""]).ok);
        }
    }

    #[test]
    fn plain_is_exactly_printable_ascii_without_quote_and_backslash() {
        for b in 0u8..=255 {
            let want = (0x20..=0x7E).contains(&b) && b != b'"' && b != b'\\';
            assert_eq!(is_plain(&[b]), want, "{b:#x}");
            assert_eq!(is_plain_const(&[b]), want, "{b:#x}");
        }
        assert!(is_plain(b""));
        assert!(!is_plain(
            "abcdefghijklmnopqrstuvwxyz0123456789é".as_bytes()
        ));
    }

    #[test]
    fn write_str_matches_serde_json() {
        for s in ["", "plain text", "q\"", "b\\s", "\n\u{1}", "é😀", "\u{7f}"] {
            for style in [JsonStyle::Compact, JsonStyle::Python] {
                let mut fast = Vec::new();
                write_str(&mut fast, s, style).unwrap();
                assert_eq!(fast, crate::json::to_vec(s, style).unwrap(), "{s:?}");
            }
        }
    }
}

#[cfg(test)]
mod view_tests {
    use super::*;
    use crate::fields::Fields;
    use crate::reliability::Reliability;

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
