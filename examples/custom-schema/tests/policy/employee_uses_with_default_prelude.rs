// Only the default schema's typed constructors are in scope (`relationship_core::prelude`):
// `Employee` is an `hr` type, and the one error says which trait to import.
use custom_schema_example::{Employee, Machine};
use relationship_core::prelude::*;

fn main() {
    let employee = Employee {
        id: "E-1042".into(),
        department: None,
    };
    let machine = Machine {
        fqdn: "pc1".into(),
    };
    let _ = employee.uses(&machine);
}
