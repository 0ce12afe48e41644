//! What a deliverable line is: the one definition that `xsoar-rel validate` and the XSOAR
//! pack's line checker (`FeedTypedRelationships.py`, `parse_line`) both apply, so that a line
//! `validate` accepts is a line the feed sends, and a line the feed skips is a violation.
//!
//! A file of batches is split at `\n` only (a bare `\r` is no line break); a line made only of
//! ASCII whitespace (space, `\t`, `\r`, form feed) is blank and skipped. Any other line is
//! deliverable when:
//!
//! 1. it is at most the line limit long (its bytes before the `\n`);
//! 2. it is UTF-8 (a byte order mark is skipped at the start of line 1 only);
//! 3. it holds exactly one JSON value (RFC 8259: no `NaN`, `Infinity`, comments or a second
//!    value after it; whitespace around it, a final `\r` included, is allowed), so a batch
//!    is never pretty-printed over several lines;
//! 4. that value is a non-empty array;
//! 5. it nests at most [`MAX_DEPTH`](crate::limits::MAX_DEPTH) (512) levels of arrays and
//!    objects and holds no lone surrogate escape (`"\ud800"`);
//! 6. every number is finite as a double (`1e400` is not) and every integer written without
//!    a fraction or exponent has at most 4300 digits (what Python 3.11's
//!    `json.loads` reads).
//!
//! Then its items are checked: by the pack for their shape, by `validate` for their shape
//! and against the schema.

use crate::limits;

/// Why a line is not deliverable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undeliverable {
    /// The line ends inside a value: a batch written over several lines.
    Incomplete,
    /// Anything else, with the reason.
    Bad(String),
}

/// Checks one non-blank line (without its `\n`; a byte order mark already removed) against
/// rules 2 to 6 of the [module](self); the caller applies the line limit while reading.
///
/// # Errors
///
/// [`Undeliverable`] with the reason.
pub fn check_line(line: &[u8]) -> Result<(), Undeliverable> {
    let bad = |s: String| Err(Undeliverable::Bad(s));
    let text = std::str::from_utf8(line).map_err(|e| {
        Undeliverable::Bad(format!(
            "not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if let Some(at) = limits::find_too_deep(line) {
        return bad(format!("column {}: {}", at.column, limits::TOO_DEEP));
    }
    if let Some(at) = limits::find_lone_surrogate(line) {
        return bad(format!("column {}: {}", at + 1, limits::LONE_SURROGATE));
    }
    let mut stream =
        serde_json::Deserializer::from_str(text).into_iter::<&serde_json::value::RawValue>();
    let raw = match stream.next() {
        None => return bad("a blank line".to_owned()),
        Some(Err(e)) if e.is_eof() => return Err(Undeliverable::Incomplete),
        Some(Err(e)) => {
            let reason = limits::error_reason(&e);
            return bad(format!("not JSON: {reason} (column {})", e.column()));
        }
        Some(Ok(raw)) => raw,
    };
    if stream.next().is_some() {
        return bad(format!(
            "more than one JSON value on the line (the next starts after column {}): a line must hold exactly one batch",
            stream.byte_offset()
        ));
    }
    let value = raw.get();
    if !value.starts_with('[') {
        return bad("not a JSON array".to_owned());
    }
    if value[1..].trim_start_matches([' ', '\t', '\r', '\n']) == "]" {
        return bad("an empty array: nothing to create".to_owned());
    }
    match first_number_problem(value.as_bytes()) {
        Some((at, problem)) => bad(format!("column {}: {problem}", at + 1)),
        None => Ok(()),
    }
}

/// The first number of the JSON text `text` (well-formed) that delivery refuses
/// ([`limits::number_problem`]): its byte offset and the reason; `None` when there is none.
pub fn first_number_problem(text: &[u8]) -> Option<(usize, String)> {
    limits::find_token(text, |start, end| {
        let token = text
            .get(start..end)
            .filter(|t| t[0] == b'-' || t[0].is_ascii_digit())?;
        limits::number_problem(&String::from_utf8_lossy(token)).map(|problem| (start, problem))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(line: &str) -> bool {
        check_line(line.as_bytes()).is_ok()
    }

    #[test]
    fn the_rules() {
        let ok = r#"[{"value": "a", "type": "IP"}]"#;
        assert!(verdict(ok));
        assert!(verdict(&format!(" {ok} \r")));
        assert!(!verdict(&format!("{ok}{ok}")));
        assert!(!verdict(&format!("{ok}\r{ok}")));
        assert!(!verdict(&format!("{ok} x")));
        assert_eq!(check_line(b"["), Err(Undeliverable::Incomplete));
        assert!(!verdict("[]"));
        assert!(!verdict("[ \t]"));
        assert!(!verdict(r#"{"value": "a"}"#));
        assert!(!verdict("[NaN]"));
        assert!(!verdict("[Infinity]"));
        assert!(!verdict("[1e400]"));
        assert!(verdict("[1e-400, -0, 1.5e300]"));
        assert!(verdict(&format!("[{}]", "9".repeat(4300))));
        assert!(verdict(&format!("[-{}]", "9".repeat(4300))));
        assert!(!verdict(&format!("[{}]", "9".repeat(4301))));
        assert!(verdict(&format!("[\"{}\"]", "9".repeat(5000))));
        assert!(!verdict(r#"["\ud800"]"#));
        assert!(check_line(b"[\"\xff\"]").is_err());
        let deep = format!("{}{}", "[".repeat(513), "]".repeat(513));
        assert!(!verdict(&deep));
        let deep = format!("{}1{}", "[".repeat(512), "]".repeat(512));
        assert!(verdict(&deep));
    }
}
