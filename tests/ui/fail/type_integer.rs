use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = 3)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
