use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", crate = "relationship_core")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
