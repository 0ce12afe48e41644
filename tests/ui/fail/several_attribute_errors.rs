use relationship_core::prelude::*;

// All attribute errors of a derive are reported together.
#[derive(Indicator)]
#[indicator(type = "Hots", scroe = 1)]
struct Machine {
    #[indicator(value)]
    fqdn: String,
    #[indicator(feild = "owner")]
    owner: String,
}

fn main() {}

// expect-errors: 3 (three mistakes)
