use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, IntrusionSet};

#[derive(Indicator)]
#[indicator(type = "Account")]
struct User {
    #[indicator(value)]
    name: String,
}

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

#[derive(Relationships)]
struct Event {
    #[relationship(uses = host)]
    account: User,
    host: Option<Machine>,
}

fn main() {
    let user = User { name: "u4872".into() };
    let machine = Machine { fqdn: "pc135456.domain.local".into() };
    let rel = user.uses(&machine);
    assert_eq!(rel.reverse_name(), "used-by");
    let group = Entity::<IntrusionSet>::new("APT28");
    let technique = Entity::<AttackPattern>::new("T1059");
    assert_eq!(group.uses(&technique).entity_a_type(), "Intrusion Set");
    let event = Event { account: user, host: Some(machine) };
    assert_eq!(event.relationships().len(), 1);
}
