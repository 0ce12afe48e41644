//! The direct writer of [`IndicatorRendering`](crate::IndicatorRendering): the bytes of
//! `to_indicator()` written without going through serde's field-by-field protocol.
//!
//! A rendering is ten keys whose text never changes, four constant strings (name, reverse
//! name, the two entity types), two entity values and `fields`:
//!
//! ```text
//! {"name":N,"reverseName":R,"type":"IndicatorToIndicator","entityA":A,"entityAFamily":"Indicator",
//!  "entityAType":AT,"entityB":B,"entityBFamily":"Indicator","entityBType":BT,"fields":F}
//! ```
//!
//! * Relationships made by a typed constructor carry a [`Template`]: `{"name":N,...,"entityA":`,
//!   `,"entityAFamily":...,"entityB":` and `,"entityBFamily":...,"fields":` rendered once, at
//!   compile time, from the markers' `&'static str` constants, in both styles. Writing one is
//!   three copies, two escaped entity values and `fields`.
//! * Any other relationship ([`EntityRelationship::new`]) is written from the key fragments
//!   below, with its four strings escaped at write time.
//!
//! Strings are escaped by [`write_str`]: a string of printable ASCII other than `"` and `\`
//! is the same in both styles (`"` + text + `"`) and is copied; anything else goes through
//! the table-driven escaper [`write_str_to`](crate::json::write_str_to), which the batch
//! writer's direct path shares. `tests/tests/render_fast_props.rs` checks that the direct
//! writers and the `Serialize` path give the same bytes.

use std::io::{self, Write};
use std::marker::PhantomData;

use crate::indicator::{DUMMY_INDICATOR_VALUE, IndicatorLayout, IndicatorObject};
use crate::json::JsonStyle;
use crate::relationship::{EntityRelationship, Fields};
use crate::typed::{IndicatorType, RelationshipName};

/// The constant text between the variable parts of a rendering, in one style.
struct Keys {
    /// `{"name":`
    name: &'static [u8],
    /// `,"reverseName":`
    reverse_name: &'static [u8],
    /// `,"type":"IndicatorToIndicator","entityA":`
    type_entity_a: &'static [u8],
    /// `,"entityAFamily":"Indicator","entityAType":`
    entity_a_type: &'static [u8],
    /// `,"entityB":`
    entity_b: &'static [u8],
    /// `,"entityBFamily":"Indicator","entityBType":`
    entity_b_type: &'static [u8],
    /// `,"fields":`
    fields: &'static [u8],
}

const COMPACT: Keys = Keys {
    name: br#"{"name":"#,
    reverse_name: br#","reverseName":"#,
    type_entity_a: br#","type":"IndicatorToIndicator","entityA":"#,
    entity_a_type: br#","entityAFamily":"Indicator","entityAType":"#,
    entity_b: br#","entityB":"#,
    entity_b_type: br#","entityBFamily":"Indicator","entityBType":"#,
    fields: br#","fields":"#,
};

const PYTHON: Keys = Keys {
    name: br#"{"name": "#,
    reverse_name: br#", "reverseName": "#,
    type_entity_a: br#", "type": "IndicatorToIndicator", "entityA": "#,
    entity_a_type: br#", "entityAFamily": "Indicator", "entityAType": "#,
    entity_b: br#", "entityB": "#,
    entity_b_type: br#", "entityBFamily": "Indicator", "entityBType": "#,
    fields: br#", "fields": "#,
};

const fn keys(style: JsonStyle) -> &'static Keys {
    match style {
        JsonStyle::Compact => &COMPACT,
        JsonStyle::Python => &PYTHON,
    }
}

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

/// [`is_plain_const`] for run time: no early exit, so that the loop vectorizes.
#[inline]
fn is_plain(s: &[u8]) -> bool {
    s.iter().fold(true, |ok, &b| {
        ok & (b.wrapping_sub(0x20) < 0x5F) & (b != b'"') & (b != b'\\')
    })
}

