use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    fqdn: String,
}

fn main() {}
