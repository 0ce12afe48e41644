// A record with a type parameter: its pairs are checked by the typed constructors' bounds
// (a `const` cannot name `H`), and it relates as a plain record does.
use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, Host};

#[derive(Relationships)]
struct Login<H: Indicator<Kind = Host>> {
    #[relationship(uses = host)]
    account: Entity<Account>,
    host: H,
}

fn main() {
    let login = Login {
        account: Entity::<Account>::new("alice"),
        host: Entity::<Host>::new("pc1"),
    };
    let rels = login.relationships();
    assert_eq!(rels.len(), 1);
    assert_eq!(rels[0].name(), "uses");
}
