//! JSON values kept exactly: [`RawJson`] (one value as its JSON text) and [`Fields`] (an
//! object whose keys keep their insertion order).
//!
//! XSOAR's Python side reads `fields` and `rawJSON` with `json.loads`, which keeps key order
//! and reads integers of any size exactly. These types give the same exactness without any
//! feature of `serde_json` that would change its behaviour for the rest of a program
//! (`preserve_order`, `arbitrary_precision`, `float_roundtrip`): a value is kept as JSON text
//! in one canonical spelling, the bytes serde_json's compact writer writes for it, with
//!
//! * numbers exactly as written (`123456789012345678901234567890` stays as it is, `1.50`
//!   stays `1.50`), the exponent marker as `e` with its sign always written (`1E2` is
//!   `1e+2`);
//! * objects in the order of their keys; a key given twice keeps its first position and its
//!   last value, as in a Python `dict`;
//! * strings escaped as serde_json escapes them (`"`, `\` and C0 controls only).
//!
//! [`JsonStyle::Python`] then writes a value as Python's
//! `json.dumps(json.loads(text))` would.
//!
//! ```
//! use relationship_core::fields::{Fields, RawJson};
//!
//! let mut fields = Fields::new();
//! fields.insert("tags", vec!["apt", "x"]);
//! fields.insert("count", RawJson::parse("123456789012345678901234567890")?);
//! fields.insert("description", "first");
//! fields.insert("tags", "replaced in place");
//! assert_eq!(
//!     serde_json::to_string(&fields)?,
//!     r#"{"tags":"replaced in place","count":123456789012345678901234567890,"description":"first"}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use serde_core::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_core::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::json::JsonStyle;
use crate::json::number::canonical_number;
use crate::json::text::{invalid_data, write_object, write_raw, write_str};
use crate::limits::{MAX_DEPTH, too_deep_error};

