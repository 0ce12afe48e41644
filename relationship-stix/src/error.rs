//! Errors that stop a conversion. Objects that cannot be converted are not errors: they are
//! counted in the [`crate::ConversionReport`] and sent to the reject sink.

use std::io;

/// Why a conversion stopped.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The input is not well-formed JSON, or not shaped like a bundle.
    #[error("malformed STIX bundle at line {line}, column {column} (in {path}): {message}")]
    Json {
        /// 1-based line of the offending byte.
        line: usize,
        /// 1-based column of the offending byte.
        column: usize,
        /// Where in the document: `objects[17]` for the 18th element of `objects`, `$` for
        /// the top level.
        path: String,
        /// serde_json's description of the problem.
        message: String,
    },
    /// The bundle, or one of its objects or top-level values, is larger than its limit
    /// ([`MAX_BUNDLE_BYTES`](relationship_core::limits::MAX_BUNDLE_BYTES),
    /// [`MAX_STIX_OBJECT_BYTES`](relationship_core::limits::MAX_STIX_OBJECT_BYTES)).
    #[error("{0}")]
    TooLarge(String),
    /// The top-level object is not a bundle (its `type` is something else).
    #[error("not a STIX bundle: {0}")]
    NotABundle(String),
    /// Reading the input failed.
    #[error("reading the bundle failed: {0}")]
    Read(#[source] io::Error),
    /// Writing the batches failed.
    #[error("writing the batches failed: {0}")]
    Write(#[source] io::Error),
    /// Writing a rejected object to the reject sink failed.
    #[error("writing the reject file failed: {0}")]
    Rejects(#[source] io::Error),
}

impl ConvertError {
    /// Classifies a serde_json error raised at `line` and `column` of the bundle while
    /// reading element `element` of `objects` (or outside the array when `None`).
    pub(crate) fn from_json(
        e: serde_json::Error,
        element: Option<usize>,
        (line, column): (usize, usize),
    ) -> Self {
        if e.is_io() {
            return ConvertError::Read(io::Error::from(e));
        }
        ConvertError::Json {
            line,
            column,
            path: element_path(element),
            message: relationship_core::limits::json_reason(&strip_position(&e)).to_owned(),
        }
    }
}

/// Where in the bundle element `element` of `objects` is: `objects[17]`, or `$` outside the
/// array.
pub(crate) fn element_path(element: Option<usize>) -> String {
    element.map_or_else(|| "$".to_owned(), |i| format!("objects[{i}]"))
}

/// serde_json's message without its ` at line L column C` (the reader adds its own).
pub(crate) fn strip_position(e: &serde_json::Error) -> String {
    let mut full = e.to_string();
    if let Some(cut) = full.rfind(" at line ") {
        full.truncate(cut);
    }
    full
}
