//! The derives and typed constructors of the default schema, end to end.

use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, Ip, Malware};

#[derive(Indicator)]
#[indicator(type = "Account")]
struct User {
    #[indicator(value)]
    name: String,
    #[indicator(field = "displayname")]
    display: Option<String>,
}

#[derive(Indicator)]
#[indicator(type = "Host", score = 1)]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

#[derive(Indicator)]
#[indicator(type = relationship_core::xsoar::types::Ip)]
struct Address(
    #[indicator(value)] std::net::IpAddr,
    #[indicator(score)] Option<u8>,
);

#[derive(Relationships)]
struct LoginEvent {
    #[relationship(uses = host)]
    account: User,
    #[relationship(communicates_with = remote)]
    host: Option<Machine>,
    remote: Address,
    #[allow(dead_code)]
    timestamp: u64,
}

fn user(name: &str) -> User {
    User {
        name: name.into(),
        display: None,
    }
}

#[test]
fn seed_example_account_uses_host() {
    let rel = user("u4872").uses(&Machine {
        fqdn: "pc135456.domain.local".into(),
    });
    let got = serde_json::to_string(&rel.to_indicator()).unwrap();
    assert_eq!(
        got,
        r#"{"name":"uses","reverseName":"used-by","type":"IndicatorToIndicator","entityA":"u4872","entityAFamily":"Indicator","entityAType":"Account","entityB":"pc135456.domain.local","entityBFamily":"Indicator","entityBType":"Host","fields":{}}"#
    );
}

#[test]
fn derived_indicator_object_has_fields_and_score() {
    let u = User {
        name: "u1".into(),
        display: Some("Jane".into()),
    };
    let obj = u.to_indicator_object();
    assert_eq!(obj.value, "u1");
    assert_eq!(obj.indicator_type, "Account");
    assert_eq!(obj.score, None);
    assert_eq!(
        serde_json::to_string(&obj.fields).unwrap(),
        r#"{"displayname":"Jane"}"#
    );
    assert_eq!(user("u2").to_indicator_object().fields.len(), 0);

    let m = Machine { fqdn: "h".into() };
    assert_eq!(m.to_indicator_object().score, Some(1));
    let a = Address("10.0.0.1".parse().unwrap(), Some(3));
    let obj = a.to_indicator_object();
    assert_eq!(
        (obj.value.as_str(), &*obj.indicator_type, obj.score),
        ("10.0.0.1", "IP", Some(3))
    );
}

#[test]
fn record_yields_indicators_and_relationships() {
    let event = LoginEvent {
        account: user("u4872"),
        host: Some(Machine { fqdn: "pc1".into() }),
        remote: Address("8.8.8.8".parse().unwrap(), None),
        timestamp: 0,
    };
    let values: Vec<(String, String)> = event
        .indicators()
        .into_iter()
        .map(|i| (i.value, i.indicator_type.into_owned()))
        .collect();
    assert_eq!(
        values,
        [
            ("u4872".into(), "Account".into()),
            ("pc1".into(), "Host".into()),
            ("8.8.8.8".into(), "IP".into())
        ]
    );
    let rels: Vec<String> = event
        .relationships()
        .iter()
        .map(|r| format!("{} {} {}", r.entity_a(), r.name(), r.entity_b()))
        .collect();
    assert_eq!(rels, ["u4872 uses pc1", "pc1 communicates-with 8.8.8.8"]);
}

#[test]
fn none_and_empty_produce_nothing() {
    let event = LoginEvent {
        account: user(""),
        host: None,
        remote: Address("8.8.8.8".parse().unwrap(), None),
        timestamp: 0,
    };
    assert_eq!(event.indicators().len(), 1);
    assert!(event.relationships().is_empty());
}

#[test]
fn entity_and_attack_style_relationships() {
    let rel = Entity::<Malware>::new("Emotet").uses(&Entity::<AttackPattern>::new("T1059"));
    assert_eq!((rel.name(), rel.reverse_name()), ("uses", "used-by"));
    let sub = Entity::<AttackPattern>::new("T1059.001")
        .subtechnique_of(&Entity::<AttackPattern>::new("T1059"));
    assert_eq!(sub.reverse_name(), "parent-technique-of");
    let any = Entity::<Ip>::new("1.1.1.1").related_to(&Entity::<Malware>::new("x"));
    assert_eq!(any.reverse_name(), "related-to");
}
