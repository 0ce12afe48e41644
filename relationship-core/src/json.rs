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

use serde::Serialize;
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
    String::from_utf8(bytes).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// A [`serde_json::ser::Formatter`] that writes what Python's `json.dumps` writes with its
/// default arguments.
///
/// Use it with [`serde_json::Serializer::with_formatter`] to drive serde_json directly, or
/// through [`write_json`] with [`JsonStyle::Python`].
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
}
