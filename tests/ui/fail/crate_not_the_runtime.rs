use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", crate = ::serde_json)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
