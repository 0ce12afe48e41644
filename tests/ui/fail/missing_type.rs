use relationship_core::prelude::*;

#[derive(Indicator)]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

fn main() {}
