use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
union Machine {
    id: u64,
}

fn main() {}
