use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

#[derive(Relationships)]
#[relationship(crate = ::serde_json)]
struct Event {
    #[relationship(uses = host)]
    account: Entity<Account>,
    host: Entity<Host>,
}

fn main() {}
