//! JSON output in two styles: compact, or byte-identical to Python's `json.dumps` defaults.
//!
//! XSOAR's Python side writes `createIndicators` payloads with `json.dumps`/`json.dump` and
//! default arguments: `", "` between items, `": "` after keys, `ensure_ascii=True`, floats
//! as `repr(float)`. [`JsonStyle::Python`] reproduces those bytes so that output can be
//! diffed against an existing Python integration; [`JsonStyle::Compact`] is serde_json's
//! compact form (no spaces, UTF-8 left unescaped).
//!
//! ```
//! use relationship_core::json::{self, JsonStyle};
//!
//! let v = serde_json::json!({"a": ["é", 1e16, 0.5, null]});
//! assert_eq!(json::to_string(&v, JsonStyle::Compact).unwrap(), r#"{"a":["é",1e+16,0.5,null]}"#);
//! assert_eq!(json::to_string(&v, JsonStyle::Python).unwrap(), r#"{"a": ["\u00e9", 1e+16, 0.5, null]}"#);
//! ```

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_core::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

/// Which bytes to write for a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum JsonStyle {
    /// serde_json's compact form: no whitespace, non-ASCII characters written as UTF-8.
    #[default]
    Compact,
    /// Python's `json.dumps` defaults: `", "` and `": "` separators, every character outside
    /// `0x20..=0x7E` escaped (`\uXXXX` with lowercase hex, astral characters as surrogate
    /// pairs, `\"` `\\` `\n` `\r` `\t` `\b` `\f` in short form), floats as `repr(float)`.
    ///
    /// Numbers read from JSON text are written as Python writes what `json.loads` made of
    /// them (see [`PythonFormatter`]): integers exactly, however long, with `-0` as `0`;
    /// anything with a fraction or exponent as `repr(float(text))`, so `1.0E2` becomes
    /// `100.0` and `1e400` becomes `Infinity` (Python's spelling, which strict JSON parsers
    /// reject; Python writes it all the same).
    ///
    /// One difference remains and cannot arise from `serde_json::Value`: a non-finite `f64`
    /// field (NaN, ±infinity) is written as `null` (serde_json's rule), where Python writes
    /// `NaN`/`Infinity`.
    Python,
}

/// Serializes `value` to `w` in the given style.
///
/// Serialization errors (a `Serialize` impl that fails, a map with non-string keys) are
/// returned as [`io::ErrorKind::InvalidData`] errors.
pub fn write_json<W: Write + ?Sized, T: Serialize + ?Sized>(
    w: &mut W,
    value: &T,
    style: JsonStyle,
) -> io::Result<()> {
    let result = match style {
        JsonStyle::Compact => value.serialize(&mut Serializer::with_formatter(w, CompactFormatter)),
        JsonStyle::Python => value.serialize(&mut Serializer::with_formatter(w, PythonFormatter)),
    };
    result.map_err(io::Error::from)
}

/// Serializes `value` into a byte vector in the given style.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, style: JsonStyle) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    match style {
        JsonStyle::Compact => {
            value.serialize(&mut Serializer::with_formatter(&mut out, CompactFormatter))?
        }
        JsonStyle::Python => {
            value.serialize(&mut Serializer::with_formatter(&mut out, PythonFormatter))?
        }
    }
    Ok(out)
}

/// Serializes `value` into a string in the given style.
pub fn to_string<T: Serialize + ?Sized>(value: &T, style: JsonStyle) -> serde_json::Result<String> {
    let bytes = to_vec(value, style)?;
    // Both formatters write UTF-8 only (serde_json's strings are `str`, escapes are ASCII).
    String::from_utf8(bytes).map_err(|e| serde_core::ser::Error::custom(e.to_string()))
}

/// A [`serde_json::ser::Formatter`] that writes what Python's `json.dumps` writes with its
/// default arguments.
///
/// Use it with [`serde_json::Serializer::with_formatter`] to drive serde_json directly, or
/// through [`write_json`] with [`JsonStyle::Python`].
///
/// Numbers reach it as text: a [`RawJson`](crate::fields::RawJson) value (which keeps the
/// text it was read from, in serde_json's spelling: exponent marker `e`, exponent sign always
/// written) through [`Formatter::write_raw_fragment`], or a [`serde_json::Number`] through
/// [`Formatter::write_number_str`] when the program builds serde_json with
/// `arbitrary_precision`. Such a number is written as Python's `json.dumps(json.loads(text))`
/// writes it:
///
/// * an integer literal (no `.`, no exponent) exactly as given: Python's `int` has no size
///   limit, so `123456789012345678901234567890` stays as it is; `-0` is written `0`, since
///   Python's `int("-0")` is plain zero;
/// * any other literal becomes the nearest double, written as `repr(float)`: `1.0e+2` as
///   `100.0`, `1e+16` as `1e+16`, `1e-400` as `0.0`; a literal beyond the double range
///   (`1e400`) is infinity to Python and is written `Infinity` / `-Infinity`, as
///   `json.dumps` does by default.
///
/// Not mirrored: CPython 3.11+ refuses, in `json.loads`, integer literals of more than 4300
/// digits; they are written here unchanged. [`JsonStyle::Compact`] (serde_json's own
/// formatter) writes a raw value's number text as read.
#[derive(Debug, Clone, Copy, Default)]
pub struct PythonFormatter;

