use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

#[derive(Relationships)]
#[relationship(uses = host)]
struct Event {
    account: Entity<Account>,
    host: Entity<Host>,
}

fn main() {}
