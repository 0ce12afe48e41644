use relationship_core::prelude::*;
use relationship_core::xsoar::types::{CourseOfAction, Malware};

fn main() {
    // The ATT&CK direction is `Course of Action mitigates Malware`; the reverse pair has no
    // `mitigates` at all, so the help names what `Malware` may have with `Course of Action`.
    let malware = Entity::<Malware>::new("Emotet");
    let _ = malware.mitigates(&Entity::<CourseOfAction>::new("M1049"));
}
