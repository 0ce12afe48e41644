use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Cve")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
