//! Reads relationship schema files (strict JSON) into the [`relationship_schema`] model.
//!
//! [`parse_str`] and [`load`] check everything a schema file can get wrong and report every
//! defect at once, each with file, line, column and the nearest valid names
//! ([`SchemaErrors`](relationship_schema::SchemaErrors)); what they return is a
//! [`Schema`](relationship_schema::Schema) built by the model's own builder. [`builtin`]
//! holds the default XSOAR schema.
//!
//! The parser is a crate of its own so that the runtime and the derive macros, which need
//! only the model, never compile a JSON parser.
#![forbid(unsafe_code)]

pub mod builtin;
pub mod import_types;
mod json;
mod names;
mod parse;

pub use parse::{load, parse_str};
