//! The relationship schema model: XSOAR indicator types, relationship names with their
//! reverse names, and the allowed (source, relationship, target) triples.
//!
//! One library for every consumer: the code generator (`relationship-codegen`), the runtime
//! checks (`relationship-core`), the derive macros and the `xsoar-rel` command line.
//!
//! * [`Schema`] and its parts keep their invariants: a schema is made only by the parser or
//!   by a [`SchemaBuilder`], which sorts and de-duplicates the pairs and checks names and
//!   ids, so nothing downstream checks again.
//! * [`SchemaErrors`]: every defect of a schema file with file, line, column and the
//!   nearest valid names, as the parser (`relationship-schema-parse`) reports them.
//! * [`tables`] holds a schema as static data, for build scripts that generate it.
//!
//! The crate has no JSON parser among its dependencies: the runtime and the derive macros
//! use it, and they must stay lean.
#![forbid(unsafe_code)]

pub mod error;
pub mod limits;
pub mod model;
pub mod naming;
pub mod suggest;
pub mod tables;
pub mod text;

pub use error::{ErrorKind, SchemaError, SchemaErrors};
pub use model::{
    Group, ModelError, Pair, Pairs, RelId, RelationshipDef, Schema, SchemaBuilder, Tier, TypeDef,
    TypeId,
};
