use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
    #[indicator(raw_json)]
    edr: String,
    #[indicator(raw_json)]
    cmdb: String,
}

fn main() {}
