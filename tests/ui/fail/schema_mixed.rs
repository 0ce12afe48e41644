use relationship_core::prelude::*;
use relationship_core::xsoar::types::Host;

#[derive(Indicator)]
#[indicator(type = "Employee", schema = custom_schema_example::hr)]
struct Employee {
    #[indicator(value)]
    id: String,
}

// The record is checked against `hr`, but `host` is an `xsoar` Host.
#[derive(Relationships)]
#[relationship(schema = custom_schema_example::hr)]
struct Login {
    #[relationship(uses = host)]
    employee: Employee,
    host: Entity<Host>,
}

fn main() {}
