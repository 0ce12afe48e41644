use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

#[derive(Relationships)]
struct Login {
    #[relationship(logged_in_to = host)]
    account: Entity<Account>,
    host: Entity<Host>,
}

fn main() {}
