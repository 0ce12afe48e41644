use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", type = "IP")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
