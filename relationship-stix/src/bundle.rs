//! Reader of a STIX bundle from a stream: the top-level object is walked with serde, and each
//! element of its `objects` array is handed over as soon as it is read, as its own text.
//!
//! The bytes are watched one by one as serde reads them ([`Watch`]), so that nothing is held
//! past its limit: an element of `objects`, a top-level key, `type` or `spec_version` longer
//! than [`MAX_STIX_OBJECT_BYTES`] is read on to its end without being kept, measured and
//! refused; a bundle longer than [`MAX_BUNDLE_BYTES`] is refused at that byte; nesting deeper
//! than [`MAX_DEPTH`] (the bundle counts) is refused at the bracket that opens the level.
//! Memory holds one element at a time.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use relationship_core::limits::{MAX_BUNDLE_BYTES, MAX_DEPTH, MAX_STIX_OBJECT_BYTES, TOO_DEEP};
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
    /// Bytes of the bundle read (a byte order mark aside).
    pub bytes: u64,
}

/// The callback's answer: go on, or stop because it failed (its error is kept by the caller).
pub(crate) enum Flow {
    Continue,
    Abort,
}

/// An element of `objects` as read.
#[derive(Debug)]
pub(crate) struct Element {
    /// Its index in `objects`.
    pub index: usize,
    /// Its text, without the whitespace around it.
    pub text: Box<str>,
    /// 1-based line of its first byte in the bundle.
    pub line: usize,
    /// 1-based column (in bytes) of its first byte.
    pub column: usize,
    /// Bytes of the bundle read up to its end.
    pub end: u64,
}

/// Whether `v` is a STIX version this converter reads: `2.0` or `2.1`.
pub(crate) fn is_spec_version(v: &str) -> bool {
    matches!(v, "2.0" | "2.1")
}

/// A JSON value for a message, cut to a readable length.
pub(crate) fn quoted(v: &Value) -> String {
    let text = v.to_string();
    relationship_schema::text::excerpt(&text, relationship_schema::limits::MAX_QUOTED_CHARS)
        .into_owned()
}

/// The message for a value of the bundle (`what`) of `len` bytes, larger than
/// [`MAX_STIX_OBJECT_BYTES`].
fn object_too_large(what: &str, len: u64) -> String {
    format!(
        "{what} is {len} bytes, more than the limit of {} MiB for one STIX object or value; nothing was converted",
        MAX_STIX_OBJECT_BYTES >> 20
    )
}

/// Where a watched value starts.
#[derive(Debug, Clone, Copy, Default)]
struct Start {
    offset: u64,
    line: usize,
    column: usize,
    /// Nesting depth before its first byte.
    depth: usize,
    first: u8,
}

/// Why the watch stopped the reading.
#[derive(Debug, Clone, Copy)]
enum Stop {
    BundleTooLarge,
    TooDeep {
        line: usize,
        column: usize,
    },
    /// A watched value of `len` bytes.
    TooLarge {
        start: Start,
        len: u64,
    },
}

/// The state of the byte watch, shared by the reader serde reads from and the visitors that
/// tell it where values start.
#[derive(Debug)]
struct Watch {
    /// Offset of the next byte.
    offset: Cell<u64>,
    /// Bytes skipped before the text (a byte order mark), counted against the bundle limit.
    skipped: u64,
    line: Cell<usize>,
    line_start: Cell<u64>,
    depth: Cell<usize>,
    in_string: Cell<bool>,
    escaped: Cell<bool>,
    /// A watched value comes next: whitespace, `,` and `:` until its first byte.
    awaiting: Cell<bool>,
    /// The watched value being read.
    value: Cell<Option<Start>>,
    stop: Cell<Option<Stop>>,
    /// Index of the `objects` element being read, if inside the array.
    element: Cell<Option<usize>>,
    /// The callback asked to stop.
    aborted: Cell<bool>,
    /// The top-level `type` is not `bundle`.
    wrong_type: Cell<bool>,
    /// The last byte read, and whether the input ended after it.
    last: Cell<u8>,
    at_end: Cell<bool>,
}

impl Watch {
    fn new(skipped: u64) -> Self {
        Watch {
            offset: Cell::new(0),
            skipped,
            line: Cell::new(1),
            line_start: Cell::new(0),
            depth: Cell::new(0),
            in_string: Cell::new(false),
            escaped: Cell::new(false),
            awaiting: Cell::new(false),
            value: Cell::new(None),
            stop: Cell::new(None),
            element: Cell::new(None),
            aborted: Cell::new(false),
            wrong_type: Cell::new(false),
            last: Cell::new(0),
            at_end: Cell::new(false),
        }
    }

