use custom_schema_example::Employee;
use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "IP", schema = custom_schema_example::hr)]
struct Address {
    #[indicator(value)]
    ip: String,
}

// The `hr` schema lets an employee own an account or a host, not an IP address: one error,
// in the schema's spellings, with what `hr` allows instead.
#[derive(Relationships)]
#[relationship(schema = custom_schema_example::hr)]
struct Assignment {
    #[relationship(owns = address)]
    employee: Employee,
    address: Address,
}

fn main() {}
