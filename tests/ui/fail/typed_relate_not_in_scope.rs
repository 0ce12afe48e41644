use relationship_core::typed::Entity;
use relationship_core::xsoar::types::{Account, Host};

fn main() {
    // The constructors come from the `Relate` trait, which the prelude brings into scope.
    let _ = Entity::<Account>::new("u4872").uses(&Entity::<Host>::new("pc1"));
}
