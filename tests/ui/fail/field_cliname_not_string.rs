use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Thing {
    #[indicator(value, field = hostname)]
    value: String,
}

fn main() {}
