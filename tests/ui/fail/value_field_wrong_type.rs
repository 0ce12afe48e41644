use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "File")]
struct Sample {
    #[indicator(value)]
    bytes: Vec<u8>,
}

fn main() {}
