use relationship_core::prelude::*;
use relationship_core::xsoar::types::Account;

// One error for the typo; the struct is still an indicator, so the record and the typed
// constructor below report nothing further.
#[derive(Indicator)]
#[indicator(type = "Hots")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

#[derive(Relationships)]
struct Event {
    #[relationship(uses = machine)]
    account: Entity<Account>,
    machine: Machine,
}

fn main() {
    let m = Machine { fqdn: "pc1".into() };
    let _ = Entity::<Account>::new("u1").uses(&m);
    let _ = m.to_indicator_object();
}
