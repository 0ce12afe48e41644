//! Parse, validate and expand XSOAR relationship schemas, and generate typed Rust code from
//! them.
//!
//! This is a plain library so that a build script (`relationship-core/build.rs`, or a user's
//! own), the derive macros and the `xsoar-rel` command line can all share one schema model.
#![forbid(unsafe_code)]

pub mod builder;
mod builtin;
pub mod diff;
pub mod error;
pub mod generate;
pub mod model;
pub mod naming;
pub mod parse;
pub mod suggest;

pub use builder::{BuildError, Builder};
pub use builtin::{XSOAR_SCHEMA_JSON, XSOAR_SCHEMA_PATH, try_xsoar, xsoar};
pub use diff::SchemaDiff;
pub use error::{ErrorKind, SchemaError, SchemaErrors};
pub use generate::{GenerateError, GenerateOptions, generate};
pub use model::{Group, Pair, Pairs, RelId, RelationshipDef, Schema, Tier, TypeDef, TypeId};
pub use parse::{load, parse_str};
