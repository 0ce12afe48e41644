use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, Malware};

fn main() {
    // Only an `Attack Pattern` is a sub-technique.
    let malware = Entity::<Malware>::new("Emotet");
    let _ = malware.subtechnique_of(&Entity::<AttackPattern>::new("T1059"));
}
