//! The default schema, generated from `schemas/xsoar.json`: XSOAR's 71 usable relationship
//! names with their reverse names, 30 indicator types and the allowed triples.
//!
//! The generated code is checked in (`src/xsoar/generated.rs`, and the tables in
//! `relationship-schema`'s [`crate::schema::xsoar`]), so
//! this crate has no build script and its users compile neither the schema parser nor the
//! code generator; `relationship-tests`' `golden_generated` test fails when the files are
//! stale and prints the command that refreshes them.
//!
//! * [`types`]: a marker per indicator type (`types::Account`, `types::AttackPattern`);
//! * [`rels`]: a marker per relationship name, whose docs list the reverse name and every
//!   allowed (source, target) pair;
//! * [`check`]: the traits that reject a disallowed pair at compile time;
//! * [`Relate`]: the typed constructors (`uses`, `used_by`, `subtechnique_of`, ...), also in
//!   [`crate::prelude`];
//! * [`schema()`]: the same schema as a [`Schema`] model for run-time checks, built from
//!   static tables generated with this module (no JSON is parsed at run time).
//!
//! ```
//! use relationship_core::prelude::*;
//! use relationship_core::xsoar::types::{AttackPattern, Malware};
//!
//! let rel = Entity::<Malware>::new("Emotet").uses(&Entity::<AttackPattern>::new("T1059"));
//! assert_eq!(rel.reverse_name(), "used-by");
//! ```
//!
//! ```compile_fail,E0277
//! use relationship_core::prelude::*;
//! use relationship_core::xsoar::types::{Cve, Host};
//!
//! // `Host` cannot have a `uses` relationship to `Cve`
//! let rel = Entity::<Host>::new("pc1").uses(&Entity::<Cve>::new("CVE-2021-44228"));
//! ```

include!("xsoar/generated.rs");

use std::sync::OnceLock;

use crate::schema::Schema;

/// The default schema as a model, for run-time checks ([`crate::Checker`]), made once from
/// the checked-in static tables.
///
/// ```
/// let schema = relationship_core::xsoar::schema();
/// assert_eq!(schema.reverse_of("uses"), Some("used-by"));
/// assert_eq!(schema.relationships().len(), 71);
/// ```
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| match crate::schema::xsoar::TABLES.to_schema() {
        Ok(schema) => schema,
        // These tables were generated from a schema that passed the same checks, and
        // a test builds them; this cannot be reached by any input.
        Err(e) => unreachable!("the generated xsoar tables are invalid: {e}"),
    })
}
