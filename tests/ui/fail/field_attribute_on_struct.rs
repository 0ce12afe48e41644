use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", value)]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

fn main() {}
