use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "IPv4")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
