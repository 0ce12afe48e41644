//! Reader of a STIX bundle from a stream: the top-level object is walked with serde, and each
//! element of its `objects` array is handed over as soon as it is read, as its own text.
//!
//! The input is read in large chunks ([`Source`]). An element of `objects` that is an object
//! within every limit is found in the buffer by a byte scanner and checked with serde_json from
//! memory; everything else (the top level, other elements, anything malformed or past a limit)
//! is read by serde one byte at a time, each byte watched ([`Watch`]), so that nothing is held
//! past its limit: an element of `objects`, a top-level key, `type` or `spec_version` longer
//! than [`MAX_STIX_OBJECT_BYTES`] is read on to its end without being kept, measured and
//! refused; a bundle longer than [`MAX_BUNDLE_BYTES`] is refused at that byte; nesting deeper
//! than [`MAX_DEPTH`] (the bundle counts) is refused at the bracket that opens the level.
//! Memory holds one element at a time.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{self, Read};

use relationship_core::limits::{MAX_BUNDLE_BYTES, MAX_DEPTH, MAX_STIX_OBJECT_BYTES, TOO_DEEP};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{ConvertError, element_path, strip_position};

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

/// Why `spec_version` value `v` of `whose` (`the bundle's`, `a tool whose`) is refused:
/// it is not a STIX version this converter reads, `2.0` or `2.1`.
pub(crate) fn spec_version_problem(whose: impl fmt::Display, v: &Value) -> Option<String> {
    (!v.as_str().is_some_and(is_spec_version)).then(|| {
        let v = relationship_core::limits::quoted(&v.to_string()).into_owned();
        format!("{whose} `spec_version` is {v}, not a STIX version (\"2.0\" or \"2.1\")")
    })
}

/// The message for a value of the bundle (`what`) of `len` bytes, larger than
/// [`MAX_STIX_OBJECT_BYTES`].
fn object_too_large(what: &str, len: u64) -> String {
    format!(
        "{what} is {len} bytes, more than the limit of {} MiB for one STIX object or value; nothing was converted",
        MAX_STIX_OBJECT_BYTES >> 20
    )
}

/// Strings and nesting of JSON text read a byte at a time (brackets are not matched).
#[derive(Debug, Default, Clone, Copy)]
struct Lex {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Lex {
    /// Takes byte `b`; `Some(true)` for a bracket that opens a level, `Some(false)` for one
    /// that closes it.
    fn take(&mut self, b: u8) -> Option<bool> {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return None;
        }
        match b {
            b'"' => self.in_string = true,
            b'[' | b'{' => {
                self.depth += 1;
                return Some(true);
            }
            b']' | b'}' => {
                self.depth = self.depth.saturating_sub(1);
                return Some(false);
            }
            _ => {}
        }
        None
    }
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
#[derive(Debug, Default)]
struct Watch {
    /// Offset of the next byte.
    offset: Cell<u64>,
    /// Bytes skipped before the text (a byte order mark), counted against the bundle limit.
    skipped: u64,
    line: Cell<usize>,
    line_start: Cell<u64>,
    lex: Cell<Lex>,
    /// A watched value comes next: whitespace, `,` and `:` until its first byte.
    awaiting: Cell<bool>,
    /// The watched value being read.
    value: Cell<Option<Start>>,
    stop: Cell<Option<Stop>>,
    /// Index of the `objects` element being read, if inside the array.
    element: Cell<Option<usize>>,
    /// The top-level `type` is not `bundle`.
    wrong_type: Cell<bool>,
    /// The last byte read, and whether the input ended after it.
    last: Cell<u8>,
    at_end: Cell<bool>,
    /// Line and column (bytes since the line's start) of the last byte serde read, as serde
    /// counts them: it does not see the elements the scanner took.
    seen: Cell<(usize, usize)>,
    /// Where serde's count and the bundle's were at the last element the scanner took.
    shift: Cell<Option<Shift>>,
}

/// A point of the bundle as serde counts it (`seen_*`) and as it is (`line`, `column`).
#[derive(Debug, Clone, Copy)]
struct Shift {
    seen_line: usize,
    seen_column: usize,
    line: usize,
    column: usize,
}

impl Watch {
    /// Counts byte `b` as read by serde.
    fn see(&self, b: u8) {
        let (line, column) = self.seen.get();
        self.seen.set(if b == b'\n' {
            (line + 1, 0)
        } else {
            (line, column + 1)
        });
    }

