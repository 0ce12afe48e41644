use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, IntrusionSet};

fn main() {
    // Both names have a space: the target's check names `Attack Pattern` in full; the
    // source, printed by rustc as a type, is its marker.
    let group = Entity::<IntrusionSet>::new("APT28");
    let _ = group.mitigates(&Entity::<AttackPattern>::new("T1059"));
}
