use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Employe", schema = custom_schema_example::hr)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
