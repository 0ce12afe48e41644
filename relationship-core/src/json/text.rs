//! Low-level JSON writing shared by every shape: the style and its separators, the one string
//! escaper, JSON text rewritten in a style, and objects of such text.

use std::io::{self, Write};

use super::number::{canonical_number, write_python_number};

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
    /// them: integers exactly, however long, with `-0` as `0`;
    /// anything with a fraction or exponent as `repr(float(text))`, so `1.0E2` becomes
    /// `100.0` and `1e400` becomes `Infinity` (Python's spelling, which strict JSON parsers
    /// reject; Python writes it all the same).
    ///
    /// One difference remains and cannot arise from `serde_json::Value`: a non-finite `f64`
    /// field (NaN, ±infinity) is written as `null` (serde_json's rule), where Python writes
    /// `NaN`/`Infinity`.
    Python,
}

impl JsonStyle {
    /// What goes between two items: `,` or `, `.
    #[inline]
    pub(crate) const fn comma(self) -> &'static [u8] {
        match self {
            JsonStyle::Compact => b",",
            JsonStyle::Python => b", ",
        }
    }

    /// What goes between a key and its value: `:` or `: `.
    #[inline]
    pub(crate) const fn colon(self) -> &'static [u8] {
        match self {
            JsonStyle::Compact => b":",
            JsonStyle::Python => b": ",
        }
    }
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

/// Whether `s` is written as `"` + `s` + `"` in both styles: printable ASCII (`0x20..=0x7E`)
/// other than `"` and `\`. No early exit, so that the loop vectorizes.
#[inline]
pub(crate) fn is_plain(s: &[u8]) -> bool {
    s.iter().fold(true, |ok, &b| {
        ok & (b.wrapping_sub(0x20) < 0x5F) & (b != b'"') & (b != b'\\')
    })
}

/// Writes `s` as a JSON string in `style`: the bytes serde_json writes with the style's
/// formatter.
#[inline]
pub(crate) fn write_str<W: Write + ?Sized>(w: &mut W, s: &str, style: JsonStyle) -> io::Result<()> {
    w.write_all(b"\"")?;
    write_escaped(w, s, style)?;
    w.write_all(b"\"")
}

/// Writes the characters of `s` escaped for `style`, without the quotes: the one string
/// escaper. Printable ASCII without `"` and `\` is copied; anything else is found eight
/// bytes at a time and escaped through a table.
#[inline]
pub(crate) fn write_escaped<W: Write + ?Sized>(
    w: &mut W,
    s: &str,
    style: JsonStyle,
) -> io::Result<()> {
    if is_plain(s.as_bytes()) {
        return w.write_all(s.as_bytes());
    }
    write_escaped_by_table(w, s, style)
}

/// [`write_escaped`] of a string that needs an escape, or may: through the table.
fn write_escaped_by_table<W: Write + ?Sized>(
    w: &mut W,
    s: &str,
    style: JsonStyle,
) -> io::Result<()> {
    let bytes = s.as_bytes();
    let python = style == JsonStyle::Python;
    let table = if python {
        &PYTHON_ESCAPES
    } else {
        &COMPACT_ESCAPES
    };
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
            i += write_escape(w, s, i, kind)?;
            start = i;
        }
    }
    w.write_all(&bytes[start..])
}

/// Writes the escape of kind `kind` (an [`escape_table`] entry) of the byte at `at` of `s`;
/// returns how many bytes it covers.
fn write_escape<W: Write + ?Sized>(w: &mut W, s: &str, at: usize, kind: u8) -> io::Result<usize> {
    match kind {
        b'U' => {
            let ch = s[at..].chars().next().unwrap_or('\u{FFFD}');
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                w.write_all(&u_escape(*unit))?;
            }
            Ok(ch.len_utf8())
        }
        b'u' => w
            .write_all(&u_escape(u16::from(s.as_bytes()[at])))
            .map(|()| 1),
        short => w.write_all(&[b'\\', short]).map(|()| 1),
    }
}

/// The `\uXXXX` escape (lowercase hex, as Python writes it) of one UTF-16 unit.
pub(crate) fn u_escape(unit: u16) -> [u8; 6] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    [
        b'\\',
        b'u',
        HEX[usize::from(unit >> 12)],
        HEX[usize::from((unit >> 8) & 0xF)],
        HEX[usize::from((unit >> 4) & 0xF)],
        HEX[usize::from(unit & 0xF)],
    ]
}

/// Writes the JSON text `text` in `style`: the bytes serde_json writes for the value it reads
/// from it, numbers kept as written (in serde_json's spelling, or as Python spells them).
/// `text` is one JSON value in any spelling whose objects repeat no key (a [`RawJson`]'s
/// text, say); whitespace between tokens is dropped.
///
/// # Errors
///
/// [`io::ErrorKind::InvalidData`] for a string or number that is not JSON (the caller hands
/// over text serde_json has read); the writer's.
pub(crate) fn write_raw<W: Write + ?Sized>(
    w: &mut W,
    text: &str,
    style: JsonStyle,
) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let end = match b {
            b'"' => {
                let end =
                    string_end(bytes, i).ok_or_else(|| invalid_data("unterminated string"))?;
                let inner = &text[i + 1..end - 1];
                if inner.contains('\\') {
                    let s: String = serde_json::from_str(&text[i..end]).map_err(invalid_data)?;
                    write_str(w, &s, style)?;
                } else {
                    write_str(w, inner, style)?;
                }
                end
            }
            b',' => w.write_all(style.comma()).map(|()| i + 1)?,
            b':' => w.write_all(style.colon()).map(|()| i + 1)?,
            b' ' | b'\t' | b'\n' | b'\r' => i + 1,
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                let number = &text[i..end];
                match style {
                    JsonStyle::Compact => w.write_all(canonical_number(number).as_bytes())?,
                    JsonStyle::Python => write_python_number(w, number)?,
                }
                end
            }
            _ => {
                // Brackets and the literals `true`, `false`, `null`: copied up to the next
                // token.
                let end = if b.is_ascii_alphabetic() {
                    bytes[i + 1..]
                        .iter()
                        .position(|c| !c.is_ascii_alphabetic())
                        .map_or(bytes.len(), |n| i + 1 + n)
                } else {
                    i + 1
                };
                w.write_all(&bytes[i..end])?;
                end
            }
        };
        i = end;
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
        i += bytes
            .get(i..)?
            .iter()
            .position(|&c| c == b'"' || c == b'\\')?;
        match bytes[i] {
            b'"' => return Some(i + 1),
            // An escape: skip the backslash and the character it escapes.
            _ => i += 2,
        }
    }
}

/// Writes the object of `entries` (keys, and values written by `write_value`) in `style`.
pub(crate) fn write_object<W, K, V, I>(
    w: &mut W,
    entries: I,
    style: JsonStyle,
    mut write_value: impl FnMut(&mut W, &V, JsonStyle) -> io::Result<()>,
) -> io::Result<()>
where
    W: Write + ?Sized,
    K: AsRef<str>,
    I: IntoIterator<Item = (K, V)>,
{
    w.write_all(b"{")?;
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            w.write_all(style.comma())?;
        }
        write_str(w, key.as_ref(), style)?;
        w.write_all(style.colon())?;
        write_value(w, &value, style)?;
    }
    w.write_all(b"}")
}

pub(crate) fn invalid_data(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}
