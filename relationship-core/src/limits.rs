//! The limits that keep reading hostile input in bounded memory, in one place.
//!
//! | limit | default | flag |
//! |---|---|---|
//! | longest input line (one NDJSON record, one batch line, one pretty-printed batch) | [`DEFAULT_MAX_LINE_BYTES`] (64 MiB) | `--max-line-bytes` of `render`, `batch`, `validate` |
//! | a value or key quoted in an error message | [`MAX_QUOTED_CHARS`] characters, then cut ([`quoted`]) | none |
//! | nesting of JSON input (arrays and objects) | [`MAX_DEPTH`] (512), refused with [`TOO_DEEP`] | none |
//! | items per `createIndicators` batch | [`DEFAULT_BATCH_SIZE`] (2,000), at most [`MAX_BATCH_SIZE`] (10,000) | `--batch-size` of `batch`, `convert-stix` |
//!
//! The schema limits (file size, name length, triples) are in
//! [`relationship_schema::limits`].

pub use relationship_schema::limits::MAX_QUOTED_CHARS;

use std::borrow::Cow;

use relationship_schema::suggest;

/// A value or key as an error message quotes it: at most [`MAX_QUOTED_CHARS`] characters
/// (a longer one is cut and says how long it was), control and bidirectional characters
/// escaped.
pub fn quoted(text: &str) -> Cow<'_, str> {
    relationship_schema::text::excerpt(text, MAX_QUOTED_CHARS)
}

/// `` `a`, `b`, `c` ``.
pub(crate) fn backticked<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    quoted.join(", ")
}

/// `; did you mean ...?` for the suggestions, or nothing when there are none.
pub(crate) fn hint<S: AsRef<str>>(suggestions: &[S]) -> String {
    suggest::did_you_mean_of(suggestions)
        .map(|h| format!("; {h}"))
        .unwrap_or_default()
}

/// A message from a parser that may embed a value of any length (serde's `invalid type:
/// string "…", expected …`): a long one keeps its start and its end.
#[cfg(feature = "input")]
pub(crate) fn shortened(message: &str) -> Cow<'_, str> {
    use relationship_schema::text::escape_unsafe;
    let keep = MAX_QUOTED_CHARS + 20;
    let count = message.chars().count();
    if count <= 2 * keep {
        return escape_unsafe(message);
    }
    let head: String = message.chars().take(keep).collect();
    let tail: String = message.chars().skip(count - keep).collect();
    let cut = count - 2 * keep;
    Cow::Owned(format!(
        "{}… ({cut} characters cut) …{}",
        escape_unsafe(&head),
        escape_unsafe(&tail)
    ))
}

/// The most digits of an integer (sign not counted) that a deliverable batch may hold:
/// Python 3.11's default `sys.get_int_max_str_digits()`, past which `json.loads` refuses the
/// line.
pub const MAX_INT_DIGITS: usize = 4_300;

/// Why the JSON number `token` (valid number syntax) cannot travel to XSOAR, or `None`: an
/// integer (no fraction or exponent) of more than [`MAX_INT_DIGITS`] digits, which Python's
/// `json.loads` refuses, or another number beyond the range of a double (`1e400`), which
/// Python reads as infinity and writes back as `Infinity`, not JSON. Records, fields and
/// `validate` apply this one rule, so nothing the library writes is refused on delivery.
pub fn number_problem(token: &str) -> Option<String> {
    let integer = !token.contains(['.', 'e', 'E']);
    if integer {
        let digits = token.len() - usize::from(token.starts_with('-'));
        return (digits > MAX_INT_DIGITS).then(|| {
            format!("an integer of {digits} digits, more than the {MAX_INT_DIGITS} Python's json.loads reads")
        });
    }
    let finite = token.parse::<f64>().is_ok_and(f64::is_finite);
    (!finite).then(|| {
        format!(
            "the number {} is out of the range of a double",
            quoted(token)
        )
    })
}

/// The default longest input line, in bytes (64 MiB). A line is read up to this many bytes
/// and no further: a longer one is an error naming its line number, and memory never holds
/// more than this plus a read buffer.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// How much of a line longer than the limit is read past (and dropped) looking for its end,
/// in bytes (256 MiB). A line with no `\n` within this is taken as endless (`/dev/zero`): it is
/// reported and the rest of that input is not read, so no input keeps a command reading
/// without end.
pub const MAX_SKIPPED_BYTES: u64 = 256 * 1024 * 1024;

