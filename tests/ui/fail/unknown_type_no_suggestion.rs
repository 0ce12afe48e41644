use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Vulnerability")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
