use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Employee", schema = custom_schema_example::humans)]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
