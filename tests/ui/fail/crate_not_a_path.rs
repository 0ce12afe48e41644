use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", crate = relationship_core + 1)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
