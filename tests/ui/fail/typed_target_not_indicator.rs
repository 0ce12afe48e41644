use relationship_core::prelude::*;
use relationship_core::xsoar::types::Account;

fn main() {
    // The target must be an indicator, not a bare string.
    let _ = Entity::<Account>::new("u4872").uses(&"pc135456.domain.local");
}
