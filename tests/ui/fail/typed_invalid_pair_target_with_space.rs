use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Host, RegistryKey};

fn main() {
    // XSOAR spells the target with a space: the error names it `Registry Key`, through the
    // per-(relationship, target) check, and lists every source that may `uses` it.
    let host = Entity::<Host>::new("pc135456.domain.local");
    let _ = host.uses(&Entity::<RegistryKey>::new("HKLM\\Software\\Run"));
}
