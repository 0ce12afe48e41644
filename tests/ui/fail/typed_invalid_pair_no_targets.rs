use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Cve, Host};

fn main() {
    // CVE is never the source of `uses`: the help lists what CVE may have with Host.
    let _ = Entity::<Cve>::new("CVE-2021-44228").uses(&Entity::<Host>::new("pc1"));
}
