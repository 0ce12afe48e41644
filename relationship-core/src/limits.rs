//! The limits that keep reading hostile input in bounded memory, in one place.
//!
//! | limit | default | flag |
//! |---|---|---|
//! | longest input line (one NDJSON record, one batch line, one pretty-printed batch) | [`DEFAULT_MAX_LINE_BYTES`] (64 MiB) | `--max-line-bytes` of `render`, `batch`, `validate` |
//! | items per `createIndicators` batch | [`DEFAULT_BATCH_SIZE`] (2,000), at most [`MAX_BATCH_SIZE`] (10,000) | `--batch-size` of `batch`, `convert-stix` |
//!
//! The schema limits (file size, name length, triples) are in
//! [`relationship_schema::limits`].

pub use relationship_schema::limits::MAX_QUOTED_CHARS;

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
