use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Thing {
    #[indicator(value, score = 2)]
    value: String,
}

fn main() {}
