use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
    #[indicator(score)]
    risk: String,
}

fn main() {}
