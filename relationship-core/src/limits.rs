//! The limits that keep reading hostile input in bounded memory, in one place.
//!
//! | limit | default | flag |
//! |---|---|---|
//! | longest input line (one NDJSON record, one batch line, one pretty-printed batch) | [`DEFAULT_MAX_LINE_BYTES`] (64 MiB) | `--max-line-bytes` of `render`, `batch`, `validate` |
//! | a value or key quoted in an error message | [`MAX_QUOTED_CHARS`] characters, then cut ([`quoted`]) | none |
//! | items per `createIndicators` batch | [`DEFAULT_BATCH_SIZE`] (2,000), at most [`MAX_BATCH_SIZE`] (10,000) | `--batch-size` of `batch`, `convert-stix` |
//!
//! The schema limits (file size, name length, triples) are in
//! [`relationship_schema::limits`].

pub use relationship_schema::limits::MAX_QUOTED_CHARS;

use std::borrow::Cow;

/// A value or key as an error message quotes it: at most [`MAX_QUOTED_CHARS`] characters
/// (a longer one is cut and says how long it was), control and bidirectional characters
/// escaped.
pub fn quoted(text: &str) -> Cow<'_, str> {
    relationship_schema::text::excerpt(text, MAX_QUOTED_CHARS)
}

/// A message from a parser that may embed a value of any length (serde's `invalid type:
/// string "…", expected …`): a long one keeps its start and its end.
pub fn shortened(message: &str) -> Cow<'_, str> {
    let limit = 2 * MAX_QUOTED_CHARS + 40;
    let count = message.chars().count();
    if count <= limit {
        return relationship_schema::text::escape_unsafe(message);
    }
    let head: String = message.chars().take(MAX_QUOTED_CHARS + 20).collect();
    let tail: String = message
        .chars()
        .skip(count - (MAX_QUOTED_CHARS + 20))
        .collect();
    Cow::Owned(format!(
        "{}… ({} characters cut) …{}",
        relationship_schema::text::escape_unsafe(&head),
        count - 2 * (MAX_QUOTED_CHARS + 20),
        relationship_schema::text::escape_unsafe(&tail)
    ))
}

/// The default longest input line, in bytes (64 MiB). A line is read up to this many bytes
/// and no further: a longer one is an error naming its line number, and memory never holds
/// more than this plus a read buffer.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// The default number of items (indicators plus dummy indicators) per batch: 2,000, the
/// number XSOAR feed integrations pass to one `demisto.createIndicators` call by convention.
pub const DEFAULT_BATCH_SIZE: usize = 2_000;

/// The largest batch size the command line accepts. A batch is held in memory until it is
/// written, so an unbounded size would hold the whole input.
pub const MAX_BATCH_SIZE: usize = 10_000;