const HEX: &[u8; 16] = b"0123456789abcdef";

fn write_u_escape<W: Write + ?Sized>(w: &mut W, unit: u16) -> io::Result<()> {
    let buf = [
        b'\\',
        b'u',
        HEX[usize::from(unit >> 12)],
        HEX[usize::from((unit >> 8) & 0xF)],
        HEX[usize::from((unit >> 4) & 0xF)],
        HEX[usize::from(unit & 0xF)],
    ];
    w.write_all(&buf)
}

/// Whether `bytes` (UTF-8) holds DEL or any non-ASCII byte.
///
/// A byte is `>= 0x7F` exactly when adding one sets its high bit (0xFF never occurs in
/// UTF-8); OR-ing without an early exit lets the loop vectorize.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    bytes.iter().fold(0u8, |acc, &b| acc | b.wrapping_add(1)) & 0x80 != 0
}

impl Formatter for PythonFormatter {
    #[inline]
    fn begin_array_value<W: Write + ?Sized>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    #[inline]
    fn begin_object_key<W: Write + ?Sized>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    #[inline]
    fn begin_object_value<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_f32<W: Write + ?Sized>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        // Python has only doubles: an f32 handed to Python becomes the same value as a double.
        self.write_f64(w, f64::from(value))
    }

    fn write_f64<W: Write + ?Sized>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        let mut buf = StackBuf::new();
        python_float_repr(value, &mut buf).map_err(|_| io::Error::other("float repr overflow"))?;
        w.write_all(buf.as_bytes())
    }

    fn write_number_str<W: Write + ?Sized>(&mut self, w: &mut W, value: &str) -> io::Result<()> {
        match python_number(value) {
            PythonNumber::Int(text) => w.write_all(text.as_bytes()),
            PythonNumber::Float(f) if f.is_finite() => self.write_f64(w, f),
            PythonNumber::Float(f) if f > 0.0 => w.write_all(b"Infinity"),
            PythonNumber::Float(_) => w.write_all(b"-Infinity"),
            PythonNumber::Invalid => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("`{value}` is not a JSON number"),
            )),
        }
    }

    /// A raw value ([`crate::fields::RawJson`]) is JSON text in serde_json's compact
    /// spelling: it is written again as Python writes the value.
    fn write_raw_fragment<W: Write + ?Sized>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_raw_to(w, fragment, JsonStyle::Python)
    }

    #[inline]
    fn write_string_fragment<W: Write + ?Sized>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json hands over runs without `"`, `\` and C0 controls; what is left to
        // escape is DEL and everything outside ASCII.
        let bytes = fragment.as_bytes();
        if !needs_escape(bytes) {
            return w.write_all(bytes);
        }
        let mut start = 0;
        while let Some(off) = bytes[start..].iter().position(|&b| b >= 0x7F) {
            let at = start + off;
            w.write_all(&bytes[start..at])?;
            let ch = fragment[at..].chars().next().unwrap_or('\u{FFFD}');
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write_u_escape(w, *unit)?;
            }
            start = at + ch.len_utf8();
        }
        w.write_all(&bytes[start..])
    }

    fn write_char_escape<W: Write + ?Sized>(
        &mut self,
        w: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let short: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            // Python never escapes `/`.
            CharEscape::Solidus => b"/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => return write_u_escape(w, u16::from(byte)),
        };
        w.write_all(short)
    }
}

/// What Python's `json.loads` makes of a JSON number literal.
#[derive(Debug, PartialEq)]
enum PythonNumber<'a> {
    /// An `int`, with the digits Python prints for it.
    Int(&'a str),
    /// A `float` (infinite when the literal is beyond the double range).
    Float(f64),
    /// Not a JSON number literal.
    Invalid,
}

/// Classifies `text` as Python's JSON scanner does: `-?digits` is an integer, anything with a
/// fraction or an exponent is a float.
fn python_number(text: &str) -> PythonNumber<'_> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() {
        return PythonNumber::Invalid;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        return if digits.bytes().all(|b| b == b'0') {
            PythonNumber::Int("0")
        } else {
            PythonNumber::Int(text)
        };
    }
    // Rust's float parser also takes `inf`, `nan` and `+1`; JSON literals start with a digit.
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return PythonNumber::Invalid;
    }
    // Correctly rounded, like CPython's `float()`; out-of-range literals give ±infinity.
    text.parse::<f64>()
        .map_or(PythonNumber::Invalid, PythonNumber::Float)
}

/// A fixed-capacity buffer for formatting one float without allocating.
struct StackBuf {
    bytes: [u8; 64],
    len: usize,
}

impl StackBuf {
    fn new() -> Self {
        StackBuf {
            bytes: [0; 64],
            len: 0,
        }
    }
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
    fn push(&mut self, b: u8) -> std::fmt::Result {
        let slot = self.bytes.get_mut(self.len).ok_or(std::fmt::Error)?;
        *slot = b;
        self.len += 1;
        Ok(())
    }
    fn extend(&mut self, s: &[u8]) -> std::fmt::Result {
        s.iter().try_for_each(|&b| self.push(b))
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.extend(s.as_bytes())
    }
}

/// Writes `repr(value)` as CPython does for a finite float: the shortest digits that round
/// trip, in positional notation when the decimal exponent is in `-4..16` (with `.0` added to
/// integral values), else as `d[.ddd]e±XX` with at least two exponent digits.
fn python_float_repr(value: f64, out: &mut StackBuf) -> std::fmt::Result {
    // `{:e}` gives the shortest round-trip digits: `-1.2345e-7`, `1e16`, `0e0`.
    let mut sci = StackBuf::new();
    write!(sci, "{value:e}")?;
    // With 16 or 17 digits two neighbours can both round trip; CPython then takes the one
    // closest to the exact value (ties to even), which is the value correctly rounded to that
    // many digits: `1608882928643910.25` is `...910.2` in Python, where `{:e}` gives `...910.3`.
    let shortest_digits = sci
        .as_bytes()
        .iter()
        .take_while(|&&b| b != b'e')
        .filter(|b| b.is_ascii_digit())
        .count();
    if shortest_digits >= 16 {
        sci = StackBuf::new();
        write!(sci, "{value:.*e}", shortest_digits - 1)?;
    }
    let sci = sci.as_bytes();
    let (negative, sci) = match sci.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, sci),
    };
    let e_pos = sci.iter().position(|&b| b == b'e').ok_or(std::fmt::Error)?;
    let (mantissa, exp) = (&sci[..e_pos], &sci[e_pos + 1..]);
    let exp: i32 = std::str::from_utf8(exp)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(std::fmt::Error)?;
    let mut digits = [0u8; 24];
    let mut n = 0;
    for &b in mantissa.iter().filter(|b| b.is_ascii_digit()) {
        *digits.get_mut(n).ok_or(std::fmt::Error)? = b;
        n += 1;
    }
    let digits = &digits[..n];
    if negative {
        out.push(b'-')?;
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            for i in 0..int_len {
                out.push(digits.get(i).copied().unwrap_or(b'0'))?;
            }
            out.push(b'.')?;
            if digits.len() > int_len {
                out.extend(&digits[int_len..])?;
            } else {
                out.push(b'0')?;
            }
        } else {
            out.extend(b"0.")?;
            for _ in 0..(-exp - 1) {
                out.push(b'0')?;
            }
            out.extend(digits)?;
        }
    } else {
        let (first, rest) = digits.split_first().ok_or(std::fmt::Error)?;
        out.push(*first)?;
        if !rest.is_empty() {
            out.push(b'.')?;
            out.extend(rest)?;
        }
        write!(
            out,
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.unsigned_abs()
        )?;
    }
    Ok(())
}

/// What a byte of a string needs in the output: `0` nothing (copied as it is), `b'u'` a
/// `\u00XX` escape, `b'U'` (Python style only) the `\uXXXX` escape of the character it
/// starts, anything else the short escape `\` + that byte.
const fn escape_table(python: bool) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    if python {
        let mut i = 0x7F;
        while i < 0x100 {
            t[i] = b'U';
            i += 1;
        }
    }
    t
}

static COMPACT_ESCAPES: [u8; 256] = escape_table(false);
static PYTHON_ESCAPES: [u8; 256] = escape_table(true);

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `x` is zero.
#[inline]
fn has_zero_byte(x: u64) -> bool {
    x.wrapping_sub(LOW_BITS) & !x & HIGH_BITS != 0
}

/// Whether any of the eight bytes of `x` may need escaping: `"`, `\`, a C0 control or (for
/// Python) DEL and above. It may answer `true` for a chunk that needs nothing only when
/// another byte of it does, never `false` for one that needs something.
#[inline]
fn chunk_needs_escape(x: u64, python: bool) -> bool {
    let control = x.wrapping_sub(LOW_BITS * 0x20) & !x & HIGH_BITS != 0;
    let quote = has_zero_byte(x ^ (LOW_BITS * u64::from(b'"')));
    let backslash = has_zero_byte(x ^ (LOW_BITS * u64::from(b'\\')));
    let high = python && (x.wrapping_add(LOW_BITS) | x) & HIGH_BITS != 0;
    control | quote | backslash | high
}