    /// Runs `read` with the next value watched against [`MAX_STIX_OBJECT_BYTES`]; returns
    /// what it read and where the value started.
    fn watched<T>(&self, read: impl FnOnce() -> T) -> (T, Start) {
        self.awaiting.set(true);
        self.value.set(None);
        let out = read();
        self.awaiting.set(false);
        (out, self.value.take().unwrap_or_default())
    }

    /// Takes byte `b` as read.
    fn step(&self, b: u8) -> Result<(), Stop> {
        let offset = self.offset.get();
        if offset + self.skipped >= MAX_BUNDLE_BYTES as u64 {
            return Err(Stop::BundleTooLarge);
        }
        self.offset.set(offset + 1);
        self.last.set(b);
        let line = self.line.get();
        let column = usize::try_from(offset - self.line_start.get()).unwrap_or(usize::MAX) + 1;
        if self.awaiting.get() && !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b':') {
            self.awaiting.set(false);
            let depth = self.depth.get();
            let first = b;
            self.value.set(Some(Start {
                offset,
                line,
                column,
                depth,
                first,
            }));
        }
        if self.in_string.get() {
            if self.escaped.get() {
                self.escaped.set(false);
            } else if b == b'\\' {
                self.escaped.set(true);
            } else if b == b'"' {
                self.in_string.set(false);
            }
        } else {
            match b {
                b'"' => self.in_string.set(true),
                b'[' | b'{' => {
                    self.depth.set(self.depth.get() + 1);
                    if self.depth.get() > MAX_DEPTH {
                        return Err(Stop::TooDeep { line, column });
                    }
                }
                b']' | b'}' => self.depth.set(self.depth.get().saturating_sub(1)),
                _ => {}
            }
        }
        if b == b'\n' {
            self.line.set(line + 1);
            self.line_start.set(offset + 1);
        }
        match self.value.get() {
            Some(start) if offset - start.offset >= MAX_STIX_OBJECT_BYTES as u64 => {
                Err(Stop::TooLarge { start, len: 0 })
            }
            _ => Ok(()),
        }
    }

    /// The length of value `start` when byte `b`, just taken, ends it.
    fn ends(&self, start: Start, b: u8) -> Option<u64> {
        let offset = self.offset.get() - 1;
        if matches!(start.first, b'{' | b'[' | b'"') {
            let closed = !self.in_string.get() && self.depth.get() == start.depth;
            (closed && offset > start.offset).then(|| offset + 1 - start.offset)
        } else {
            matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
                .then(|| offset - start.offset)
        }
    }

    /// The column of error `e` as serde_json gives it for a document read from memory. Read
    /// from a stream, it counts a byte that was only peeked at when a value or a type error
    /// was found (a delimiter after a number, the bracket of an array or object of the wrong
    /// type, the byte after a top-level value that is not the bundle's closing brace).
    fn column_of(&self, e: &serde_json::Error) -> usize {
        let column = e.column();
        if e.classify() != serde_json::error::Category::Data || column == 0 {
            return column;
        }
        let message = e.to_string();
        let peeked = if message.starts_with("invalid type: map")
            || message.starts_with("invalid type: sequence")
        {
            true
        } else if message.starts_with("invalid type: integer")
            || message.starts_with("invalid type: floating point")
        {
            !self.at_end.get()
        } else if message.starts_with("invalid type") {
            false
        } else {
            !self.at_end.get() && self.last.get() != b'}'
        };
        column - usize::from(peeked)
    }

    /// The error for `stop`.
    fn error(&self, stop: Stop) -> ConvertError {
        let path = || {
            self.element
                .get()
                .map_or_else(|| "$".to_owned(), |i| format!("objects[{i}]"))
        };
        match stop {
            Stop::BundleTooLarge => ConvertError::TooLarge(format!(
                "the bundle is larger than the limit of {} MiB; it was not converted",
                MAX_BUNDLE_BYTES >> 20
            )),
            Stop::TooDeep { line, column } => ConvertError::Json {
                line,
                column,
                path: path(),
                message: TOO_DEEP.to_owned(),
            },
            Stop::TooLarge { start, len } => match self.element.get() {
                Some(i) => ConvertError::TooLarge(object_too_large(
                    &format!("objects[{i}] (line {})", start.line),
                    len,
                )),
                None => ConvertError::Json {
                    line: start.line,
                    column: start.column,
                    path: path(),
                    message: object_too_large("a top-level value", len),
                },
            },
        }
    }
}

