use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Cve};

fn main() {
    // Account has `uses` targets, but not CVE: the help lists them.
    let _ = Entity::<Account>::new("u4872").uses(&Entity::<Cve>::new("CVE-2021-44228"));
}
