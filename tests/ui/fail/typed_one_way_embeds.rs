use relationship_core::prelude::*;
use relationship_core::xsoar::types::{File, Host};

fn main() {
    // `embeds` is one-way (its reverse `embedded-on` is not a name of its own).
    let doc = Entity::<File>::new("9f86d081884c7d659a2feaa0c55ad015");
    let _ = doc.embeds(&Entity::<Host>::new("pc1"));
}