/// One JSON value kept as its canonical JSON text (see the [module docs](self)).
///
/// It serializes as that text, unchanged, through serde_json (as a raw value), and as
/// Python writes it through [`crate::json`] with [`JsonStyle::Python`].
/// It deserializes from serde_json only (it reads the value's text).
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Reads one JSON value from `text` (surrounding whitespace allowed) into its canonical
    /// spelling.
    ///
    /// # Errors
    ///
    /// serde_json's error when `text` is not one JSON value, holds a string serde_json
    /// refuses (a lone surrogate escape), or nests deeper than
    /// [`MAX_DEPTH`] (512) arrays and objects.
    ///
    /// ```
    /// use relationship_core::fields::RawJson;
    /// let v = RawJson::parse(r#" { "b" : [1.0E2, "caf\u00e9"], "a": null, "b": -0 } "#)?;
    /// assert_eq!(v.get(), r#"{"b":-0,"a":null}"#);
    /// assert_eq!(RawJson::parse("1E2")?.get(), "1e+2");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn parse(text: &str) -> serde_json::Result<Self> {
        if crate::limits::find_too_deep(text.as_bytes()).is_some() {
            return Err(too_deep_error());
        }
        Self::canonical(serde_json::from_str(text)?)
    }

    /// The value of `value` serialized by serde_json (struct fields in declaration order,
    /// maps in their iteration order, floats in serde_json's shortest form).
    ///
    /// # Errors
    ///
    /// serde_json's error when `value` does not serialize (a map with non-string keys, a
    /// failing `Serialize` impl).
    ///
    /// ```
    /// use relationship_core::fields::RawJson;
    /// #[derive(serde::Serialize)]
    /// struct Ref { source: &'static str, id: u64 }
    /// let v = RawJson::from_serialize(&Ref { source: "mitre", id: 7 })?;
    /// assert_eq!(v.get(), r#"{"source":"mitre","id":7}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Self> {
        let text = serde_json::to_string(value)?;
        // serde_json's compact output is canonical already, unless a raw value of a
        // `Serialize` impl brought whitespace or an `E`, or the impl repeated an object's key.
        if text.contains(['{', ' ', '\t', '\n', '\r', 'E']) {
            Self::parse(&text)
        } else {
            Self::from_canonical(text)
        }
    }

    /// `null`.
    pub fn null() -> Self {
        Self::literal("null")
    }

    /// The empty object `{}`.
    pub fn empty_object() -> Self {
        Self::literal("{}")
    }

    fn literal(text: &'static str) -> Self {
        match RawValue::from_string(text.to_owned()) {
            Ok(raw) => RawJson(raw),
            // The literals above are valid JSON.
            Err(_) => unreachable!("`{text}` is JSON"),
        }
    }

    fn from_canonical(text: impl Into<Vec<u8>>) -> serde_json::Result<Self> {
        let text = String::from_utf8(text.into()).map_err(de::Error::custom)?;
        RawValue::from_string(text).map(RawJson)
    }

    /// The value of `raw` in its canonical spelling.
    fn canonical(raw: &RawValue) -> serde_json::Result<Self> {
        let mut out = Vec::with_capacity(raw.get().len());
        canonical(&mut out, raw, 0)?;
        Self::from_canonical(out)
    }

    /// The canonical JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        self.get() == "null"
    }

    /// Whether the value is an object.
    pub fn is_object(&self) -> bool {
        self.get().starts_with('{')
    }

    /// The value's string, when it is a JSON string.
    ///
    /// ```
    /// use relationship_core::fields::RawJson;
    /// assert_eq!(RawJson::from("a\"b").as_str().as_deref(), Some("a\"b"));
    /// assert_eq!(RawJson::from(5u8).as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        let text = self.get();
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains('\\') {
            serde_json::from_str::<String>(text).ok().map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(inner))
        }
    }

    /// Reads the value as `T` (through serde_json, with its default features).
    ///
    /// # Errors
    ///
    /// serde_json's, when the value is not a `T`.
    pub fn deserialize_into<T: de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl std::hash::Hash for RawJson {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.get().hash(state);
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Default for RawJson {
    /// `null`.
    fn default() -> Self {
        Self::null()
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Self::canonical(&raw).map_err(de::Error::custom)
    }
}

impl From<&str> for RawJson {
    fn from(s: &str) -> Self {
        let mut text = Vec::with_capacity(s.len() + 2);
        let _ = write_str(&mut text, s, JsonStyle::Compact);
        RawJson::from_canonical(text).unwrap_or_else(|_| Self::null())
    }
}

/// `From` impls that build the value through another conversion.
macro_rules! from_via {
    ($($(#[$doc:meta])* $t:ty => |$v:ident| $e:expr;)*) => {$(
        impl From<$t> for RawJson {
            $(#[$doc])*
            fn from($v: $t) -> Self {
                $e
            }
        }
    )*};
}

from_via! {
    String => |s| RawJson::from(s.as_str());
    &String => |s| RawJson::from(s.as_str());
    Cow<'_, str> => |s| RawJson::from(&*s);
    bool => |b| Self::literal(if b { "true" } else { "false" });
    /// serde_json's spelling of the float; `null` when it is not finite (serde_json's rule).
    f64 => |f| RawJson::from_serialize(&f).unwrap_or_else(|_| Self::null());
    serde_json::Value => |v| RawJson::from(&v);
    /// The value's text; its objects in the order the `Value` keeps them (sorted by key,
    /// unless the program builds serde_json with `preserve_order`).
    &serde_json::Value => |v| RawJson::from_serialize(v).unwrap_or_else(|_| Self::null());
    Fields => |fields| RawJson::from(&fields);
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for RawJson {
            fn from(n: $t) -> Self {
                RawJson::from_canonical(n.to_string()).unwrap_or_else(|_| Self::null())
            }
        }
    )*};
}
from_integer!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

impl<T: Into<RawJson>> From<Vec<T>> for RawJson {
    fn from(items: Vec<T>) -> Self {
        let mut text = String::from("[");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(item.into().get());
        }
        text.push(']');
        RawJson::from_canonical(text).unwrap_or_else(|_| Self::null())
    }
}

impl From<&Fields> for RawJson {
    fn from(fields: &Fields) -> Self {
        let mut text = Vec::with_capacity(16 * fields.len() + 2);
        let _ = write_fields(&mut text, fields, JsonStyle::Compact);
        RawJson::from_canonical(text).unwrap_or_else(|_| Self::empty_object())
    }
}

/// Appends the canonical spelling of `raw` (valid JSON, as serde_json read it) to `out`:
/// serde_json's compact text of the value, numbers as written.
fn canonical(out: &mut Vec<u8>, raw: &RawValue, depth: usize) -> serde_json::Result<()> {
    let text = raw.get().trim_matches([' ', '\t', '\n', '\r']);
    if depth >= MAX_DEPTH && text.starts_with(['{', '[']) {
        return Err(too_deep_error());
    }
    match text.as_bytes().first() {
        Some(b'{') => {
            let entries: Vec<(Cow<'_, str>, &RawValue)> =
                serde_json::from_str::<RawFields<'_>>(text)?.0;
            let mut canon: Vec<(Cow<'_, str>, Vec<u8>)> = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let mut v = Vec::with_capacity(value.get().len());
                canonical(&mut v, value, depth + 1)?;
                canon.push((key, v));
            }
            let canon = last_value_first_place(canon);
            write_object(out, canon, JsonStyle::Compact, |w, v, _| w.write_all(v))
                .map_err(serde_json::Error::io)?;
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            out.push(b'[');
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(out, item, depth + 1)?;
            }
            out.push(b']');
        }
        Some(b'"') if text.contains('\\') => {
            let s: String = serde_json::from_str(text)?;
            write_str(out, &s, JsonStyle::Compact).map_err(serde_json::Error::io)?;
        }
        Some(b'-' | b'0'..=b'9') => out.extend_from_slice(canonical_number(text).as_bytes()),
        // A string without escapes, `true`, `false` and `null` are written as they are.
        _ => out.extend_from_slice(text.as_bytes()),
    }
    Ok(())
}

