//! Parse, validate and expand XSOAR relationship schemas, and generate typed Rust code from
//! them.
//!
//! This is a plain library so that a build script (`relationship-core/build.rs`, or a user's
//! own), the derive macros and the `xsoar-rel` command line can all share one schema model.
#![forbid(unsafe_code)]

pub mod model;
pub mod suggest;

pub use model::{Group, Pair, Pairs, RelId, RelationshipDef, Schema, Tier, TypeDef, TypeId};
