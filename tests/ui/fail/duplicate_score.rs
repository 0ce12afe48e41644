use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host", score = 2)]
struct Machine {
    #[indicator(value)]
    fqdn: String,
    #[indicator(score)]
    risk: u8,
}

fn main() {}