/// Writes `s` as a JSON string in `style`: the bytes serde_json writes with the style's
/// formatter, found eight bytes at a time and escaped through a table.
pub fn write_str(out: &mut Vec<u8>, s: &str, style: JsonStyle) {
    out.reserve(s.len() + 2);
    // Writing into a `Vec<u8>` cannot fail.
    let _ = write_str_to(out, s, style);
}

/// [`write_str`] into any writer: the one string escaper of the direct writers.
///
/// # Errors
///
/// The writer's.
pub fn write_str_to<W: Write + ?Sized>(w: &mut W, s: &str, style: JsonStyle) -> io::Result<()> {
    let python = style == JsonStyle::Python;
    let table = if python {
        &PYTHON_ESCAPES
    } else {
        &COMPACT_ESCAPES
    };
    let bytes = s.as_bytes();
    w.write_all(b"\"")?;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !chunk_needs_escape(u64::from_le_bytes(word), python) {
                i += 8;
                continue;
            }
        }
        // Something in these eight bytes (or in the short rest) needs a look.
        let end = (i + 8).min(bytes.len());
        while i < end {
            let b = bytes[i];
            let kind = table[usize::from(b)];
            if kind == 0 {
                i += 1;
                continue;
            }
            w.write_all(&bytes[start..i])?;
            match kind {
                b'U' => {
                    let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
                    let mut units = [0u16; 2];
                    for unit in ch.encode_utf16(&mut units) {
                        w.write_all(&u_escape(*unit))?;
                    }
                    i += ch.len_utf8();
                }
                b'u' => {
                    w.write_all(&u_escape(u16::from(b)))?;
                    i += 1;
                }
                short => {
                    w.write_all(&[b'\\', short])?;
                    i += 1;
                }
            }
            start = i;
        }
    }
    w.write_all(&bytes[start..])?;
    w.write_all(b"\"")
}

