//! Reader of a STIX bundle held in memory: the top-level object is walked with serde, and each
//! element of its `objects` array is handed over as soon as its extent is known, as the
//! element's own text borrowed from the bundle (a [`RawValue`]). Nothing is copied: the
//! caller parses the element, and what it keeps for later can be that text.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::ConvertError;

/// What the bundle says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BundleInfo {
    /// `spec_version`, when present (STIX 2.0 bundles).
    pub spec_version: Option<String>,
    /// Elements of `objects` read.
    pub objects: usize,
}

/// The callback's answer: go on, or stop because it failed (its error is kept by the caller).
pub(crate) enum Flow {
    Continue,
    Abort,
}

/// Where the reader is, for error messages.
#[derive(Debug, Default)]
struct Position {
    /// Index of the `objects` element being read, if inside the array.
    element: Cell<Option<usize>>,
    /// The callback asked to stop.
    aborted: Cell<bool>,
    /// The top-level `type` is not `bundle`.
    wrong_type: Cell<bool>,
}

/// Reads the bundle `bytes`, calling `on_object(index, text)` for each element of `objects` in
/// order, `text` being the element as written in `bytes` (without the whitespace around it).
/// Returns what the bundle says about itself.
///
/// Errors: malformed JSON (with line, column and the element being read), a top-level value
/// that is not an object or whose `type` is not `bundle`. An element is checked to be
/// well-formed JSON before it is handed over (nesting depth aside: that is for the parser of
/// the element). When `on_object` returns [`Flow::Abort`], reading stops and `Ok(None)` is
/// returned: the callback holds its own error.
pub(crate) fn read_bundle<'b>(
    bytes: &'b [u8],
    on_object: &mut dyn FnMut(usize, &'b RawValue) -> Flow,
) -> Result<Option<BundleInfo>, ConvertError> {
    let pos = Position::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = BundleSeed {
        pos: &pos,
        on_object,
    }
    .deserialize(&mut de)
    .and_then(|info| de.end().map(|()| info));
    match result {
        Ok(info) => Ok(Some(info)),
        Err(_) if pos.aborted.get() => Ok(None),
        Err(e) if pos.wrong_type.get() => Err(ConvertError::NotABundle(e.to_string())),
        Err(e) => Err(ConvertError::from_json(e, pos.element.get())),
    }
}

struct BundleSeed<'p, 'f, 'b> {
    pos: &'p Position,
    on_object: &'f mut dyn FnMut(usize, &'b RawValue) -> Flow,
}

impl<'de> DeserializeSeed<'de> for BundleSeed<'_, '_, 'de> {
    type Value = BundleInfo;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<BundleInfo, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BundleSeed<'_, '_, 'de> {
    type Value = BundleInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a STIX bundle: a JSON object with an `objects` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BundleInfo, A::Error> {
        let mut info = BundleInfo::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "objects" => {
                    info.objects += map.next_value_seed(ObjectsSeed {
                        pos: self.pos,
                        on_object: &mut *self.on_object,
                        start: info.objects,
                    })?;
                }
                "type" => {
                    let v = top_value(map.next_value()?)?;
                    if v.as_str() != Some("bundle") {
                        self.pos.wrong_type.set(true);
                        return Err(de::Error::custom(format!(
                            "the top-level `type` is {v}, not \"bundle\" (a single STIX object must be wrapped in a bundle)"
                        )));
                    }
                }
                "spec_version" => {
                    let v = top_value(map.next_value()?)?;
                    match v.as_str() {
                        Some(s) if crate::convert::is_spec_version(s) => {
                            info.spec_version = Some(s.to_owned());
                        }
                        _ => {
                            return Err(de::Error::custom(format!(
                                "the bundle's `spec_version` is {}, not a STIX version (\"2.0\" or \"2.1\")",
                                crate::convert::quoted(&v)
                            )));
                        }
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(info)
    }
}

/// A top-level value read as a `Value`, nested up to the runtime's one depth limit.
fn top_value<E: de::Error>(raw: &RawValue) -> Result<Value, E> {
    if raw.get().len() > relationship_core::limits::MAX_STIX_OBJECT_BYTES {
        return Err(E::custom(crate::convert::object_too_large(
            "a top-level value",
            raw.get().len(),
        )));
    }
    relationship_core::value::from_str(raw.get()).map_err(|e| E::custom(strip_position(&e)))
}

/// serde_json's message without its ` at line L column C` (the reader adds its own).
fn strip_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_owned(),
        None => full,
    }
}