    /// The place in the bundle of serde's `line` and `column`, read after the last element the
    /// scanner took.
    fn place(&self, line: usize, column: usize) -> (usize, usize) {
        match self.shift.get() {
            Some(s) if line == s.seen_line => {
                (s.line, (s.column + column).saturating_sub(s.seen_column))
            }
            Some(s) if line > s.seen_line => (s.line + line - s.seen_line, column),
            _ => (line, column),
        }
    }

    /// The column of the last byte taken.
    fn column(&self) -> usize {
        usize::try_from(self.offset.get() - self.line_start.get()).unwrap_or(usize::MAX)
    }

    /// Takes `bytes`, read by the scanner.
    fn skip(&self, bytes: &[u8]) {
        let offset = self.offset.get();
        if let Some(last) = bytes.iter().rposition(|&b| b == b'\n') {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count();
            self.line.set(self.line.get() + lines);
            self.line_start.set(offset + last as u64 + 1);
        }
        self.offset.set(offset + bytes.len() as u64);
    }

    /// Takes `bytes`, the gap before an element the scanner found at `start`, then the
    /// element; returns the line and column of its first byte.
    fn take_scanned(&self, bytes: &[u8], start: usize) -> (usize, usize) {
        let (gap, element) = bytes.split_at(start);
        self.skip(gap);
        let first = (self.line.get(), self.column() + 1);
        self.skip(element);
        self.last.set(b'}');
        let (seen_line, seen_column) = self.seen.get();
        self.shift.set(Some(Shift {
            seen_line,
            seen_column,
            line: self.line.get(),
            column: self.column(),
        }));
        first
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
        let (line, column) = (self.line.get(), self.column());
        let mut lex = self.lex.get();
        if self.awaiting.get() && !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b':') {
            self.awaiting.set(false);
            let (depth, first) = (lex.depth, b);
            self.value.set(Some(Start {
                offset,
                line,
                column,
                depth,
                first,
            }));
        }
        let opened = lex.take(b) == Some(true);
        self.lex.set(lex);
        if opened && lex.depth > MAX_DEPTH {
            return Err(Stop::TooDeep { line, column });
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
            let lex = self.lex.get();
            let closed = !lex.in_string && lex.depth == start.depth;
            (closed && offset > start.offset).then(|| offset + 1 - start.offset)
        } else {
            matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
                .then(|| offset - start.offset)
        }
    }

    /// The line and column of error `e` in the bundle, the column as serde_json gives it for
    /// a document read from memory. Read from a stream, it counts a byte that was only peeked
    /// at when a value or a type error was found (a delimiter after a number, the bracket of
    /// an array or object of the wrong type, the byte after a top-level value that is not the
    /// bundle's closing brace).
    fn position_of(&self, e: &serde_json::Error) -> (usize, usize) {
        let (line, column) = self.place(e.line(), e.column());
        if e.classify() != serde_json::error::Category::Data || column == 0 {
            return (line, column);
        }
        let message = e.to_string();
        let peeked = match message.strip_prefix("invalid type") {
            Some(t) if t.starts_with(": map") || t.starts_with(": sequence") => true,
            Some(t) if t.starts_with(": integer") || t.starts_with(": floating point") => {
                !self.at_end.get()
            }
            Some(_) => false,
            None => !self.at_end.get() && self.last.get() != b'}',
        };
        (line, column - usize::from(peeked))
    }

    /// The error for `stop`.
    fn error(&self, stop: Stop) -> ConvertError {
        let json = |line, column, message| ConvertError::Json {
            line,
            column,
            path: element_path(self.element.get()),
            message,
        };
        match stop {
            Stop::BundleTooLarge => ConvertError::TooLarge(format!(
                "the bundle is larger than the limit of {} MiB; it was not converted",
                MAX_BUNDLE_BYTES >> 20
            )),
            Stop::TooDeep { line, column } => json(line, column, TOO_DEEP.to_owned()),
            Stop::TooLarge { start, len } => match self.element.get() {
                Some(i) => ConvertError::TooLarge(object_too_large(
                    &format!("objects[{i}] (line {})", start.line),
                    len,
                )),
                None => json(
                    start.line,
                    start.column,
                    object_too_large("a top-level value", len),
                ),
            },
        }
    }
}

/// Bytes read from the input at a time.
const CHUNK: usize = 256 * 1024;

/// Whitespace and `,` the scanner reads before an element; more is left to serde.
const MAX_GAP: usize = 64 * 1024;