/// The `\uXXXX` escape (lowercase hex, as Python writes it) of one UTF-16 unit.
fn u_escape(unit: u16) -> [u8; 6] {
    [
        b'\\',
        b'u',
        HEX[usize::from(unit >> 12)],
        HEX[usize::from((unit >> 8) & 0xF)],
        HEX[usize::from((unit >> 4) & 0xF)],
        HEX[usize::from(unit & 0xF)],
    ]
}

/// Writes the JSON text `text` in `style`: the bytes [`write_json`] writes for the value
/// serde_json reads from it, numbers kept as written ([`JsonStyle::Python`] spells them as
/// Python does). `text` is one JSON value in any spelling whose objects repeat no key (a
/// [`crate::fields::RawJson`]'s text, say); whitespace between tokens is dropped.
///
/// ```
/// use relationship_core::json::{write_raw, JsonStyle};
/// let mut out = Vec::new();
/// write_raw(&mut out, r#"{"a": [1E2, "é", -0, 12345678901234567890123]}"#, JsonStyle::Python)?;
/// assert_eq!(out, br#"{"a": [100.0, "\u00e9", 0, 12345678901234567890123]}"#);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
///
/// [`io::ErrorKind::InvalidData`] for a string or number that is not JSON (the caller hands
/// over text serde_json has read).
pub fn write_raw(out: &mut Vec<u8>, text: &str, style: JsonStyle) -> io::Result<()> {
    out.reserve(text.len());
    write_raw_to(out, text, style)
}

/// [`write_raw`] into any writer.
///
/// # Errors
///
/// As [`write_raw`], and the writer's.
pub fn write_raw_to<W: Write + ?Sized>(w: &mut W, text: &str, style: JsonStyle) -> io::Result<()> {
    let (comma, colon): (&[u8], &[u8]) = match style {
        JsonStyle::Compact => (b",", b":"),
        JsonStyle::Python => (b", ", b": "),
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let end =
                    string_end(bytes, i).ok_or_else(|| invalid_data("unterminated string"))?;
                let token = &text[i..end];
                let inner = &token[1..token.len() - 1];
                if inner.contains('\\') {
                    let s: String = serde_json::from_str(token).map_err(invalid_data)?;
                    write_str_to(w, &s, style)?;
                } else {
                    write_str_to(w, inner, style)?;
                }
                i = end;
            }
            b',' => {
                w.write_all(comma)?;
                i += 1;
            }
            b':' => {
                w.write_all(colon)?;
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                let number = &text[i..end];
                match style {
                    JsonStyle::Compact => w.write_all(number.as_bytes())?,
                    JsonStyle::Python => PythonFormatter.write_number_str(w, number)?,
                }
                i = end;
            }
            _ => {
                // Brackets and the literals `true`, `false`, `null`: copied up to the next
                // token.
                let end = bytes[i + 1..]
                    .iter()
                    .position(|c| !c.is_ascii_alphabetic())
                    .map_or(bytes.len(), |n| i + 1 + n);
                let end = if b.is_ascii_alphabetic() { end } else { i + 1 };
                w.write_all(&bytes[i..end])?;
                i = end;
            }
        }
    }
    Ok(())
}

/// The index just past the number literal starting at `start`.
pub(crate) fn number_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|c| !matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
        .map_or(bytes.len(), |n| start + n)
}

/// The index just past the string starting with the quote at `start`.
pub(crate) fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        let off = memchr_quote_or_backslash(bytes.get(i..)?)?;
        i += off;
        match bytes[i] {
            b'"' => return Some(i + 1),
            // An escape: skip the backslash and the character it escapes.
            _ => i += 2,
        }
    }
}

fn memchr_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&c| c == b'"' || c == b'\\')
}

