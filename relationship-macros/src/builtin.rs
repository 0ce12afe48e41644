//! The default schema, from the static tables checked in beside this file (`xsoar_tables.rs`,
//! kept fresh by `relationship-tests`' `golden_generated` test).

use std::sync::OnceLock;

use relationship_schema::Schema;

mod tables {
    include!("xsoar_tables.rs");
}

/// The default schema, or `None` if its generated tables do not build (which a test of
/// `relationship-core` rules out; the derives then skip the name checks instead of failing).
pub fn xsoar() -> Option<&'static Schema> {
    static SCHEMA: OnceLock<Option<Schema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| tables::TABLES.to_schema().ok())
        .as_ref()
}
