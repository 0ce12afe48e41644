//! Everything needed to declare typed indicators and relationships:
//! `use relationship_core::prelude::*;`.
//!
//! The derive macros [`Indicator`](macro@Indicator) and
//! [`Relationships`](macro@Relationships), their traits, the default schema's typed
//! constructors ([`Relate`]: `uses`, `used_by`, ...), [`Entity`] and the runtime types.

pub use crate::indicator::IndicatorObject;
pub use crate::relationship::{EntityRelationship, Fields};
pub use crate::reliability::Reliability;
pub use crate::typed::{Entity, Indicator, IndicatorType, RelationshipName, Relationships};
pub use crate::xsoar::Relate;
pub use relationship_macros::{Indicator, Relationships};
