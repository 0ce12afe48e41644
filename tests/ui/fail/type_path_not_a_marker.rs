use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = String)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