/// Writes `value` in `style`: the bytes of [`write_json`], without going through serde for
/// objects, arrays and strings (numbers still take the style's formatter).
///
/// # Errors
///
/// When a number is not valid JSON number text (which `serde_json` does not produce).
pub fn write_value(
    out: &mut Vec<u8>,
    value: &serde_json::Value,
    style: JsonStyle,
) -> io::Result<()> {
    use serde_json::Value;
    let (comma, colon): (&[u8], &[u8]) = match style {
        JsonStyle::Compact => (b",", b":"),
        JsonStyle::Python => (b", ", b": "),
    };
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(_) => write_json(out, value, style)?,
        Value::String(s) => write_str(out, s, style),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(comma);
                }
                write_value(out, item, style)?;
            }
            out.push(b']');
        }
        Value::Object(map) => write_map(out, map, style, comma, colon)?,
    }
    Ok(())
}

fn write_map(
    out: &mut Vec<u8>,
    map: &serde_json::Map<String, serde_json::Value>,
    style: JsonStyle,
    comma: &[u8],
    colon: &[u8],
) -> io::Result<()> {
    out.push(b'{');
    for (i, (key, item)) in map.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(comma);
        }
        write_str(out, key, style);
        out.extend_from_slice(colon);
        write_value(out, item, style)?;
    }
    out.push(b'}');
    Ok(())
}

/// Writes a [`Fields`](crate::fields::Fields) object in `style`.
fn write_field_map(
    out: &mut Vec<u8>,
    fields: &crate::fields::Fields,
    style: JsonStyle,
    comma: &[u8],
    colon: &[u8],
) -> io::Result<()> {
    out.push(b'{');
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(comma);
        }
        write_str(out, key, style);
        out.extend_from_slice(colon);
        write_raw(out, value.get(), style)?;
    }
    out.push(b'}');
    Ok(())
}

/// Writes `rel.to_indicator()` in `style`: the bytes [`write_json`] writes for it, built
/// directly (the batch hot path).
///
/// # Errors
///
/// As [`write_value`].
pub fn write_relationship_indicator(
    out: &mut Vec<u8>,
    rel: &crate::relationship::EntityRelationship,
    style: JsonStyle,
) -> io::Result<()> {
    write_relationship_indicator_with(out, rel, None, style)
}

/// Like [`write_relationship_indicator`], with the relationship's `fields` given as an
/// object read as [`RawFields`] (`rel`'s own fields are then not written): the bytes written
/// are those for `rel` with the fields serde_json reads from the same text.
///
/// # Errors
///
/// As [`write_raw_fields`]; `out` then holds part of the rendering.
pub fn write_relationship_indicator_with(
    out: &mut Vec<u8>,
    rel: &crate::relationship::EntityRelationship,
    fields: Option<&RawFields<'_>>,
    style: JsonStyle,
) -> io::Result<()> {
    if rel.renders_empty() {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    let (comma, colon): (&[u8], &[u8]) = match style {
        JsonStyle::Compact => (b",", b":"),
        JsonStyle::Python => (b", ", b": "),
    };
    // Everything up to `"fields":`, from the constant fragments of a typed relationship.
    crate::prerender::write_head(out, rel, style)?;
    match fields {
        Some(raw) => write_fields(out, raw, style)?,
        None => write_field_map(out, rel.fields(), style, comma, colon)?,
    }
    out.push(b'}');
    Ok(())
}

/// A JSON object read without building a `serde_json::Map`: its keys (decoded, borrowed
/// from the text when they have no escapes) and its values as JSON text, in order. Read it
/// with serde_json (it accepts an object only) and write it with
/// [`write_relationship_indicator_with`].
#[derive(Debug, Default)]
pub struct RawFields<'a>(
    pub(crate) Vec<(std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue)>,
);

/// An object key, borrowed from the text when it has no escapes.
struct RawKey<'a>(std::borrow::Cow<'a, str>);

