use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    values: String,
    owner: String,
}

fn main() {}