/// Writes `s` as a JSON string in `style`, exactly as serde_json does with the style's
/// formatter: printable ASCII without `"` and `\` is copied, anything else is escaped by
/// [`write_str_to`](crate::json::write_str_to).
#[inline]
pub(crate) fn write_str<W: Write + ?Sized>(w: &mut W, s: &str, style: JsonStyle) -> io::Result<()> {
    if is_plain(s.as_bytes()) {
        w.write_all(b"\"")?;
        w.write_all(s.as_bytes())?;
        return w.write_all(b"\"");
    }
    crate::json::write_str_to(w, s, style)
}

/// Writes `fields`: `{}` when empty, else through serde_json with the style's formatter.
#[inline]
fn write_fields<W: Write + ?Sized>(w: &mut W, fields: &Fields, style: JsonStyle) -> io::Result<()> {
    if fields.is_empty() {
        return w.write_all(b"{}");
    }
    crate::json::write_json(w, fields, style)
}

/// Writes the `to_indicator()` rendering of `rel`: the same bytes as serializing
/// [`EntityRelationship::to_indicator`] with serde in `style`.
pub(crate) fn write_indicator<W: Write + ?Sized>(
    w: &mut W,
    rel: &EntityRelationship,
    style: JsonStyle,
) -> io::Result<()> {
    if rel.renders_empty() {
        return w.write_all(b"{}");
    }
    write_head(w, rel, style)?;
    write_fields(w, &rel.fields, style)?;
    w.write_all(b"}")
}

/// Writes the rendering of `rel` (not empty) up to and including `"fields":`: three
/// constant fragments and the two entity values for a relationship with a [`Template`],
/// else the key fragments with its four strings escaped.
pub(crate) fn write_head<W: Write + ?Sized>(
    w: &mut W,
    rel: &EntityRelationship,
    style: JsonStyle,
) -> io::Result<()> {
    match rel.template {
        Some(t) => {
            let (head, mid, tail) = t.get(style);
            w.write_all(head)?;
            write_str(w, &rel.entity_a, style)?;
            w.write_all(mid)?;
            write_str(w, &rel.entity_b, style)?;
            w.write_all(tail)
        }
        None => {
            let k = keys(style);
            w.write_all(k.name)?;
            write_str(w, &rel.name, style)?;
            w.write_all(k.reverse_name)?;
            write_str(w, &rel.reverse_name, style)?;
            w.write_all(k.type_entity_a)?;
            write_str(w, &rel.entity_a, style)?;
            w.write_all(k.entity_a_type)?;
            write_str(w, &rel.entity_a_type, style)?;
            w.write_all(k.entity_b)?;
            write_str(w, &rel.entity_b, style)?;
            w.write_all(k.entity_b_type)?;
            write_str(w, &rel.entity_b_type, style)?;
            w.write_all(k.fields)
        }
    }
}

