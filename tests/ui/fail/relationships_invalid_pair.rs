use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Cve, Host};

#[derive(Relationships)]
struct Event {
    #[relationship(uses = host)]
    account: Entity<Account>,
    #[relationship(uses = vulnerability)]
    host: Entity<Host>,
    vulnerability: Option<Entity<Cve>>,
}

fn main() {}
