use relationship_core::prelude::*;
use relationship_core::xsoar::types::{CourseOfAction, Host};

fn main() {
    // A course of action mitigates observables, techniques, malware, tools and CVEs, not a
    // host: the help lists the targets `Course of Action` may have for `mitigates`.
    let patch = Entity::<CourseOfAction>::new("Disable SMBv1");
    let _ = patch.mitigates(&Entity::<Host>::new("pc1"));
}
