use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", score = "high")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
