//! Type-safe Cortex XSOAR indicator relationships.
#![forbid(unsafe_code)]

pub mod indicator;
pub mod relationship;
pub mod reliability;

pub use indicator::{DUMMY_INDICATOR_VALUE, IndicatorObject};
pub use relationship::{EntityRelationship, Fields};
pub use reliability::Reliability;