/// The reader serde reads from: one byte at a time, each taken by the [`Watch`].
struct Watched<'w, R> {
    inner: R,
    watch: &'w Watch,
}

impl<R: BufRead> Watched<'_, R> {
    /// Reads on to the end of the value that went past its limit, to measure it.
    fn measure(&mut self, start: Start) -> io::Result<Stop> {
        self.watch.value.set(None);
        loop {
            let Some(&b) = self.inner.fill_buf()?.first() else {
                let len = self.watch.offset.get() - start.offset;
                return Ok(Stop::TooLarge { start, len });
            };
            self.inner.consume(1);
            if let Err(stop) = self.watch.step(b) {
                return Ok(stop);
            }
            if let Some(len) = self.watch.ends(start, b) {
                return Ok(Stop::TooLarge { start, len });
            }
        }
    }
}

impl<R: BufRead> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(slot) = buf.first_mut() else {
            return Ok(0);
        };
        if self.watch.stop.get().is_some() {
            // serde_json reads on to close the array or object it was in: it meets the
            // same refusal.
            return Err(io::Error::other("the bundle was refused"));
        }
        let Some(&b) = self.inner.fill_buf()?.first() else {
            self.watch.at_end.set(true);
            return Ok(0);
        };
        self.inner.consume(1);
        let stop = match self.watch.step(b) {
            Ok(()) => {
                *slot = b;
                return Ok(1);
            }
            Err(Stop::TooLarge { start, .. }) => self.measure(start)?,
            Err(stop) => stop,
        };
        self.watch.stop.set(Some(stop));
        Err(io::Error::other("the bundle was refused"))
    }
}

