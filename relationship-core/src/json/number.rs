//! Numbers as Python's `json.dumps(json.loads(text))` writes them: integers exactly, floats as
//! `repr(float)`.

use std::io::{self, Cursor, Write};

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

/// Writes the finite float `value` as CPython's `repr(value)`: the shortest digits that round
/// trip, in positional notation when the decimal exponent is in `-4..16` (with `.0` added to
/// integral values), else as `d[.ddd]e±XX` with at least two exponent digits. Formatted on
/// the stack, without allocating.
pub(crate) fn write_python_float<W: Write + ?Sized>(w: &mut W, value: f64) -> io::Result<()> {
    // `{:e}` gives the shortest round-trip digits: `-1.2345e-7`, `1e16`, `0e0`.
    let mut sci = Cursor::new([0u8; 64]);
    write!(sci, "{value:e}")?;
    // With 16 or 17 digits two neighbours can both round trip; CPython then takes the one
    // closest to the exact value (ties to even), which is the value correctly rounded to that
    // many digits: `1608882928643910.25` is `...910.2` in Python, where `{:e}` gives `...910.3`.
    let digits = written(&sci)?.bytes().take_while(|&b| b != b'e');
    let shortest_digits = digits.filter(u8::is_ascii_digit).count();
    if shortest_digits >= 16 {
        sci.set_position(0);
        write!(sci, "{value:.*e}", shortest_digits - 1)?;
    }
    let sci = written(&sci)?;
    let (sign, sci) = sci.strip_prefix('-').map_or(("", sci), |rest| ("-", rest));
    let bad = || io::Error::other("unexpected float format");
    let (mantissa, exp) = sci.split_once('e').ok_or_else(bad)?;
    let exp: i32 = exp.parse().map_err(|_| bad())?;
    // The digits are `first` followed by `rest`.
    let (first, rest) = mantissa.split_at_checked(1).ok_or_else(bad)?;
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let mut out = Cursor::new([0u8; 64]);
    if (0..16).contains(&exp) {
        // `exp + 1` digits before the point, padded with zeros; at least one after it.
        let (int, frac) = rest.split_at((exp as usize).min(rest.len()));
        let zeros = exp as usize - int.len();
        let frac = if frac.is_empty() { "0" } else { frac };
        write!(out, "{sign}{first}{int}{:0<zeros$}.{frac}", "")?;
    } else if (-4..0).contains(&exp) {
        let zeros = exp.unsigned_abs() as usize - 1;
        write!(out, "{sign}0.{:0<zeros$}{first}{rest}", "")?;
    } else {
        let dot = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        let exp = exp.unsigned_abs();
        write!(out, "{sign}{first}{dot}{rest}e{exp_sign}{exp:02}")?;
    }
    w.write_all(written(&out)?.as_bytes())
}

/// The text written to `buf` so far.
fn written(buf: &Cursor<[u8; 64]>) -> io::Result<&str> {
    let len = usize::try_from(buf.position()).unwrap_or(usize::MAX);
    let bytes = buf.get_ref().get(..len).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(io::Error::other)
}

/// Writes the JSON number literal `text` as Python writes what `json.loads` made of it.
///
/// # Errors
///
/// [`io::ErrorKind::InvalidData`] when `text` is not a JSON number literal; the writer's.
pub(crate) fn write_python_number<W: Write + ?Sized>(w: &mut W, text: &str) -> io::Result<()> {
    match python_number(text) {
        PythonNumber::Int(digits) => w.write_all(digits.as_bytes()),
        PythonNumber::Float(f) if f.is_finite() => write_python_float(w, f),
        PythonNumber::Float(f) if f > 0.0 => w.write_all(b"Infinity"),
        PythonNumber::Float(_) => w.write_all(b"-Infinity"),
        PythonNumber::Invalid => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("`{text}` is not a JSON number"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(v: f64) -> String {
        let mut b = Vec::new();
        write_python_float(&mut b, v).unwrap();
        String::from_utf8(b).unwrap()
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
    fn number_text_is_classified_as_python_scans_it() {
        assert_eq!(python_number("42"), PythonNumber::Int("42"));
        assert_eq!(python_number("-0"), PythonNumber::Int("0"));
        assert_eq!(python_number("-7"), PythonNumber::Int("-7"));
        assert_eq!(python_number("1.0e+2"), PythonNumber::Float(100.0));
        for bad in ["", "-", "inf", "-inf", "NaN", "+1", ".5", "1x", "--1", "e5"] {
            assert_eq!(python_number(bad), PythonNumber::Invalid, "{bad:?}");
            let err = write_python_number(&mut Vec::new(), bad).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        }
    }
}
