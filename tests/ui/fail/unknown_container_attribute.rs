use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(typ = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

fn main() {}
