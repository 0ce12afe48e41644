//! Type-safe Cortex XSOAR indicator relationships.
//!
//! * [`EntityRelationship`] with XSOAR's three renderings (`to_indicator`, `to_entry`,
//!   `to_context`), byte for byte;
//! * [`IndicatorObject`] and [`batch`]: `createIndicators` batches, streamed;
//! * [`fields`]: `fields` and `rawJSON` values kept exactly (key order, number text);
//! * [`json`]: compact output or output byte-identical to Python's `json.dumps`;
//! * [`check`]: strict or XSOAR-lenient run-time checks of dynamic records against a schema;
//! * [`limits`]: the bounds every reader and writer keeps;
//! * with the `input` feature (off by default; the `xsoar-rel` CLI and `relationship-stix` turn
//!   it on): `record` (NDJSON input lines, relationship or indicator, with messages naming
//!   the key), `lines` (bounded reading of hostile input), `validate` and `deliverable`
//!   (checking existing batch lines as delivery will), `value` (depth-limited reading).
//!   A program that only builds and writes relationships does not compile them.
//! * [`Reliability`]: XSOAR's seven source reliability strings;
//! * [`xsoar`], [`typed`], [`prelude`]: the compile-time layer generated from the default
//!   schema: `#[derive(Indicator)]`, `#[derive(Relationships)]` and typed constructors such
//!   as `user.uses(&machine)` that do not compile for a pair the schema does not allow.
#![forbid(unsafe_code)]

// Generated code names this crate `::relationship_core`, inside it as well as outside.
extern crate self as relationship_core;

#[doc(hidden)]
pub mod __private;
pub mod prelude;
pub mod typed;
pub mod xsoar;

pub mod batch;
pub mod check;
#[cfg(feature = "input")]
pub mod deliverable;
pub mod fields;
pub mod indicator;
pub mod json;
pub mod limits;
#[cfg(feature = "input")]
pub mod lines;
#[cfg(feature = "input")]
pub mod record;
pub mod relationship;
pub mod reliability;
#[cfg(feature = "input")]
pub mod validate;
#[cfg(feature = "input")]
pub mod value;

/// The schema model (`relationship-schema`): types, relationship names, allowed triples.
pub use relationship_schema as schema;

pub use batch::{BatchOptions, BatchStats, BatchWriter, Placement, write_batches};
pub use check::{CheckError, Checker, Mode, RelationshipInput};
pub use fields::RawJson;
pub use indicator::{DUMMY_INDICATOR_VALUE, IndicatorLayout, IndicatorObject};
pub use json::JsonStyle;
pub use json::relationship::{ContextRendering, EntryRendering, IndicatorRendering};
#[cfg(feature = "input")]
pub use record::{IndicatorRecord, Record, RecordError, parse_line};
pub use relationship::{EntityRelationship, Fields};
pub use relationship_macros::{
    Indicator, Relationships, assert_no_relationship, assert_relationship,
};
pub use reliability::{InvalidReliability, Reliability};
pub use typed::{Indicator, Relationships};
