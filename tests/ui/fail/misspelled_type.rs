use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Atack Pattern")]
struct Technique {
    #[indicator(value)]
    id: String,
}

fn main() {}