impl<'de> serde_core::Deserialize<'de> for RawKey<'de> {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde_core::de::Visitor<'de> for KeyVisitor {
            type Value = RawKey<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<RawKey<'de>, E> {
                Ok(RawKey(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawKey<'de>, E> {
                Ok(RawKey(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de: 'a, 'a> serde_core::Deserialize<'de> for RawFields<'a> {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldsVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde_core::de::Visitor<'de> for FieldsVisitor<'a> {
            type Value = RawFields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde_core::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawFields<'a>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(RawKey(key)) = map.next_key::<RawKey<'de>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(RawFields(entries))
            }
        }
        d.deserialize_map(FieldsVisitor(std::marker::PhantomData))
    }
}

fn invalid_data(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// Writes the JSON object `raw` in `style` without building a `serde_json::Map`: the bytes
/// [`write_value`] writes for the `Map` serde_json reads from it. Values that are strings
/// without escapes are written straight from the text, other strings, numbers, booleans and
/// `null` through serde_json; an object with a key given twice through the `Map` (which
/// keeps the first position and the last value).
///
/// # Errors
///
/// [`io::ErrorKind::InvalidData`] when `raw` is not an object, or holds an object or array
/// (nested values are left to a full read of the line, which also applies serde_json's
/// depth limit), or a string serde_json refuses (a lone surrogate escape).
pub fn write_raw_fields(
    out: &mut Vec<u8>,
    raw: &serde_json::value::RawValue,
    style: JsonStyle,
) -> io::Result<()> {
    let fields: RawFields<'_> = serde_json::from_str(raw.get()).map_err(invalid_data)?;
    write_fields(out, &fields, style)
}

/// [`write_raw_fields`] for an object already read.
fn write_fields(out: &mut Vec<u8>, fields: &RawFields<'_>, style: JsonStyle) -> io::Result<()> {
    let (comma, colon): (&[u8], &[u8]) = match style {
        JsonStyle::Compact => (b",", b":"),
        JsonStyle::Python => (b", ", b": "),
    };
    let entries = &fields.0;
    let repeated = if entries.len() <= 16 {
        entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(other, _)| other == k))
    } else {
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| &**k).collect();
        keys.sort_unstable();
        keys.windows(2).any(|w| w[0] == w[1])
    };
    if repeated {
        // What a Python `dict` keeps: the first position, the last value.
        let mut map = crate::fields::Fields::new();
        for (key, value) in entries {
            if value.get().starts_with(['{', '[']) {
                return Err(invalid_data("nested values"));
            }
            let value = crate::fields::RawJson::parse(value.get()).map_err(invalid_data)?;
            map.insert(key.to_string(), value);
        }
        return write_field_map(out, &map, style, comma, colon);
    }
    out.push(b'{');
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(comma);
        }
        write_str(out, key, style);
        out.extend_from_slice(colon);
        let text = value.get();
        match text.as_bytes().first() {
            Some(b'"') => match text.get(1..text.len() - 1) {
                Some(plain) if !plain.contains('\\') => write_str(out, plain, style),
                _ => {
                    let s: String = serde_json::from_str(text).map_err(invalid_data)?;
                    write_str(out, &s, style);
                }
            },
            Some(b'{' | b'[') | None => return Err(invalid_data("nested values")),
            Some(_) => {
                let v = crate::fields::RawJson::parse(text).map_err(invalid_data)?;
                write_raw(out, v.get(), style)?;
            }
        }
    }
    out.push(b'}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn py<T: Serialize + ?Sized>(v: &T) -> String {
        to_string(v, JsonStyle::Python).unwrap()
    }

    fn repr(v: f64) -> String {
        let mut b = StackBuf::new();
        python_float_repr(v, &mut b).unwrap();
        String::from_utf8(b.as_bytes().to_vec()).unwrap()
    }

    #[test]
    // The literals are exact doubles (binary fractions): their digits are the point.
    #[allow(clippy::excessive_precision)]
    fn float_repr_breaks_ties_as_python() {
        // Values whose 16 or 17 shortest digits have two round-tripping neighbours; the
        // expected text is CPython 3.11's repr.
        for (value, python) in [
            (1608882928643910.25, "1608882928643910.2"),
            (-1425502010969177.25, "-1425502010969177.2"),
            (19657848128154.8125, "19657848128154.812"),
            (201879090124801.625, "201879090124801.62"),
        ] {
            assert_eq!(repr(value), python, "{value:e}");
        }
    }

    #[test]
    fn float_repr_matches_python() {
        // Expected values are what CPython 3.11 prints for repr(x).
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (1e-5, "1e-05"),
            (1.234e-7, "1.234e-07"),
            (1e100, "1e+100"),
            (1e-100, "1e-100"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5e-324"),
            (0.30000000000000004, "0.30000000000000004"),
            (123.456, "123.456"),
        ];
        for &(v, want) in cases {
            assert_eq!(repr(v), want, "{v:e}");
        }
    }

    #[test]
    fn separators_and_nesting() {
        let v = json!({"a": [1, 2, {}], "b": {"c": [], "d": null}, "e": true});
        assert_eq!(
            py(&v),
            r#"{"a": [1, 2, {}], "b": {"c": [], "d": null}, "e": true}"#
        );
        assert_eq!(
            to_string(&v, JsonStyle::Compact).unwrap(),
            r#"{"a":[1,2,{}],"b":{"c":[],"d":null},"e":true}"#
        );
    }

    #[test]
    fn string_escapes_match_python() {
        let s = "q\"b\\s/\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}\u{80}é\u{2028}\u{ffff}😀𝄞 ~";
        assert_eq!(
            py(s),
            r#""q\"b\\s/\n\r\t\b\f\u0000\u001f\u007f\u0080\u00e9\u2028\uffff\ud83d\ude00\ud834\udd1e ~""#
        );
        // keys are escaped the same way
        assert_eq!(py(&json!({"ü": 1})), r#"{"\u00fc": 1}"#);
    }

    #[test]
    fn needs_escape_is_exactly_del_and_non_ascii() {
        for b in 0u8..0x7F {
            assert!(!needs_escape(&[b]), "{b:#x}");
        }
        assert!(needs_escape(b"\x7f"));
        for s in [
            "é",
            "\u{80}",
            "\u{10ffff}",
            "abc\u{7f}",
            "abcdefghijklmnopqrstuvwxyzé",
        ] {
            assert!(needs_escape(s.as_bytes()), "{s:?}");
        }
        assert!(!needs_escape(b"pc135456.domain.local ~"));
    }

    #[test]
    fn f32_widens_like_python() {
        assert_eq!(py(&1.1f32), "1.100000023841858");
        assert_eq!(py(&[0.5f32]), "[0.5]");
    }

    #[test]
    fn integers_are_plain() {
        assert_eq!(
            py(&json!([0, -1, u64::MAX, i64::MIN])),
            "[0, -1, 18446744073709551615, -9223372036854775808]"
        );
    }

    /// Parses `text` as JSON and writes it back in Python style.
    fn py_text(text: &str) -> String {
        py(&crate::fields::RawJson::parse(text).unwrap())
    }

    #[test]
    fn integers_of_any_length_stay_exact() {
        // What CPython 3.11 prints for json.dumps(json.loads(text)).
        let big = "123456789012345678901234567890";
        assert_eq!(py_text(big), big);
        assert_eq!(py_text(&format!("-{big}")), format!("-{big}"));
        assert_eq!(
            py_text("[18446744073709551616, -9223372036854775809]"),
            "[18446744073709551616, -9223372036854775809]"
        );
        let long = "9".repeat(400);
        assert_eq!(py_text(&long), long);
        // Compact keeps them too.
        let v = crate::fields::RawJson::parse(&format!(r#"{{"n": {big}}}"#)).unwrap();
        assert_eq!(
            to_string(&v, JsonStyle::Compact).unwrap(),
            format!(r#"{{"n":{big}}}"#)
        );
        assert_eq!(py(&v), format!(r#"{{"n": {big}}}"#));
    }

    #[test]
    fn negative_zero_integer_is_zero_but_negative_zero_float_stays() {
        assert_eq!(py_text("-0"), "0");
        assert_eq!(
            py_text("[0, -0, -0.0, -0e5, -1e-400]"),
            "[0, 0, -0.0, -0.0, -0.0]"
        );
        // Compact writes serde_json's text of the literal.
        let v = crate::fields::RawJson::parse("[-0, -0.0]").unwrap();
        assert_eq!(to_string(&v, JsonStyle::Compact).unwrap(), "[-0,-0.0]");
    }

    #[test]
    fn float_literals_are_written_as_python_repr_of_the_double() {
        // Expected values are what CPython 3.11 prints for json.dumps(json.loads(text)).
        let cases: &[(&str, &str)] = &[
            ("1.0E2", "100.0"),
            ("1E2", "100.0"),
            ("1E+2", "100.0"),
            ("1e16", "1e+16"),
            ("1.5E16", "1.5e+16"),
            ("10000000000000000.0", "1e+16"),
            ("1E-5", "1e-05"),
            ("0e0", "0.0"),
            ("1e-400", "0.0"),
            ("2.50", "2.5"),
            ("9007199254740993.0", "9007199254740992.0"),
            ("0.1000000000000000055511151231257827", "0.1"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ];
        for &(text, want) in cases {
            assert_eq!(py_text(text), want, "{text}");
        }
        // The compact style writes serde_json's spelling of the literal, not Python's.
        let v = crate::fields::RawJson::parse("[1.0E2, 2.50]").unwrap();
        assert_eq!(to_string(&v, JsonStyle::Compact).unwrap(), "[1.0e+2,2.50]");
    }

    #[test]
    fn float_literals_beyond_the_double_range_are_infinity_as_in_python() {
        assert_eq!(py_text("1e400"), "Infinity");
        assert_eq!(
            py_text(r#"{"a": [-1.5e999, 1E+400]}"#),
            r#"{"a": [-Infinity, Infinity]}"#
        );
        // Compact stays valid JSON.
        let v = crate::fields::RawJson::parse("1e400").unwrap();
        assert_eq!(to_string(&v, JsonStyle::Compact).unwrap(), "1e+400");
    }

    #[test]
    fn number_text_is_classified_as_python_scans_it() {
        assert_eq!(python_number("42"), PythonNumber::Int("42"));
        assert_eq!(python_number("-0"), PythonNumber::Int("0"));
        assert_eq!(python_number("-7"), PythonNumber::Int("-7"));
        assert_eq!(python_number("1.0e+2"), PythonNumber::Float(100.0));
        for bad in ["", "-", "inf", "-inf", "NaN", "+1", ".5", "1x", "--1", "e5"] {
            assert_eq!(python_number(bad), PythonNumber::Invalid, "{bad:?}");
            let err = PythonFormatter
                .write_number_str(&mut Vec::new(), bad)
                .unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        }
    }

    #[test]
    fn write_raw_refuses_broken_text_without_panicking() {
        for text in ["\"abc\\", "\"abc", "\"\\"] {
            let err = write_raw(&mut Vec::new(), text, JsonStyle::Python).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{text}");
        }
    }

    #[test]
    fn write_json_streams_to_a_writer() {
        let mut out = Vec::new();
        write_json(&mut out, &json!(["ä"]), JsonStyle::Python).unwrap();
        write_json(&mut out, &json!(["ä"]), JsonStyle::Compact).unwrap();
        assert_eq!(out, "[\"\\u00e4\"][\"ä\"]".as_bytes());
    }

    #[test]
    fn serialize_errors_surface_as_errors() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(vec![1u8], 1);
        assert!(to_string(&m, JsonStyle::Python).is_err());
        let err = write_json(&mut Vec::new(), &m, JsonStyle::Compact).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    mod fast {
        use super::super::*;
        use crate::relationship::EntityRelationship;
        use proptest::prelude::*;
        use serde_json::Value;

        fn both(v: &Value) {
            for style in [JsonStyle::Compact, JsonStyle::Python] {
                let mut fast = Vec::new();
                write_value(&mut fast, v, style).unwrap();
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    to_string(v, style).unwrap(),
                    "{style:?}"
                );
            }
        }

        #[test]
        fn every_code_point_class_escapes_as_serde_does() {
            let mut all = String::new();
            for c in (0u32..0x800).chain([0xFFFF, 0x10000, 0x1F600, 0x10FFFF]) {
                if let Some(ch) = char::from_u32(c) {
                    all.push(ch);
                }
            }
            both(&Value::String(all.clone()));
            for ch in all.chars() {
                both(&Value::String(format!("abcdefg{ch}hijklmnopq")));
            }
        }

        #[test]
        fn nested_values_and_numbers() {
            let v: Value = serde_json::from_str(
                r#"{"a": [1, -0, 1.5e3, 12345678901234567890123, true, false, null, {}],
                    "b\n": {"c": [], "d": "\u00e9\"\\/"}, "": ""}"#,
            )
            .unwrap();
            both(&v);
        }

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec(
                prop_oneof![
                    Just('a'),
                    Just('"'),
                    Just('\\'),
                    Just('\u{7f}'),
                    Just('\u{1f}'),
                    Just('é'),
                    Just('😀'),
                    any::<char>(),
                ],
                0..40,
            )
            .prop_map(|cs| cs.into_iter().collect())
        }

        fn raw_matches_map(text: &str) {
            let raw: Box<serde_json::value::RawValue> = serde_json::from_str(text).unwrap();
            let map = crate::fields::RawJson::parse(text).unwrap();
            for style in [JsonStyle::Compact, JsonStyle::Python] {
                let mut fast = Vec::new();
                write_raw_fields(&mut fast, &raw, style).unwrap();
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    to_string(&map, style).unwrap(),
                    "{text} {style:?}"
                );
            }
        }

        #[test]
        fn raw_fields_are_written_as_the_map_would_be() {
            for text in [
                r#"{}"#,
                r#"{ "a" : "b" , "c":"d" }"#,
                r#"{"d":"caf\u00e9 \"q\" \\ \/ \n \ud83d\ude00","n":1.0E2,"m":-0,"t":true,"f":false,"z":null}"#,
                r#"{"k\u00e9y":"é😀\u007f","big":123456789012345678901234567890,"e":1e400}"#,
                r#"{"a":"1","b":"2","a":"3"}"#,
            ] {
                raw_matches_map(text);
            }
        }

        #[test]
        fn raw_fields_refuse_what_they_do_not_write() {
            for text in [
                r#"{"a":{"b":1}}"#,
                r#"{"a":[1]}"#,
                r#"{"a":"\ud800"}"#,
                r#"[1]"#,
            ] {
                let raw: Box<serde_json::value::RawValue> = serde_json::from_str(text).unwrap();
                let err = write_raw_fields(&mut Vec::new(), &raw, JsonStyle::Python).unwrap_err();
                assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{text}");
            }
        }

        proptest! {
            #[test]
            fn strings_match_serde(s in text()) {
                both(&Value::String(s));
            }

            #[test]
            fn raw_fields_match_serde(k in text(), v in text(), w in text()) {
                let obj = serde_json::json!({"d": v, "k": k, "w": w});
                let text = serde_json::to_string(&obj).unwrap();
                raw_matches_map(&text);
                // Python's spelling of the same object (escaped non-ASCII) reads the same.
                raw_matches_map(&to_string(&obj, JsonStyle::Python).unwrap());
            }

            #[test]
            fn relationships_match_serde(a in text(), b in text(), k in text(), v in text()) {
                let mut fields = crate::relationship::Fields::new();
                fields.insert(k, Value::String(v));
                fields.insert("n", serde_json::json!([1, 2.5, {"x": null}]));
                let rel = EntityRelationship::new("uses", "used-by", a, "Account", b, "Host")
                    .with_fields(fields);
                for style in [JsonStyle::Compact, JsonStyle::Python] {
                    let mut fast = Vec::new();
                    write_relationship_indicator(&mut fast, &rel, style).unwrap();
                    prop_assert_eq!(
                        String::from_utf8(fast).unwrap(),
                        to_string(&rel.to_indicator(), style).unwrap()
                    );
                }
            }
        }
    }
}
