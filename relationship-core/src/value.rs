//! Reading a [`serde_json::Value`] nested up to [`MAX_DEPTH`](crate::limits::MAX_DEPTH)
//! levels.
//!
//! serde_json's own reader stops at 128 levels (the limit can only be lifted with a crate
//! feature this runtime does not enable, as it would apply to the whole program).
//! [`from_str`] reads shallow values with serde_json, and deeper ones, up to the runtime's
//! one limit, with an iterative reader that uses no stack per level.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::json::text::string_end;
use crate::limits::too_deep_error;

/// One partly read array or object.
enum Frame {
    Array(Vec<Value>),
    Object(Map<String, Value>, Option<String>),
}

/// Reads the JSON value `text` (whitespace around it allowed) as serde_json reads it: the
/// same numbers, strings and objects (a key given twice keeps its last value), the same
/// errors for text that is not JSON, but nested up to
/// [`MAX_DEPTH`](crate::limits::MAX_DEPTH) levels of arrays and objects instead of 128.
///
/// ```
/// let deep = format!("{}1{}", "[".repeat(512), "]".repeat(512));
/// assert!(relationship_core::value::from_str(&deep).is_ok());
/// let deeper = format!("{}1{}", "[".repeat(513), "]".repeat(513));
/// let e = relationship_core::value::from_str(&deeper).unwrap_err();
/// assert!(e.to_string().starts_with(relationship_core::limits::TOO_DEEP));
/// ```
///
/// # Errors
///
/// serde_json's error for text that is not one JSON value; an error whose message starts
/// with [`TOO_DEEP`](crate::limits::TOO_DEEP) for a value nested deeper than the limit.
pub fn from_str(text: &str) -> serde_json::Result<Value> {
    match serde_json::from_str(text) {
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            if crate::limits::find_too_deep(text.as_bytes()).is_some() {
                return Err(too_deep_error());
            }
            // Well-formed? (serde_json reads a raw value without recursion.)
            let _: &RawValue = serde_json::from_str(text)?;
            read_iteratively(text)
        }
        other => other,
    }
}

fn other(what: &str) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(what)
}

/// Reads `text`, well-formed JSON nested no deeper than
/// [`MAX_DEPTH`](crate::limits::MAX_DEPTH), without recursion.
fn read_iteratively(text: &str) -> serde_json::Result<Value> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let value = match b {
            // `from_str` has refused a value nested deeper than the limit.
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b'[' | b'{' => {
                match b {
                    b'[' => stack.push(Frame::Array(Vec::new())),
                    b'{' => stack.push(Frame::Object(Map::new(), None)),
                    _ => {}
                }
                i += 1;
                continue;
            }
            b']' | b'}' => {
                i += 1;
                match stack.pop() {
                    Some(Frame::Array(items)) => Value::Array(items),
                    Some(Frame::Object(map, _)) => Value::Object(map),
                    None => return Err(other("unbalanced brackets")),
                }
            }
            b'"' => {
                let end = string_end(bytes, i).ok_or_else(|| other("unterminated string"))?;
                let s: String = serde_json::from_str(&text[i..end])?;
                i = end;
                if let Some(Frame::Object(_, key @ None)) = stack.last_mut() {
                    *key = Some(s);
                    continue;
                }
                Value::String(s)
            }
            _ => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                    .map_or(bytes.len(), |n| i + n);
                let v: Value = serde_json::from_str(&text[i..end])?;
                i = end;
                v
            }
        };
        match stack.last_mut() {
            None => return Ok(value),
            Some(Frame::Array(items)) => items.push(value),
            Some(Frame::Object(map, key)) => {
                let key = key.take().ok_or_else(|| other("a value without a key"))?;
                map.insert(key, value);
            }
        }
    }
    Err(other("unexpected end of the value"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::TOO_DEEP;

    fn nested(n: usize, inner: &str) -> String {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(if i % 2 == 0 { "{\"k\\\"\": [" } else { "[" });
        }
        s.push_str(inner);
        for i in (0..n).rev() {
            s.push_str(if i % 2 == 0 { "]}" } else { "]" });
        }
        s
    }

    #[test]
    fn deep_values_read_as_serde_json_reads_shallow_ones() {
        let inner = r#"{"a": 1, "a": [1.5e3, -0, 123456789012345678901234567890, "é\u00e9\n", null, true], "b": {}}"#;
        let shallow: Value = serde_json::from_str(inner).unwrap();
        // `nested` counts two levels per even step
        let v = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || from_str(&nested(300, inner)).map(|v| v.to_string()))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert!(v.contains(&shallow.to_string()), "{v}");
        assert!(
            from_str(&nested(400, "1"))
                .unwrap_err()
                .to_string()
                .starts_with(TOO_DEEP)
        );
        assert!(from_str("[1,]").is_err());
        assert!(from_str(&format!("{}1,{}", "[".repeat(200), "]".repeat(200))).is_err());
    }
}
