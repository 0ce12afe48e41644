use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Domain, Ip};

fn main() {
    // `duplicate-of` links two indicators of the same type only.
    let domain = Entity::<Domain>::new("example.com");
    let _ = domain.duplicate_of(&Entity::<Ip>::new("93.184.216.34"));
}
