//! The default schema, `schemas/xsoar.json`, embedded in the library.

use std::sync::OnceLock;

use crate::error::SchemaErrors;
use crate::model::Schema;

/// The text of `schemas/xsoar.json`: XSOAR's 71 usable relationship names (in the order of
/// `RELATIONSHIPS_NAMES`), their reverse names, 30 indicator types and the allowed triples.
pub const XSOAR_SCHEMA_JSON: &str = include_str!("../../schemas/xsoar.json");

/// The path reported in messages about the embedded schema and stored as its
/// [`Schema::source`].
pub const XSOAR_SCHEMA_PATH: &str = "schemas/xsoar.json";

static XSOAR: OnceLock<Result<Schema, SchemaErrors>> = OnceLock::new();

/// The embedded default schema, parsed on first use, or its errors.
///
/// The result is computed once; it is only an error if the embedded file is broken, which
/// the crate's tests rule out.
pub fn try_xsoar() -> Result<&'static Schema, &'static SchemaErrors> {
    XSOAR
        .get_or_init(|| crate::parse::parse_str(XSOAR_SCHEMA_JSON, XSOAR_SCHEMA_PATH))
        .as_ref()
}

/// The embedded default schema (`schemas/xsoar.json`), parsed once on first use.
///
/// # Panics
///
/// Only if the schema compiled into this library is invalid. Its text is a constant, not
/// user input, and a unit test parses it, so a released build cannot panic here; use
/// [`try_xsoar`] to get the errors instead.
pub fn xsoar() -> &'static Schema {
    match try_xsoar() {
        Ok(schema) => schema,
        Err(errors) => panic!("the embedded schemas/xsoar.json is invalid:\n{errors}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schema_parses() {
        if let Err(e) = try_xsoar() {
            panic!("{e}");
        }
        let s = xsoar();
        assert_eq!(s.name, "xsoar");
        assert_eq!(s.relationships.len(), 71);
        assert_eq!(s.types.len(), 30);
        assert_eq!(s.reverse_only.len(), 15);
        assert_eq!(
            s.source.as_deref(),
            Some(std::path::Path::new(XSOAR_SCHEMA_PATH))
        );
        assert!(std::ptr::eq(s, xsoar()));
    }
}
