use relationship_core::prelude::*;
use relationship_core::xsoar::types::Account;

#[derive(Relationships)]
struct Event {
    #[relationship(uses = timestamp)]
    account: Entity<Account>,
    timestamp: u64,
}

fn main() {}
