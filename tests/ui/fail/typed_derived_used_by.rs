use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

fn main() {
    // `used-by` is derived from `uses` by swapping: `Host used-by Account` is allowed
    // because `Account uses Host` is; this direction is not.
    let account = Entity::<Account>::new("u4872");
    let _ = account.used_by(&Entity::<Host>::new("pc135456.domain.local"));
}
