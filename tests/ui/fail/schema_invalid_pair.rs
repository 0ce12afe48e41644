use custom_schema_example::hr::types::{Employee, Ip};
use custom_schema_example::hr::Relate;
use relationship_core::typed::Entity;

fn main() {
    // The `hr` schema lets an employee own an account or a host, not an IP address.
    let employee = Entity::<Employee>::new("E1234");
    let _ = employee.owns(&Entity::<Ip>::new("10.0.0.7"));
}