/// The longest element the scanner takes (STIX objects are rarely over a few KiB); a longer
/// one is left to serde, so that the buffer stays small.
const MAX_SCANNED: usize = if MAX_STIX_OBJECT_BYTES < 4 << 20 {
    MAX_STIX_OBJECT_BYTES
} else {
    4 << 20
};

/// The input, read in large chunks into one buffer: serde takes its bytes one at a time
/// through [`Shared`], and [`Source::scan_object`] finds whole elements of `objects` in it.
struct Source<R> {
    input: R,
    buf: Vec<u8>,
    /// Index in `buf` of the next byte to read.
    pos: usize,
    /// An error of the input, handed on once the bytes before it are read.
    error: Option<io::Error>,
    eof: bool,
}

impl<R: Read> Source<R> {
    /// Reads one more chunk onto the end of the buffer, first dropping the bytes already read
    /// when they are at least half of it. Returns whether bytes came.
    fn fill(&mut self) -> bool {
        if self.eof || self.error.is_some() {
            return false;
        }
        if self.pos >= self.buf.len() - self.pos {
            self.buf.drain(..self.pos);
            self.pos = 0;
            if self.buf.capacity() > 4 * CHUNK && self.buf.len() < CHUNK {
                self.buf.shrink_to(2 * CHUNK);
            }
        }
        let len = self.buf.len();
        self.buf.resize(len + CHUNK, 0);
        let n = loop {
            match self.input.read(&mut self.buf[len..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    break 0;
                }
            }
        };
        self.buf.truncate(len + n);
        self.eof = n == 0 && self.error.is_none();
        n > 0
    }

    /// The next byte; `None` at the end of the input.
    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        if self.pos == self.buf.len() && !self.fill() {
            return self.error.take().map_or(Ok(None), Err);
        }
        let b = self.buf.get(self.pos).copied();
        self.pos += 1;
        Ok(b)
    }

    /// Skips a UTF-8 byte order mark at the start; returns the number of bytes skipped.
    fn skip_bom(&mut self) -> io::Result<u64> {
        let bom = relationship_core::lines::BOM;
        while self.buf.len() < bom.len() && self.fill() {}
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.buf.starts_with(bom) {
            self.pos = bom.len();
        }
        Ok(self.pos as u64)
    }

    /// Finds, from the next byte, whitespace, `,`, whitespace and an object kept within
    /// `limits`, without taking them; returns where the object starts and ends. `None` for
    /// anything else, including malformed JSON, the end of the input or an error of it: serde
    /// reads those.
    fn scan_object(&mut self, limits: &ScanLimits) -> Option<(usize, usize)> {
        let mut scan = Scan::default();
        let mut done = 0;
        loop {
            if self.pos + done == self.buf.len() && !self.fill() {
                return None;
            }
            match scan.feed(self.buf.get(self.pos + done..)?, done, limits) {
                Fed::More(n) => done += n,
                Fed::Found(end) => return Some((scan.start, end)),
                Fed::Refused => return None,
            }
        }
    }
}

/// What the scanner keeps to; past it, it leaves the element to serde.
struct ScanLimits {
    /// Levels the element may open.
    depth: usize,
    /// The first byte past the bundle's limit, counted from the next byte.
    bytes: usize,
}

/// The part of an element's text the scanner is in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Part {
    #[default]
    BeforeComma,
    BeforeValue,
    Object,
}

/// The state of the scanner between chunks.
#[derive(Debug, Default)]
struct Scan {
    part: Part,
    lex: Lex,
    /// The `{` that opens the element, in bytes from the next byte.
    start: usize,
}

/// What the scanner made of a chunk.
enum Fed {
    /// All of it was taken: the element goes on.
    More(usize),
    /// The element ends just before this byte.
    Found(usize),
    Refused,
}

impl Scan {
    /// Scans `bytes`, which start `base` bytes after the next byte.
    fn feed(&mut self, bytes: &[u8], base: usize, limits: &ScanLimits) -> Fed {
        let mut k = 0;
        while let Some(&b) = bytes.get(k) {
            let at = base + k;
            k += 1;
            if at >= limits.bytes {
                return Fed::Refused;
            }
            if self.part == Part::Object {
                if at - self.start >= MAX_SCANNED {
                    return Fed::Refused;
                }
                match self.lex.take(b) {
                    Some(true) if self.lex.depth > limits.depth => return Fed::Refused,
                    Some(false) if self.lex.depth == 0 => return Fed::Found(at + 1),
                    None if self.lex.in_string && !self.lex.escaped => {
                        k += self.plain_run(bytes, k, base, limits);
                    }
                    _ => {}
                }
                continue;
            }
            match (self.part, b) {
                (_, b' ' | b'\t' | b'\n' | b'\r') if at < MAX_GAP => {}
                (Part::BeforeComma, b',') => self.part = Part::BeforeValue,
                (Part::BeforeValue, b'{') if limits.depth > 0 => {
                    self.part = Part::Object;
                    self.lex.depth = 1;
                    self.start = at;
                }
                _ => return Fed::Refused,
            }
        }
        Fed::More(bytes.len())
    }

