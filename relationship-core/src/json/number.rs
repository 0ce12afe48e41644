//! Numbers as Python's `json.dumps(json.loads(text))` writes them: integers exactly, floats as
//! `repr(float)`.

use std::fmt::Write as _;
use std::io::{self, Write};

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

/// Writes the finite float `value` as `repr(value)`.
pub(crate) fn write_python_float<W: Write + ?Sized>(w: &mut W, value: f64) -> io::Result<()> {
    let mut buf = StackBuf::new();
    python_float_repr(value, &mut buf).map_err(|_| io::Error::other("float repr overflow"))?;
    w.write_all(buf.as_bytes())
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
