use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, Tactic};

fn main() {
    // A sub-technique's parent is a technique, not a tactic.
    let technique = Entity::<AttackPattern>::new("T1059.001");
    let _ = technique.subtechnique_of(&Entity::<Tactic>::new("TA0002"));
}