    /// How many bytes of a string's text, from `bytes[k]`, need no look: up to a quote, a
    /// backslash or a limit.
    fn plain_run(&self, bytes: &[u8], k: usize, base: usize, limits: &ScanLimits) -> usize {
        let bound = bytes
            .len()
            .min(limits.bytes.saturating_sub(base))
            .min((self.start + MAX_SCANNED).saturating_sub(base));
        bytes.get(k..bound).map_or(0, |run| {
            run.iter()
                .position(|&c| matches!(c, b'"' | b'\\'))
                .unwrap_or(run.len())
        })
    }
}

/// What the reading shares: the byte watch, the buffered input and the callback's error.
struct Shared<R> {
    watch: Watch,
    source: RefCell<Source<R>>,
    failure: Cell<Option<ConvertError>>,
}

impl<R: Read> Shared<R> {
    /// The next element of `objects` (number `index`) when the scanner finds it and it is
    /// well-formed; its bytes are then taken.
    fn take_object(&self, index: usize) -> Option<Element> {
        let watch = &self.watch;
        let offset = watch.offset.get() + watch.skipped;
        let limits = ScanLimits {
            depth: MAX_DEPTH.saturating_sub(watch.lex.get().depth),
            bytes: usize::try_from((MAX_BUNDLE_BYTES as u64).saturating_sub(offset))
                .unwrap_or(usize::MAX),
        };
        let mut source = self.source.borrow_mut();
        let (start, end) = source.scan_object(&limits)?;
        let bytes = source.buf.get(source.pos..source.pos + end)?;
        let text = std::str::from_utf8(bytes.get(start..)?).ok()?;
        serde_json::from_str::<IgnoredAny>(text).ok()?;
        let text: Box<str> = text.into();
        let (line, column) = watch.take_scanned(bytes, start);
        source.pos += end;
        Some(Element {
            index,
            text,
            line,
            column,
            end: watch.offset.get(),
        })
    }
}

impl<R: Read> Shared<R> {
    /// Reads on to the end of the value that went past its limit, to measure it.
    fn measure(&self, start: Start) -> io::Result<Stop> {
        let watch = &self.watch;
        watch.value.set(None);
        loop {
            let Some(b) = self.source.borrow_mut().next_byte()? else {
                let len = watch.offset.get() - start.offset;
                return Ok(Stop::TooLarge { start, len });
            };
            if let Err(stop) = watch.step(b) {
                return Ok(stop);
            }
            if let Some(len) = watch.ends(start, b) {
                return Ok(Stop::TooLarge { start, len });
            }
        }
    }
}

// The reader serde reads from: one byte at a time, each taken by the watch.
impl<R: Read> Read for &Shared<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(slot) = buf.first_mut() else {
            return Ok(0);
        };
        let watch = &self.watch;
        // Once the bundle is refused, serde_json reads on to close the array or object it was
        // in: it meets the same refusal.
        if watch.stop.get().is_none() {
            let Some(b) = self.source.borrow_mut().next_byte()? else {
                watch.at_end.set(true);
                return Ok(0);
            };
            let stop = match watch.step(b) {
                Ok(()) => {
                    watch.see(b);
                    *slot = b;
                    return Ok(1);
                }
                Err(Stop::TooLarge { start, .. }) => self.measure(start)?,
                Err(stop) => stop,
            };
            watch.stop.set(Some(stop));
        }
        Err(io::Error::other("the bundle was refused"))
    }
}

