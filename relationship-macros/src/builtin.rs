//! The default schema, from the static tables `relationship-schema` carries
//! ([`relationship_schema::xsoar::TABLES`]).

use std::sync::OnceLock;

use relationship_schema::Schema;

/// The default schema, or `None` if its generated tables do not build (which a test of
/// `relationship-core` rules out; the derives then skip the name checks instead of failing).
pub fn xsoar() -> Option<&'static Schema> {
    static SCHEMA: OnceLock<Option<Schema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| relationship_schema::xsoar::TABLES.to_schema().ok())
        .as_ref()
}
