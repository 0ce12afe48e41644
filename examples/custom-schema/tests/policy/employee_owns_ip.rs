// The `hr` policy: an employee owns accounts and hosts, never an IP address. A typed
// constructor that breaks it does not compile.
use custom_schema_example::hr::Relate as _;
use custom_schema_example::{Employee, hr};
use relationship_core::typed::Entity;

fn main() {
    let employee = Employee {
        id: "E-1042".into(),
        department: None,
    };
    let _ = employee.owns(&Entity::<hr::types::Ip>::new("10.0.0.7"));
}