/// Reads the bundle from `input`, calling `on_object` for each element of `objects` in order.
/// Returns what the bundle says about itself.
///
/// Errors: malformed JSON (with line, column and the element being read), a top-level value
/// that is not an object or whose `type` is not `bundle`, the limits above, and I/O errors.
/// An element is checked to be well-formed JSON before it is handed over. When `on_object`
/// fails, reading stops with its error.
pub(crate) fn read_bundle<R: Read>(
    input: R,
    on_object: &mut dyn FnMut(Element) -> Result<(), ConvertError>,
) -> Result<BundleInfo, ConvertError> {
    let mut source = Source {
        input,
        buf: Vec::new(),
        pos: 0,
        error: None,
        eof: false,
    };
    let skipped = source.skip_bom().map_err(ConvertError::Read)?;
    let shared = Shared {
        watch: Watch {
            skipped,
            line: Cell::new(1),
            seen: Cell::new((1, 0)),
            ..Watch::default()
        },
        source: RefCell::new(source),
        failure: Cell::new(None),
    };
    let watch = &shared.watch;
    let mut de = serde_json::Deserializer::from_reader(&shared);
    let seed = BundleSeed {
        shared: &shared,
        on_object,
    };
    let e = match de
        .deserialize_map(seed)
        .and_then(|info| de.end().map(|()| info))
    {
        Ok(info) => {
            let bytes = watch.offset.get();
            return Ok(BundleInfo { bytes, ..info });
        }
        Err(e) => e,
    };
    if let Some(failure) = shared.failure.take() {
        return Err(failure);
    }
    if let Some(stop) = watch.stop.get() {
        return Err(watch.error(stop));
    }
    let (line, column) = watch.position_of(&e);
    if watch.wrong_type.get() {
        let message = strip_position(&e);
        return Err(ConvertError::NotABundle(format!(
            "{message} at line {line} column {column}"
        )));
    }
    Err(ConvertError::from_json(
        e,
        watch.element.get(),
        (line, column),
    ))
}

struct BundleSeed<'w, 'f, R> {
    shared: &'w Shared<R>,
    on_object: &'f mut dyn FnMut(Element) -> Result<(), ConvertError>,
}

impl<'de, R: Read> Visitor<'de> for BundleSeed<'_, '_, R> {
    type Value = BundleInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a STIX bundle: a JSON object with an `objects` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BundleInfo, A::Error> {
        let mut info = BundleInfo::default();
        let watch = &self.shared.watch;
        while let Some(key) = watch.watched(|| map.next_key::<String>()).0? {
            match key.as_str() {
                "objects" => {
                    info.objects += map.next_value_seed(ObjectsSeed {
                        shared: self.shared,
                        on_object: &mut *self.on_object,
                        start: info.objects,
                    })?;
                }
                "type" | "spec_version" => {
                    let v = top_value(&watch.watched(|| map.next_value::<Box<RawValue>>()).0?)?;
                    if key == "spec_version" {
                        if let Some(problem) = spec_version_problem("the bundle's", &v) {
                            return Err(de::Error::custom(problem));
                        }
                        info.spec_version = v.as_str().map(str::to_owned);
                    } else if v.as_str() != Some("bundle") {
                        watch.wrong_type.set(true);
                        return Err(de::Error::custom(format!(
                            "the top-level `type` is {v}, not \"bundle\" (a single STIX object must be wrapped in a bundle)"
                        )));
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

struct ObjectsSeed<'w, 'f, R> {
    shared: &'w Shared<R>,
    on_object: &'f mut dyn FnMut(Element) -> Result<(), ConvertError>,
    start: usize,
}

impl<'de, R: Read> DeserializeSeed<'de> for ObjectsSeed<'_, '_, R> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R: Read> Visitor<'de> for ObjectsSeed<'_, '_, R> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`objects` to be an array of STIX objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let watch = &self.shared.watch;
        let mut index = self.start;
        // serde read the last element and holds no byte after it (a number ends where the
        // next byte says), so the scanner may take the next one.
        let mut scannable = false;
        loop {
            watch.element.set(Some(index));
            let element = match scannable.then(|| self.shared.take_object(index)).flatten() {
                Some(element) => element,
                None => {
                    let (next, start) = watch.watched(|| seq.next_element::<Box<RawValue>>());
                    let Some(raw) = next? else {
                        break;
                    };
                    let text: Box<str> = raw.into();
                    scannable = !text.ends_with(|c: char| c.is_ascii_digit());
                    Element {
                        index,
                        end: start.offset + text.len() as u64,
                        text,
                        line: start.line,
                        column: start.column,
                    }
                }
            };
            if let Err(e) = (self.on_object)(element) {
                self.shared.failure.set(Some(e));
                return Err(de::Error::custom("conversion stopped"));
            }
            index += 1;
        }
        watch.element.set(None);
        Ok(index - self.start)
    }
}

#[cfg(test)]
mod tests;
