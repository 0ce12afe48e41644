//! The serde path: any `Serialize` value written by serde_json, with its compact formatter
//! or with [`PythonFormatter`].

use std::io::{self, Write};

use serde_core::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

use super::number::{write_python_float, write_python_number};
use super::text::{JsonStyle, u_escape, write_escaped, write_raw};

/// Serializes `value` to `w` with the formatter of `style`.
fn serialize_into<W: Write + ?Sized, T: Serialize + ?Sized>(
    w: &mut W,
    value: &T,
    style: JsonStyle,
) -> serde_json::Result<()> {
    match style {
        JsonStyle::Compact => value.serialize(&mut Serializer::with_formatter(w, CompactFormatter)),
        JsonStyle::Python => value.serialize(&mut Serializer::with_formatter(w, PythonFormatter)),
    }
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
    serialize_into(w, value, style).map_err(io::Error::from)
}

/// Serializes `value` into a byte vector in the given style.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, style: JsonStyle) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    serialize_into(&mut out, value, style)?;
    Ok(out)
}

/// Serializes `value` into a string in the given style.
pub fn to_string<T: Serialize + ?Sized>(value: &T, style: JsonStyle) -> serde_json::Result<String> {
    let bytes = to_vec(value, style)?;
    // Both formatters write UTF-8 only (serde_json's strings are `str`, escapes are ASCII).
    String::from_utf8(bytes).map_err(|e| serde_core::ser::Error::custom(e.to_string()))
}

/// A [`serde_json::ser::Formatter`] that writes what Python's `json.dumps` writes with its
/// default arguments: what [`write_json`] drives serde_json with for [`JsonStyle::Python`].
///
/// Numbers reach it as text: a [`RawJson`](crate::fields::RawJson) value through
/// [`Formatter::write_raw_fragment`], or a [`serde_json::Number`] through
/// [`Formatter::write_number_str`] when the program builds serde_json with
/// `arbitrary_precision`; they are written as [`JsonStyle::Python`] says. Not mirrored:
/// CPython 3.11+ refuses, in `json.loads`, integer literals of more than 4300 digits; they
/// are written here unchanged.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PythonFormatter;

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
        write_python_float(w, value)
    }

    fn write_number_str<W: Write + ?Sized>(&mut self, w: &mut W, value: &str) -> io::Result<()> {
        write_python_number(w, value)
    }

    /// A raw value ([`crate::fields::RawJson`]) is JSON text in serde_json's compact
    /// spelling: it is written again as Python writes the value.
    fn write_raw_fragment<W: Write + ?Sized>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_raw(w, fragment, JsonStyle::Python)
    }

    /// serde_json hands over runs without `"`, `\` and C0 controls; what is left to escape
    /// is DEL and everything outside ASCII.
    #[inline]
    fn write_string_fragment<W: Write + ?Sized>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_escaped(w, fragment, JsonStyle::Python)
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
            CharEscape::AsciiControl(byte) => return w.write_all(&u_escape(u16::from(byte))),
        };
        w.write_all(short)
    }
}
