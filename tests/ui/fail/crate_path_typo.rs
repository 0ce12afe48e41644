use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", crate = ::relationship_cor)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
