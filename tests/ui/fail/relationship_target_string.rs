use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

#[derive(Relationships)]
struct Event {
    #[relationship(uses = "the host")]
    account: Entity<Account>,
    host: Entity<Host>,
}

fn main() {}
