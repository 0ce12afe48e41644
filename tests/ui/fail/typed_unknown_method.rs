use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

fn main() {
    // A typed constructor that does not exist: rustc points at the nearest one.
    let _ = Entity::<Account>::new("u4872").usse(&Entity::<Host>::new("pc1"));
}
