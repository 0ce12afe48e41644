use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
enum Machine {
    Named(String),
}

fn main() {}
