//! Generate typed Rust code from XSOAR relationship schemas: marker types, compile-time
//! checks and typed constructors ([`generate()`]), the schema as static tables ([`tables`]),
//! and the [`Builder`] that does both from a build script.
//!
//! The schema model lives in `relationship-schema` and its parser in
//! `relationship-schema-parse`, re-exported here as [`schema`] and [`schema_parse`], so a
//! build script needs only this crate. The runtime crate
//! (`relationship-core`) uses this one only as a build-dependency: programs never carry the
//! generator.
#![forbid(unsafe_code)]

pub mod builder;
pub mod generate;
pub mod output;
pub mod tables;

pub use relationship_schema as schema;
pub use relationship_schema_parse as schema_parse;

pub use builder::{BuildError, Builder, write_if_changed};
pub use generate::{GenerateError, GenerateOptions, generate};
pub use output::{OutputError, OutputFile};
pub use relationship_schema::{Schema, SchemaErrors};
pub use tables::generate_tables;
