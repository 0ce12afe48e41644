use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(valeu)]
    fqdn: String,
}

fn main() {}
