use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "attack pattern")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