/// `entries` with each repeated key once, at its first place, holding its last value (a
/// Python `dict` built from the pairs), in linear time however many keys there are.
pub(crate) fn last_value_first_place<K: AsRef<str>, V>(entries: Vec<(K, V)>) -> Vec<(K, V)> {
    let mut first: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(entries.len());
    let mut out: Vec<(K, V)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match first.get(key.as_ref()) {
            Some(&at) => out[at].1 = value,
            None => {
                first.insert(key.as_ref().to_owned(), out.len());
                out.push((key, value));
            }
        }
    }
    out
}

/// A JSON object whose keys keep their insertion order, values kept as [`RawJson`]: XSOAR's
/// `fields` (and any object a feed writes as it was given).
///
/// Inserting a key that is already there replaces its value in place, as a Python `dict`
/// does. Lookups scan the keys: a `fields` object holds a handful of them.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Fields(Vec<(String, RawJson)>);

impl Fields {
    /// An empty object.
    pub fn new() -> Self {
        Fields(Vec::new())
    }

    /// An empty object with room for `n` keys.
    pub fn with_capacity(n: usize) -> Self {
        Fields(Vec::with_capacity(n))
    }

    /// Sets `key` to `value`: in place when the key is there (returning the old value), at
    /// the end otherwise.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<RawJson>) -> Option<RawJson> {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => Some(std::mem::replace(&mut slot.1, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&RawJson> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is there.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Removes `key`, keeping the order of the others; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<RawJson> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawJson)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>, V: Into<RawJson>> FromIterator<(K, V)> for Fields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut fields = Fields::new();
        fields.extend(iter);
        fields
    }
}

