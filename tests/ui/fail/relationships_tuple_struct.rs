use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

#[derive(Relationships)]
struct Event(Entity<Account>, Entity<Host>);

fn main() {}
