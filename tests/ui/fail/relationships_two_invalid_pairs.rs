use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, CourseOfAction, IntrusionSet, Malware};

// Two wrong declarations: one error each, at each declaration, and nothing else.
#[derive(Relationships)]
struct AttackReport {
    #[relationship(uses = malware, mitigates = technique)]
    group: Entity<IntrusionSet>,
    #[relationship(subtechnique_of = technique)]
    malware: Entity<Malware>,
    technique: Entity<AttackPattern>,
    #[relationship(mitigates = technique)]
    mitigation: Option<Entity<CourseOfAction>>,
}

fn main() {}

// expect-errors: 2
