//! Positions and error collection: byte offsets become file, line and column.

use std::path::PathBuf;

use relationship_schema::{ErrorKind, SchemaError, SchemaErrors, suggest};

/// A value with the byte offset of its token.
#[derive(Debug, Clone)]
pub(super) struct Sp<T> {
    pub(super) v: T,
    pub(super) at: usize,
}

impl<T> Sp<T> {
    pub(super) fn new(v: T, at: usize) -> Self {
        Sp { v, at }
    }
}

/// Maps byte offsets to 1-based line and character column.
pub(super) struct Lines<'s> {
    text: &'s str,
    starts: Vec<usize>,
}

impl<'s> Lines<'s> {
    pub(super) fn new(text: &'s str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { text, starts }
    }

    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, column + 1)
    }
}

/// The errors found in one schema file so far, each with the offset it is about.
pub(super) struct Cx<'s> {
    pub(super) path: PathBuf,
    lines: Lines<'s>,
    errors: Vec<(usize, SchemaError)>,
}

impl<'s> Cx<'s> {
    pub(super) fn new(text: &'s str, path: PathBuf) -> Self {
        Cx {
            path,
            lines: Lines::new(text),
            errors: Vec::new(),
        }
    }

    pub(super) fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    pub(super) fn line(&self, at: usize) -> usize {
        self.lines.position(at).0
    }

    /// `path:line:column` of an offset.
    pub(super) fn location(&self, at: usize) -> String {
        let (line, column) = self.lines.position(at);
        format!("{}:{line}:{column}", self.path.display())
    }

    pub(super) fn error(&mut self, at: usize, kind: ErrorKind) -> &mut SchemaError {
        let (line, column) = self.lines.position(at);
        self.errors
            .push((at, SchemaError::new(&self.path, line, column, kind)));
        let last = self.errors.len() - 1;
        &mut self.errors[last].1
    }

    pub(super) fn error_help(&mut self, at: usize, kind: ErrorKind, help: impl Into<String>) {
        self.error(at, kind).help = Some(help.into());
    }

    pub(super) fn error_suggest<'c>(
        &mut self,
        at: usize,
        kind: ErrorKind,
        input: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        self.error(at, kind).help = suggest::did_you_mean(input, candidates);
    }

    /// The errors, in file order.
    pub(super) fn finish(mut self) -> SchemaErrors {
        self.errors.sort_by_key(|(at, _)| *at);
        SchemaErrors::new(self.errors.into_iter().map(|(_, e)| e).collect())
    }
}
