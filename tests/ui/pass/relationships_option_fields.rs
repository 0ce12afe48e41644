// `Option` fields and empty values produce neither an indicator nor a relationship.
use relationship_core::prelude::*;
use relationship_core::xsoar::types::{Account, File, Ip};

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: Option<String>,
}

#[derive(Relationships)]
struct EdrEvent {
    #[relationship(uses = host)]
    account: Option<Entity<Account>>,
    #[relationship(communicates_with = remote_ip)]
    host: Machine,
    remote_ip: Option<Entity<Ip>>,
    #[relationship(entity)]
    process_file: Option<Entity<File>>,
    timestamp: u64,
}

fn names(e: &EdrEvent) -> (Vec<String>, Vec<String>) {
    (
        e.indicators().unwrap().into_iter().map(|i| format!("{}:{}", i.indicator_type, i.value)).collect(),
        e.relationships().iter().map(|r| r.name().to_owned()).collect(),
    )
}

fn main() {
    let full = EdrEvent {
        account: Some(Entity::new("u4872")),
        host: Machine { fqdn: Some("pc1".into()) },
        remote_ip: Some(Entity::new("203.0.113.9")),
        process_file: Some(Entity::new("d41d8cd98f00b204e9800998ecf8427e")),
        timestamp: 1,
    };
    assert_eq!(
        names(&full),
        (
            vec![
                "Account:u4872".to_owned(),
                "Host:pc1".to_owned(),
                "IP:203.0.113.9".to_owned(),
                "File:d41d8cd98f00b204e9800998ecf8427e".to_owned(),
            ],
            vec!["uses".to_owned(), "communicates-with".to_owned()],
        )
    );

    let sparse = EdrEvent {
        account: None,
        host: Machine { fqdn: Some("pc1".into()) },
        remote_ip: Some(Entity::new("")),
        process_file: None,
        timestamp: full.timestamp,
    };
    assert_eq!(names(&sparse), (vec!["Host:pc1".to_owned()], vec![]));

    // A host without a name (an `Option` value field that is `None`) drops both relationships.
    let no_host = EdrEvent { host: Machine { fqdn: None }, ..full };
    assert_eq!(
        names(&no_host).1,
        Vec::<String>::new(),
        "both relationships touch the missing host"
    );
    assert_eq!(names(&no_host).0.len(), 3);
}
