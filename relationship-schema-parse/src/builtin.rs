//! The default schema, XSOAR's own relationships, as shipped inside this package.
//!
//! `schemas/xsoar.json` at the top of the repository is the file people edit;
//! `relationship-schema-parse/schemas/xsoar.json` is its packaged copy (a workspace test
//! fails whenever the two differ), so that the crates build from their published packages.
//! Its static tables are checked in as `relationship_schema::xsoar::TABLES`; programs that
//! want the default schema at run time use `relationship_core::xsoar::schema()`, which
//! parses nothing.

/// The text of the default schema: XSOAR's 71 usable relationship names (in the order of
/// `RELATIONSHIPS_NAMES`), their reverse names, 30 indicator types and the allowed triples.
pub const XSOAR_SCHEMA_JSON: &str = include_str!("../schemas/xsoar.json");

/// The path reported in messages about the default schema and stored as its
/// [`Schema::source`](relationship_schema::Schema::source).
pub const XSOAR_SCHEMA_PATH: &str = "schemas/xsoar.json";

/// Parses [`XSOAR_SCHEMA_JSON`]: for build scripts and tools that need the default schema
/// as a model (each call parses it again).
///
/// ```
/// let schema = relationship_schema_parse::builtin::parse_xsoar().unwrap();
/// assert_eq!(schema.relationships().len(), 71);
/// ```
pub fn parse_xsoar() -> Result<relationship_schema::Schema, relationship_schema::SchemaErrors> {
    crate::parse_str(XSOAR_SCHEMA_JSON, XSOAR_SCHEMA_PATH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schema_parses() {
        let s = match parse_xsoar() {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(s.name(), "xsoar");
        assert_eq!(s.relationships().len(), 71);
        assert_eq!(s.types().len(), 30);
        assert_eq!(s.reverse_only().len(), 15);
        assert_eq!(s.source(), Some(std::path::Path::new(XSOAR_SCHEMA_PATH)));
    }
}