/// Writes `obj` as its `Serialize` impl does, with every relationship through
/// [`write_indicator`].
pub(crate) fn write_indicator_object<W: Write + ?Sized>(
    w: &mut W,
    obj: &IndicatorObject,
    style: JsonStyle,
) -> io::Result<()> {
    let (colon, comma): (&[u8], &[u8]) = match style {
        JsonStyle::Compact => (b":", b","),
        JsonStyle::Python => (b": ", b", "),
    };
    let key = |w: &mut W, first: bool, key: &[u8]| -> io::Result<()> {
        if !first {
            w.write_all(comma)?;
        }
        w.write_all(b"\"")?;
        w.write_all(key)?;
        w.write_all(b"\"")?;
        w.write_all(colon)
    };
    w.write_all(b"{")?;
    if obj.is_dummy() {
        key(w, true, b"value")?;
        write_str(w, DUMMY_INDICATOR_VALUE, style)?;
    } else {
        let (feed, all_relationships) = match obj.layout {
            IndicatorLayout::Standard => (false, false),
            IndicatorLayout::Feed => (true, false),
            IndicatorLayout::FeedWithRelationships => (true, true),
        };
        key(w, true, b"value")?;
        write_str(w, &obj.value, style)?;
        if feed {
            key(w, false, b"score")?;
            crate::json::write_json(w, &obj.score, style)?;
            key(w, false, b"type")?;
            write_str(w, &obj.indicator_type, style)?;
        } else {
            key(w, false, b"type")?;
            write_str(w, &obj.indicator_type, style)?;
            if let Some(score) = obj.score {
                key(w, false, b"score")?;
                crate::json::write_json(w, &score, style)?;
            }
        }
        key(w, false, b"rawJSON")?;
        crate::json::write_json(w, &obj.raw_json, style)?;
        key(w, false, b"fields")?;
        write_fields(w, &obj.fields, style)?;
        if obj.relationships.is_empty() && !all_relationships {
            return w.write_all(b"}");
        }
    }
    key(w, false, b"relationships")?;
    w.write_all(b"[")?;
    for (i, rel) in obj.relationships.iter().enumerate() {
        if i > 0 {
            w.write_all(comma)?;
        }
        write_indicator(w, rel, style)?;
    }
    w.write_all(b"]}")
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
    const fn push_str(self, s: &str) -> Self {
        let mut this = self;
        if !is_plain_const(s.as_bytes()) {
            this.ok = false;
            return this;
        }
        this.push(b"\"").push(s.as_bytes()).push(b"\"")
    }

    const fn get(&'static self) -> Option<&'static [u8]> {
        if self.ok {
            Some(self.bytes.split_at(self.len).0)
        } else {
            None
        }
    }
}

const fn head<const N: usize>(style: JsonStyle, name: &str, reverse: &str) -> ConstBuf<N> {
    let k = keys(style);
    ConstBuf::new()
        .push(k.name)
        .push_str(name)
        .push(k.reverse_name)
        .push_str(reverse)
        .push(k.type_entity_a)
}

const fn mid<const N: usize>(style: JsonStyle, entity_a_type: &str) -> ConstBuf<N> {
    let k = keys(style);
    ConstBuf::new()
        .push(k.entity_a_type)
        .push_str(entity_a_type)
        .push(k.entity_b)
}

const fn tail<const N: usize>(style: JsonStyle, entity_b_type: &str) -> ConstBuf<N> {
    let k = keys(style);
    ConstBuf::new()
        .push(k.entity_b_type)
        .push_str(entity_b_type)
        .push(k.fields)
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

/// The head fragments of the relationship marker `R`, in both styles.
struct Head<R>(PhantomData<fn() -> R>);

impl<R: RelationshipName> Head<R> {
    const COMPACT: Option<&'static [u8]> = pick::<HEAD_SMALL, HEAD_LARGE>(
        &head(JsonStyle::Compact, R::NAME, R::REVERSE),
        &head(JsonStyle::Compact, R::NAME, R::REVERSE),
    );
    const PYTHON: Option<&'static [u8]> = pick::<HEAD_SMALL, HEAD_LARGE>(
        &head(JsonStyle::Python, R::NAME, R::REVERSE),
        &head(JsonStyle::Python, R::NAME, R::REVERSE),
    );
}

/// The fragments after entity A (`MID_*`, of type `K`) and after entity B (`TAIL_*`, of
/// type `K`), in both styles.
struct Entity<K>(PhantomData<fn() -> K>);

impl<K: IndicatorType> Entity<K> {
    const MID_COMPACT: Option<&'static [u8]> = pick::<TYPE_SMALL, TYPE_LARGE>(
        &mid(JsonStyle::Compact, K::NAME),
        &mid(JsonStyle::Compact, K::NAME),
    );
    const MID_PYTHON: Option<&'static [u8]> = pick::<TYPE_SMALL, TYPE_LARGE>(
        &mid(JsonStyle::Python, K::NAME),
        &mid(JsonStyle::Python, K::NAME),
    );
    const TAIL_COMPACT: Option<&'static [u8]> = pick::<TYPE_SMALL, TYPE_LARGE>(
        &tail(JsonStyle::Compact, K::NAME),
        &tail(JsonStyle::Compact, K::NAME),
    );
    const TAIL_PYTHON: Option<&'static [u8]> = pick::<TYPE_SMALL, TYPE_LARGE>(
        &tail(JsonStyle::Python, K::NAME),
        &tail(JsonStyle::Python, K::NAME),
    );
}

