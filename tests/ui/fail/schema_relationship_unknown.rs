use custom_schema_example::{Employee, Machine};
use relationship_core::prelude::*;

// `targets` is an XSOAR name, but the `hr` schema does not have it.
#[derive(Relationships)]
#[relationship(schema = custom_schema_example::hr)]
struct Incident {
    #[relationship(targets = machine)]
    employee: Employee,
    machine: Machine,
}

fn main() {}