/// The default byte cap of one batch line, `\n` included (8 MiB: the XSOAR pack's default
/// longest line). `batch` and `convert-stix` close a batch before an item would take it past
/// the cap, so no line is longer unless one item alone is, and what a pending batch holds in
/// memory is bounded by the cap, not by batch size times the longest record.
pub const DEFAULT_MAX_BATCH_BYTES: usize = 8 * 1024 * 1024;

/// The largest `--max-batch-bytes` accepted (256 MiB).
pub const MAX_MAX_BATCH_BYTES: usize = 256 * 1024 * 1024;

/// The largest STIX bundle `convert-stix` reads (512 MiB; MITRE ATT&CK's enterprise bundle
/// is about 50 MB). The bundle is held in memory while it is converted; a larger file is
/// refused before it is read, a larger standard input as soon as this much is read.
pub const MAX_BUNDLE_BYTES: usize = 512 * 1024 * 1024;

/// The largest single STIX object (an element of `objects`) or top-level value of a bundle,
/// as written (64 MiB): each object is parsed and converted on its own, so this bounds the
/// memory that converting one object takes beyond the bundle itself.
pub const MAX_STIX_OBJECT_BYTES: usize = 64 * 1024 * 1024;

/// The default number of items (indicators plus dummy indicators) per batch: 2,000, the
/// number XSOAR feed integrations pass to one `demisto.createIndicators` call by convention
/// (`batch(…, batch_size=2000)`).
pub const DEFAULT_BATCH_SIZE: usize = 2_000;

/// The largest batch size the command line accepts. A batch is held in memory until it is
/// written, so an unbounded size would hold the whole input.
pub const MAX_BATCH_SIZE: usize = 10_000;

/// How deep JSON input may nest: arrays and objects inside one another, counting the
/// outermost. Every command and every reader of this crate applies this one limit (an NDJSON
/// record, a batch line, a STIX bundle and each of its objects, [`RawJson`](crate::fields::RawJson)),
/// and a deeper value is refused with [`TOO_DEEP`] and its place (line and column), never
/// read by recursion that could exhaust the stack. Python's `json` module reads about 990
/// levels; 512 is well beyond what any feed or STIX bundle uses.
pub const MAX_DEPTH: usize = 512;

/// The reason given for a value nested deeper than [`MAX_DEPTH`].
pub const TOO_DEEP: &str =
    "nested too deep: more than 512 levels of arrays and objects (the limit is 512)";

/// The reason given for a string holding a lone UTF-16 surrogate escape such as `"\ud800"`
/// (half of a surrogate pair, no Unicode character). Python's `json` module reads it into a
/// string that cannot be encoded as UTF-8; such a value is refused, not altered.
pub const LONE_SURROGATE: &str = "a string holds a lone surrogate escape (`\\ud800`-`\\udfff` not in a high-low pair): it is no Unicode character and is refused";

/// Where a JSON text nests deeper than [`MAX_DEPTH`]: the first `[` or `{` past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset of the bracket in the text.
    pub offset: usize,
    /// 1-based line of the bracket.
    pub line: usize,
    /// 1-based column (in bytes, as serde_json counts) of the bracket.
    pub column: usize,
}

/// The first `[` or `{` of `text` that opens a level past [`MAX_DEPTH`], outside strings;
/// `None` when `text` nests no deeper than the limit. Brackets are counted without checking
/// that they match: the scan is a cheap bound, not a parser.
pub fn find_too_deep(text: &[u8]) -> Option<TooDeep> {
    let mut depth = 0usize;
    let offset = find_token(text, |at, _| {
        match text[at] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        (depth > MAX_DEPTH).then_some(at)
    })?;
    Some(TooDeep {
        offset,
        line: 1 + text[..offset].iter().filter(|&&b| b == b'\n').count(),
        column: column_at(text, offset),
    })
}

/// The 1-based column (in bytes) of `offset` in `text`.
pub(crate) fn column_at(text: &[u8], offset: usize) -> usize {
    let line_start = text[..offset].iter().rposition(|&b| b == b'\n');
    offset - line_start.map_or(0, |nl| nl + 1) + 1
}

