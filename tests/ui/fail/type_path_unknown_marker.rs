use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = relationship_core::xsoar::types::Hots)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