struct ObjectsSeed<'p, 'f, 'b> {
    pos: &'p Position,
    on_object: &'f mut dyn FnMut(usize, &'b RawValue) -> Flow,
    start: usize,
}

impl<'de> DeserializeSeed<'de> for ObjectsSeed<'_, '_, 'de> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ObjectsSeed<'_, '_, 'de> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`objects` to be an array of STIX objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut index = self.start;
        loop {
            self.pos.element.set(Some(index));
            let Some(value) = seq.next_element::<&'de RawValue>()? else {
                break;
            };
            if let Flow::Abort = (self.on_object)(index, value) {
                self.pos.aborted.set(true);
                return Err(de::Error::custom("conversion stopped"));
            }
            index += 1;
        }
        self.pos.element.set(None);
        Ok(index - self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = (Option<BundleInfo>, Vec<(usize, Value)>);

    fn read(text: &str) -> Result<Read, ConvertError> {
        let mut seen = Vec::new();
        let info = read_bundle(text.as_bytes(), &mut |i, v| {
            seen.push((i, serde_json::from_str(v.get()).unwrap()));
            Flow::Continue
        })?;
        Ok((info, seen))
    }

    #[test]
    fn objects_arrive_in_order_with_their_index() {
        let (info, seen) = read(
            r#"{"type":"bundle","id":"bundle--1","spec_version":"2.0","x":[1,{"a":2}],
                "objects":[{"type":"a"},5,{"type":"b"}]}"#,
        )
        .unwrap();
        let info = info.unwrap();
        assert_eq!(info.spec_version.as_deref(), Some("2.0"));
        assert_eq!(info.objects, 3);
        assert_eq!(seen.len(), 3);
        assert_eq!((seen[1].0, &seen[1].1), (1, &Value::from(5)));
        assert_eq!(seen[2].1["type"], "b");
    }

    #[test]
    fn missing_objects_is_an_empty_bundle() {
        let (info, seen) = read(r#"{"type":"bundle","id":"bundle--1"}"#).unwrap();
        assert_eq!(info.unwrap().objects, 0);
        assert!(seen.is_empty());
    }

    #[test]
    fn errors_say_where() {
        let e = read("{\"type\":\"bundle\",\"objects\":[{\"type\":\"a\"},\n{\"type\": tru}]}")
            .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("line 2") && msg.contains("objects[1]"),
            "{msg}"
        );
        let e = read("[1,2]").unwrap_err();
        assert!(e.to_string().contains("a STIX bundle"), "{e}");
        let e = read(r#"{"type":"indicator","objects":[]}"#).unwrap_err();
        assert!(matches!(e, ConvertError::NotABundle(_)), "{e}");
        let e = read(r#"{"objects":{}}"#).unwrap_err();
        assert!(e.to_string().contains("`objects` to be an array"), "{e}");
        let e = read(r#"{"objects":[]} trailing"#).unwrap_err();
        assert!(e.to_string().contains("trailing"), "{e}");
        let e = read(r#"{"objects":[{"a":1}"#).unwrap_err();
        assert!(
            e.to_string().contains("objects[1]") && e.to_string().contains("EOF"),
            "{e}"
        );
    }

    #[test]
    fn abort_stops_reading() {
        let mut n = 0;
        let info = read_bundle(r#"{"objects":[1,2,3]}"#.as_bytes(), &mut |_, _| {
            n += 1;
            Flow::Abort
        })
        .unwrap();
        assert!(info.is_none());
        assert_eq!(n, 1);
    }
}
