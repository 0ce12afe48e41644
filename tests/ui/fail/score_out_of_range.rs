use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", score = 7)]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

fn main() {}
