use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Domain, Host, Ip};

// Every bad name is reported at once, each with its suggestion.
#[derive(Relationships)]
struct Flow {
    #[relationship(communicate_with = remote, resolve_to = remote)]
    domain: Entity<Domain>,
    #[relationship(subdomain_of = domain)]
    host: Entity<Host>,
    remote: Entity<Ip>,
}

fn main() {}

// expect-errors: 3 (three names misspelled)
