use custom_schema_example::hr::types::Employee;
use relationship_core::prelude::*;
use relationship_core::xsoar::types::Host;

fn main() {
    // `Employee` belongs to the `hr` schema: the `xsoar` constructors do not know it.
    let employee = Entity::<Employee>::new("E1234");
    let _ = employee.uses(&Entity::<Host>::new("pc1"));
}