/// The first `Some` that `visit` returns for a token of the JSON text `text`, given the
/// token's start and end offsets. A token is a string (from its quote to past its closing
/// one, or to the end of `text`), a run of number characters, or any other single byte.
pub(crate) fn find_token<T>(
    text: &[u8],
    mut visit: impl FnMut(usize, usize) -> Option<T>,
) -> Option<T> {
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        let end = match b {
            b'"' => crate::json::text::string_end(text, i).unwrap_or(text.len()),
            b'-' | b'0'..=b'9' => crate::json::text::number_end(text, i),
            _ => i + 1,
        };
        if let Some(found) = visit(i, end) {
            return Some(found);
        }
        i = end;
    }
    None
}

/// The byte offset of the first lone surrogate escape (see [`LONE_SURROGATE`]) in a string
/// of the JSON text `text`, at its backslash; `None` when there is none.
#[cfg(feature = "input")]
pub(crate) fn find_lone_surrogate(text: &[u8]) -> Option<usize> {
    let unit = |at: usize| -> Option<u16> {
        let hex = text.get(at..at + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    find_token(text, |start, end| {
        let mut i = start + 1;
        while text[start] == b'"' && i < end {
            match (text[i], unit(i)) {
                (b'\\', Some(0xD800..=0xDBFF)) if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) => {
                    i += 12;
                }
                (b'\\', Some(0xD800..=0xDFFF)) => return Some(i),
                (b'\\', _) => i += 2,
                _ => i += 1,
            }
        }
        None
    })
}

/// serde_json's message for `e` without its ` at line L column C` suffix, made honest by
/// [`json_reason`].
#[cfg(feature = "input")]
pub(crate) fn error_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let reason = match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => &text[..i],
        _ => &text,
    };
    json_reason(reason).to_owned()
}

/// The error for a value nested deeper than [`MAX_DEPTH`].
pub(crate) fn too_deep_error() -> serde_json::Error {
    <serde_json::Error as serde_core::de::Error>::custom(TOO_DEEP)
}

/// A serde_json reason made honest: serde_json calls a lone surrogate escape an
/// "unexpected end of hex escape" or a "lone leading surrogate in hex escape"; those become
/// [`LONE_SURROGATE`]. Any other reason is returned as it is.
pub fn json_reason(reason: &str) -> &str {
    if reason.starts_with("unexpected end of hex escape")
        || reason.starts_with("lone leading surrogate in hex escape")
    {
        LONE_SURROGATE
    } else if reason.starts_with("recursion limit exceeded") || reason.starts_with(TOO_DEEP) {
        TOO_DEEP
    } else {
        reason
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!("{}{}", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn the_limit_is_inclusive_and_located() {
        assert_eq!(find_too_deep(nested(MAX_DEPTH).as_bytes()), None);
        let text = format!("{{\"a\": \"[[[\\\"[\",\n \"b\": {}}}", nested(MAX_DEPTH));
        let at = find_too_deep(text.as_bytes()).unwrap();
        assert_eq!((at.line, at.column), (2, 6 + MAX_DEPTH));
        assert_eq!(text.as_bytes()[at.offset], b'[');
    }

    #[test]
    #[cfg(feature = "input")]
    fn lone_surrogates_are_found() {
        assert_eq!(find_lone_surrogate(br#"["\ud83d\ude00", "\\ud800"]"#), None);
        assert_eq!(find_lone_surrogate(br#"{"a": "x\ud800"}"#), Some(8));
        assert_eq!(find_lone_surrogate(br#"["\udc00"]"#), Some(2));
        assert_eq!(find_lone_surrogate(br#"["\ud800\u0041"]"#), Some(2));
        assert_eq!(find_lone_surrogate(br#"[1, \ud800]"#), None);
    }

    #[test]
    fn honest_reasons() {
        assert_eq!(json_reason("unexpected end of hex escape"), LONE_SURROGATE);
        assert_eq!(json_reason("recursion limit exceeded"), TOO_DEEP);
        assert_eq!(json_reason("EOF while parsing"), "EOF while parsing");
    }
}