/// `input` past a UTF-8 byte order mark at its start, and the number of bytes skipped.
fn skip_bom<R: Read>(mut input: R) -> io::Result<(impl BufRead, u64)> {
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < head.len() {
        match input.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let skip = if head[..n] == *relationship_core::lines::BOM {
        n
    } else {
        0
    };
    let rest = BufReader::with_capacity(64 * 1024, input);
    Ok((
        io::Cursor::new(head[skip..n].to_vec()).chain(rest),
        skip as u64,
    ))
}

/// Reads the bundle from `input`, calling `on_object` for each element of `objects` in order.
/// Returns what the bundle says about itself.
///
/// Errors: malformed JSON (with line, column and the element being read), a top-level value
/// that is not an object or whose `type` is not `bundle`, the limits above, and I/O errors.
/// An element is checked to be well-formed JSON before it is handed over. When `on_object`
/// returns [`Flow::Abort`], reading stops and `Ok(None)` is returned: the callback holds its
/// own error.
pub(crate) fn read_bundle<R: Read>(
    input: R,
    on_object: &mut dyn FnMut(Element) -> Flow,
) -> Result<Option<BundleInfo>, ConvertError> {
    let (inner, skipped) = skip_bom(input).map_err(ConvertError::Read)?;
    let watch = Watch::new(skipped);
    let mut de = serde_json::Deserializer::from_reader(Watched {
        inner,
        watch: &watch,
    });
    let result = BundleSeed {
        watch: &watch,
        on_object,
    }
    .deserialize(&mut de)
    .and_then(|info| de.end().map(|()| info));
    match result {
        Ok(info) => Ok(Some(BundleInfo {
            bytes: watch.offset.get(),
            ..info
        })),
        Err(_) if watch.aborted.get() => Ok(None),
        Err(_) if watch.stop.get().is_some() => {
            Err(watch.error(watch.stop.get().unwrap_or(Stop::BundleTooLarge)))
        }
        Err(e) if watch.wrong_type.get() => {
            let column = watch.column_of(&e);
            let at = format!(" at line {} column {column}", e.line());
            Err(ConvertError::NotABundle(strip_position(&e) + &at))
        }
        Err(e) => {
            let column = watch.column_of(&e);
            match ConvertError::from_json(e, watch.element.get()) {
                ConvertError::Json {
                    line,
                    path,
                    message,
                    ..
                } => Err(ConvertError::Json {
                    line,
                    column,
                    path,
                    message,
                }),
                other => Err(other),
            }
        }
    }
}

struct BundleSeed<'w, 'f> {
    watch: &'w Watch,
    on_object: &'f mut dyn FnMut(Element) -> Flow,
}

impl<'de> DeserializeSeed<'de> for BundleSeed<'_, '_> {
    type Value = BundleInfo;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<BundleInfo, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BundleSeed<'_, '_> {
    type Value = BundleInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a STIX bundle: a JSON object with an `objects` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BundleInfo, A::Error> {
        let mut info = BundleInfo::default();
        let watch = self.watch;
        while let Some(key) = watch.watched(|| map.next_key::<String>()).0? {
            match key.as_str() {
                "objects" => {
                    info.objects += map.next_value_seed(ObjectsSeed {
                        watch,
                        on_object: &mut *self.on_object,
                        start: info.objects,
                    })?;
                }
                "type" => {
                    let v = top_value(&watch.watched(|| map.next_value::<Box<RawValue>>()).0?)?;
                    if v.as_str() != Some("bundle") {
                        watch.wrong_type.set(true);
                        return Err(de::Error::custom(format!(
                            "the top-level `type` is {v}, not \"bundle\" (a single STIX object must be wrapped in a bundle)"
                        )));
                    }
                }
                "spec_version" => {
                    let v = top_value(&watch.watched(|| map.next_value::<Box<RawValue>>()).0?)?;
                    match v.as_str() {
                        Some(s) if is_spec_version(s) => {
                            info.spec_version = Some(s.to_owned());
                        }
                        _ => {
                            return Err(de::Error::custom(format!(
                                "the bundle's `spec_version` is {}, not a STIX version (\"2.0\" or \"2.1\")",
                                quoted(&v)
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

struct ObjectsSeed<'w, 'f> {
    watch: &'w Watch,
    on_object: &'f mut dyn FnMut(Element) -> Flow,
    start: usize,
}

impl<'de> DeserializeSeed<'de> for ObjectsSeed<'_, '_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ObjectsSeed<'_, '_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`objects` to be an array of STIX objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut index = self.start;
        loop {
            self.watch.element.set(Some(index));
            let (next, start) = self.watch.watched(|| seq.next_element::<Box<RawValue>>());
            let Some(raw) = next? else {
                break;
            };
            let text: Box<str> = raw.into();
            let element = Element {
                index,
                end: start.offset + text.len() as u64,
                text,
                line: start.line,
                column: start.column,
            };
            if let Flow::Abort = (self.on_object)(element) {
                self.watch.aborted.set(true);
                return Err(de::Error::custom("conversion stopped"));
            }
            index += 1;
        }
        self.watch.element.set(None);
        Ok(index - self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = (Option<BundleInfo>, Vec<(usize, Value)>);

    fn read(text: &str) -> Result<Read, ConvertError> {
        let mut seen = Vec::new();
        let info = read_bundle(text.as_bytes(), &mut |e| {
            seen.push((e.index, serde_json::from_str(&e.text).unwrap()));
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
    fn elements_know_where_they_start_and_end() {
        let text = "\u{feff}{\"objects\": [ 1,\n  {\"a\": \"x\"} ,\"s\"]}";
        let mut seen = Vec::new();
        let info = read_bundle(text.as_bytes(), &mut |e| {
            seen.push((e.text.to_string(), e.line, e.column, e.end));
            Flow::Continue
        })
        .unwrap()
        .unwrap();
        assert_eq!(info.bytes, text.len() as u64 - 3);
        assert_eq!(seen[0], ("1".to_owned(), 1, 15, 15));
        assert_eq!(seen[1], (r#"{"a": "x"}"#.to_owned(), 2, 3, 29));
        assert_eq!(seen[2], (r#""s""#.to_owned(), 2, 15, 34));
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
    fn an_element_past_its_limit_is_measured_not_kept() {
        let big = "a".repeat(MAX_STIX_OBJECT_BYTES);
        let text = format!("{{\"objects\":[1,\n {{\"d\":\"{big}\", \"x\": [1]}}, 2]}}");
        let e = read(&text).unwrap_err().to_string();
        let len = big.len() + r#"{"d":"", "x": [1]}"#.len();
        assert!(
            e.contains(&format!("objects[1] (line 2) is {len} bytes")),
            "{e}"
        );
        let text = format!("{{\"type\":\"{big}\",\"objects\":[]}}");
        let e = read(&text).unwrap_err().to_string();
        let len = big.len() + 2;
        assert!(
            e.contains(&format!("(in $): a top-level value is {len} bytes")),
            "{e}"
        );
    }

    #[test]
    fn abort_stops_reading() {
        let mut n = 0;
        let info = read_bundle(r#"{"objects":[1,2,3]}"#.as_bytes(), &mut |_| {
            n += 1;
            Flow::Abort
        })
        .unwrap();
        assert!(info.is_none());
        assert_eq!(n, 1);
    }
}