/// The constant parts of the `to_indicator()` rendering of one (relationship, entity A type,
/// entity B type) triple, pre-rendered in both styles.
///
/// Index 0 is [`JsonStyle::Compact`], 1 is [`JsonStyle::Python`].
#[derive(Debug)]
pub(crate) struct Template {
    /// `{"name":N,"reverseName":R,"type":"IndicatorToIndicator","entityA":`
    head: [&'static [u8]; 2],
    /// `,"entityAFamily":"Indicator","entityAType":AT,"entityB":`
    mid: [&'static [u8]; 2],
    /// `,"entityBFamily":"Indicator","entityBType":BT,"fields":`
    tail: [&'static [u8]; 2],
}

impl Template {
    #[inline]
    fn get(&self, style: JsonStyle) -> (&'static [u8], &'static [u8], &'static [u8]) {
        let i = match style {
            JsonStyle::Compact => 0,
            JsonStyle::Python => 1,
        };
        (self.head[i], self.mid[i], self.tail[i])
    }
}

/// The [`Template`] of relationships `R` from a `A` to a `B`, made at compile time; `None`
/// when a name is not plain ASCII (or too long for the buffers), which the general writer
/// then escapes at run time.
pub(crate) struct Templates<R, A, B>(PhantomData<Triple<R, A, B>>);

/// `Templates` holds no value of its parameters.
type Triple<R, A, B> = fn() -> (R, A, B);

impl<R: RelationshipName, A: IndicatorType, B: IndicatorType> Templates<R, A, B> {
    const PARTS: Option<Template> = match (
        Head::<R>::COMPACT,
        Head::<R>::PYTHON,
        Entity::<A>::MID_COMPACT,
        Entity::<A>::MID_PYTHON,
        Entity::<B>::TAIL_COMPACT,
        Entity::<B>::TAIL_PYTHON,
    ) {
        (Some(hc), Some(hp), Some(mc), Some(mp), Some(tc), Some(tp)) => Some(Template {
            head: [hc, hp],
            mid: [mc, mp],
            tail: [tc, tp],
        }),
        _ => None,
    };
    const PARTS_REF: &'static Option<Template> = &Self::PARTS;

    /// The template, or `None` to use the general writer.
    pub(crate) const TEMPLATE: Option<&'static Template> = Self::PARTS_REF.as_ref();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relationship::{ENTITY_FAMILY, RELATIONSHIP_TYPE};
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
        for k in [&COMPACT, &PYTHON] {
            let text = String::from_utf8_lossy(k.type_entity_a);
            assert!(text.contains(RELATIONSHIP_TYPE));
            let text = String::from_utf8_lossy(k.entity_a_type);
            assert!(text.contains(ENTITY_FAMILY));
        }
    }

    #[test]
    fn templates_are_rendered_at_compile_time() {
        type U = crate::xsoar::rels::Uses;
        let t = Templates::<U, Account, Host>::TEMPLATE.unwrap();
        let (h, m, tl) = t.get(JsonStyle::Compact);
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
        let (h, _, tl) = t.get(JsonStyle::Python);
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
                    head::<HEAD_SMALL>(style, r.name(), r.reverse()).ok,
                    "{}",
                    r.name()
                );
            }
            for t in schema.types() {
                assert!(mid::<TYPE_SMALL>(style, t.name()).ok, "{}", t.name());
                assert!(tail::<TYPE_SMALL>(style, t.name()).ok, "{}", t.name());
            }
        }
        // 200 characters, the schema limit, fit the large ones.
        let long = "x".repeat(200);
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            assert!(head::<HEAD_LARGE>(style, &long, &long).ok);
            assert!(mid::<TYPE_LARGE>(style, &long).ok);
            assert!(tail::<TYPE_LARGE>(style, &long).ok);
            assert!(!head::<HEAD_SMALL>(style, &long, "").ok);
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
