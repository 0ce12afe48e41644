//! Type-safe Cortex XSOAR indicator relationships.
//!
//! * [`EntityRelationship`] with XSOAR's three renderings (`to_indicator`, `to_entry`,
//!   `to_context`), byte for byte;
//! * [`IndicatorObject`] and [`batch`]: `createIndicators` batches, streamed;
//! * [`json`]: compact output or output byte-identical to Python's `json.dumps`;
//! * [`check`]: strict or XSOAR-lenient run-time checks of dynamic records against a schema;
//! * [`Reliability`]: XSOAR's seven source reliability strings.
#![forbid(unsafe_code)]

pub mod batch;
pub mod check;
pub mod indicator;
pub mod json;
pub mod relationship;
pub mod reliability;

pub use batch::{BatchOptions, BatchStats, BatchWriter, Placement, write_batches};
pub use check::{CheckError, Checker, Mode, RelationshipInput};
pub use indicator::{DUMMY_INDICATOR_VALUE, IndicatorObject};
pub use json::JsonStyle;
pub use relationship::{
    ContextRendering, EntityRelationship, EntryRendering, Fields, IndicatorRendering,
};
pub use reliability::{InvalidReliability, Reliability};
