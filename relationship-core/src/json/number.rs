//! Numbers as Python's `json.dumps(json.loads(text))` writes them: integers exactly, floats as
//! `repr(float)`.

use std::borrow::Cow;
use std::io::{self, Cursor, Write};

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

/// Writes the JSON number literal `text` as Python writes what `json.loads` made of it:
/// `-?digits` is an `int`, anything with a fraction or an exponent a `float` (infinite when
/// beyond the double range).
///
/// # Errors
///
/// [`io::ErrorKind::InvalidData`] when `text` is not a JSON number literal; the writer's.
pub(crate) fn write_python_number<W: Write + ?Sized>(w: &mut W, text: &str) -> io::Result<()> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let zero = digits.bytes().all(|b| b == b'0');
        return w.write_all(if zero { b"0" } else { text.as_bytes() });
    }
    // Rust's float parser also takes `inf`, `nan` and `+1`; JSON literals start with a digit.
    // It rounds correctly, like CPython's `float()`; out-of-range literals give ±infinity.
    let float = digits.starts_with(|c: char| c.is_ascii_digit());
    match text.parse::<f64>() {
        Ok(f) if float && f.is_finite() => write_python_float(w, f),
        Ok(f) if float && f > 0.0 => w.write_all(b"Infinity"),
        Ok(_) if float => w.write_all(b"-Infinity"),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("`{text}` is not a JSON number"),
        )),
    }
}

/// A JSON number literal with its exponent marker as `e` and its exponent sign always
/// written (serde_json's spelling of number text).
pub(crate) fn canonical_number(text: &str) -> Cow<'_, str> {
    match text.find(['e', 'E']) {
        Some(at) if text[at..].starts_with("e+") || text[at..].starts_with("e-") => {
            Cow::Borrowed(text)
        }
        Some(at) => {
            let exponent = &text[at + 1..];
            let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
            let sign = if exponent.starts_with('-') { "" } else { "+" };
            Cow::Owned(format!("{}e{sign}{exponent}", &text[..at]))
        }
        None => Cow::Borrowed(text),
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
        let python = |text: &str| {
            let mut out = Vec::new();
            write_python_number(&mut out, text).map(|()| String::from_utf8(out).unwrap())
        };
        assert_eq!(python("42").unwrap(), "42");
        assert_eq!(python("-0").unwrap(), "0");
        assert_eq!(python("-7").unwrap(), "-7");
        assert_eq!(python("1.0e+2").unwrap(), "100.0");
        assert_eq!(python("-1e400").unwrap(), "-Infinity");
        for bad in ["", "-", "inf", "-inf", "NaN", "+1", ".5", "1x", "--1", "e5"] {
            let err = python(bad).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        }
    }
}