impl<K: Into<String>, V: Into<RawJson>> Extend<(K, V)> for Fields {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Fields {
    type Item = (String, RawJson);
    type IntoIter = std::vec::IntoIter<(String, RawJson)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a str, &'a RawJson);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, RawJson)>,
        fn(&'a (String, RawJson)) -> (&'a str, &'a RawJson),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = d.deserialize_map(EntriesVisitor(std::marker::PhantomData))?;
        Ok(Fields(last_value_first_place(entries)))
    }
}

/// Reads an object's entries, in order, as `K` and `V`.
struct EntriesVisitor<K, V>(std::marker::PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
    type Value = Vec<(K, V)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

/// A JSON object read without building a `serde_json::Map`: its keys (decoded, borrowed
/// from the text when they have no escapes) and its values as JSON text, in order. Read it
/// with serde_json (it accepts an object only) and write it as a relationship's `fields`
/// with [`crate::batch::render_relationship_with`].
#[derive(Debug, Default)]
pub struct RawFields<'a>(pub(crate) Vec<(Cow<'a, str>, &'a RawValue)>);

/// An object key, borrowed from the text when it has no escapes.
struct RawKey<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for RawKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = RawKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<RawKey<'de>, E> {
                Ok(RawKey(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawKey<'de>, E> {
                Ok(RawKey(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawFields<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries: Vec<(RawKey<'a>, &'a RawValue)> =
            d.deserialize_map(EntriesVisitor(std::marker::PhantomData))?;
        Ok(RawFields(
            entries.into_iter().map(|(RawKey(k), v)| (k, v)).collect(),
        ))
    }
}

/// Writes a [`RawJson`] in `style`: its canonical text as it is in the compact style (the
/// bytes serde_json writes for it), through [`write_raw`] in Python's.
#[inline]
pub(crate) fn write_raw_json<W: Write + ?Sized>(
    w: &mut W,
    value: &RawJson,
    style: JsonStyle,
) -> io::Result<()> {
    match style {
        JsonStyle::Compact => w.write_all(value.get().as_bytes()),
        JsonStyle::Python => write_raw(w, value.get(), style),
    }
}

/// Writes `fields` in `style`: the bytes serde_json writes for it with the style's formatter.
#[inline]
pub(crate) fn write_fields<W: Write + ?Sized>(
    w: &mut W,
    fields: &Fields,
    style: JsonStyle,
) -> io::Result<()> {
    if fields.is_empty() {
        return w.write_all(b"{}");
    }
    write_object(w, fields.iter(), style, |w, v, style| {
        write_raw_json(w, v, style)
    })
}

/// Writes an object read as [`RawFields`] in `style`: the bytes serde_json writes for the
/// object it reads from the same text. A key given twice is written once, where it came
/// first, with its last value (as a Python `dict` keeps it).
///
/// # Errors
///
/// [`io::ErrorKind::InvalidData`] when a value is an object or array (nested values are left
/// to a full read of the line, which also applies serde_json's depth limit), or a string
/// serde_json refuses (a lone surrogate escape); the writer's.
pub(crate) fn write_raw_fields<W: Write + ?Sized>(
    w: &mut W,
    fields: &RawFields<'_>,
    style: JsonStyle,
) -> io::Result<()> {
    let entries = &fields.0;
    if entries
        .iter()
        .any(|(_, v)| v.get().is_empty() || v.get().starts_with(['{', '[']))
    {
        return Err(invalid_data("nested values"));
    }
    let write_value = |w: &mut W, v: &&RawValue, style| write_raw(w, v.get(), style);
    if !has_repeated_key(entries) {
        return write_object(w, entries.iter().map(|(k, v)| (k, *v)), style, write_value);
    }
    let unique = last_value_first_place(entries.iter().map(|(k, v)| (&**k, *v)).collect());
    write_object(w, unique, style, write_value)
}

/// Whether a key of `entries` is given twice.
fn has_repeated_key<V>(entries: &[(std::borrow::Cow<'_, str>, V)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(other, _)| other == k));
    }
    let mut keys: Vec<&str> = entries.iter().map(|(k, _)| &**k).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_keys_and_repeats_read_in_linear_time() {
        // 100,000 keys: a quadratic search for repeats takes minutes here.
        let body: Vec<String> = (0..100_000).map(|k| format!("\"k{k}\":{k}")).collect();
        let text = format!("{{{},\"k5\":\"last\"}}", body.join(","));
        let raw = RawJson::parse(&text).unwrap();
        assert!(
            raw.get().starts_with(
                "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":\"last\",\"k6\":6"
            )
        );
        let fields: Fields = serde_json::from_str(&text).unwrap();
        assert_eq!(fields.len(), 100_000);
        assert_eq!(fields.get("k5").map(RawJson::get), Some("\"last\""));
        assert_eq!(fields.keys().nth(6), Some("k6"));
    }

    #[test]
    fn canonical_spelling_is_serde_jsons_compact_form() {
        for (text, want) in [
            ("  null ", "null"),
            (
                "[1, -0, 1.5e3, 1E2, 2e-3, 12345678901234567890123, true]",
                "[1,-0,1.5e+3,1e+2,2e-3,12345678901234567890123,true]",
            ),
            (
                r#"{"b" : "caf\u00e9 \/ \"q\"", "a": {"x": [ ]}}"#,
                r#"{"b":"café / \"q\"","a":{"x":[]}}"#,
            ),
            (r#"{"a":1,"b":2,"a":3}"#, r#"{"a":3,"b":2}"#),
            (r#""\u0001\u007f""#, "\"\\u0001\u{7f}\""),
        ] {
            assert_eq!(RawJson::parse(text).unwrap().get(), want, "{text}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [r#""\ud800""#, "[1,]", "{\"a\"}", "", "1 2"] {
            assert!(RawJson::parse(text).is_err(), "{text}");
        }
        // The one limit of the crate, on the default 2 MiB stack of a spawned thread.
        let deep = |n: usize| format!("{}1{}", "[{\"a\":".repeat(n / 2), "}]".repeat(n / 2));
        let results = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                [MAX_DEPTH, MAX_DEPTH + 2, 100_000]
                    .map(|n| RawJson::parse(&deep(n)).map_err(|e| e.to_string()))
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(results[0].as_ref().unwrap().get(), deep(MAX_DEPTH));
        for refused in &results[1..] {
            let e = refused.as_ref().unwrap_err();
            assert!(e.starts_with(crate::limits::TOO_DEEP), "{e}");
        }
    }

    #[test]
    fn fields_keep_insertion_order_and_replace_in_place() {
        let mut f = Fields::new();
        f.insert("z", 1u8);
        f.insert("a", "x");
        assert_eq!(f.insert("z", true), Some(RawJson::from(1u8)));
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"z":true,"a":"x"}"#);
        assert_eq!(f.remove("z"), Some(RawJson::from(true)));
        assert_eq!(f.keys().collect::<Vec<_>>(), ["a"]);
        let read: Fields = serde_json::from_str(r#"{"q": [1.0], "b": {"d": 1, "c": 2}}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"q":[1.0],"b":{"d":1,"c":2}}"#
        );
    }

    #[test]
    fn from_serialize_keeps_struct_order() {
        #[derive(serde::Serialize)]
        struct S {
            z: f64,
            a: Option<u8>,
        }
        let v = RawJson::from_serialize(&S { z: 0.5, a: None }).unwrap();
        assert_eq!(v.get(), r#"{"z":0.5,"a":null}"#);
    }
}
