//! The derives and typed constructors of the default schema, end to end.

use relationship_core::prelude::*;
use relationship_core::typed::FieldTarget;
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
    let obj = u.to_indicator_object().unwrap();
    assert_eq!(obj.value, "u1");
    assert_eq!(obj.indicator_type, "Account");
    assert_eq!(obj.score, None);
    assert_eq!(
        serde_json::to_string(&obj.fields).unwrap(),
        r#"{"displayname":"Jane"}"#
    );
    assert_eq!(user("u2").to_indicator_object().unwrap().fields.len(), 0);

    let m = Machine { fqdn: "h".into() };
    assert_eq!(m.to_indicator_object().unwrap().score, Some(1));
    let a = Address("10.0.0.1".parse().unwrap(), Some(3));
    let obj = a.to_indicator_object().unwrap();
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
        .unwrap()
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
    assert_eq!(event.indicators().unwrap().len(), 1);
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

/// A value whose `Serialize` fails when `fail` is set.
struct Flaky {
    fail: bool,
}

impl serde::Serialize for Flaky {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.fail {
            Err(serde::ser::Error::custom("the sensor went away"))
        } else {
            s.serialize_str("ok")
        }
    }
}

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Sensor {
    #[indicator(value)]
    name: String,
    #[indicator(field = "sensorstate")]
    state: Flaky,
    #[indicator(raw_json)]
    raw: Flaky,
}

#[derive(Relationships)]
struct SensorEvent {
    #[relationship(uses = sensor)]
    account: User,
    sensor: Sensor,
}

fn sensor(state_fails: bool, raw_fails: bool) -> Sensor {
    Sensor {
        name: "s1".into(),
        state: Flaky { fail: state_fails },
        raw: Flaky { fail: raw_fails },
    }
}

#[test]
fn a_field_that_does_not_serialize_is_an_error() {
    let obj = sensor(false, false).to_indicator_object().unwrap();
    assert_eq!(
        serde_json::to_string(&obj).unwrap(),
        r#"{"value":"s1","type":"Host","rawJSON":"ok","fields":{"sensorstate":"ok"}}"#
    );

    let err = sensor(true, false).to_indicator_object().unwrap_err();
    assert_eq!(
        (err.indicator(), err.field(), err.target()),
        ("Sensor", "state", FieldTarget::Field("sensorstate"))
    );
    assert_eq!(
        err.to_string(),
        "cannot serialize `Sensor.state` into the indicator field `sensorstate`: the sensor went away"
    );
    assert_eq!(err.serde_error().to_string(), "the sensor went away");

    let err = sensor(false, true).to_indicator_object().unwrap_err();
    assert_eq!((err.field(), err.target()), ("raw", FieldTarget::RawJson));
    assert_eq!(
        err.to_string(),
        "cannot serialize `Sensor.raw` into `rawJSON`: the sensor went away"
    );
}

#[test]
fn a_record_reports_the_indicator_that_does_not_serialize() {
    let event = SensorEvent {
        account: user("u1"),
        sensor: sensor(true, false),
    };
    let err = event.indicators().unwrap_err();
    assert_eq!((err.indicator(), err.field()), ("Sensor", "state"));
    // Relationships need only the values.
    assert_eq!(event.relationships().len(), 1);

    let event = SensorEvent {
        account: user("u1"),
        sensor: sensor(false, false),
    };
    assert_eq!(event.indicators().unwrap().len(), 2);
}

#[derive(Indicator)]
#[indicator(type = "Host")]
struct MaybeHost {
    #[indicator(value)]
    fqdn: Option<String>,
}

/// An empty value (an `Option` value field holding `None`, or an empty string) is refused
/// with a typed error, as strict `xsoar-rel batch` refuses `"value": ""`; a record skips it.
#[test]
fn an_empty_value_is_a_typed_error_not_an_empty_indicator() {
    for host in [
        MaybeHost { fqdn: None },
        MaybeHost {
            fqdn: Some(String::new()),
        },
    ] {
        let err = host.to_indicator_object().unwrap_err();
        assert_eq!(
            (err.indicator(), err.field(), err.target()),
            ("MaybeHost", "fqdn", FieldTarget::Value)
        );
        assert!(err.to_string().contains("the value is empty"), "{err}");
    }
    let err = user("").to_indicator_object().unwrap_err();
    assert_eq!((err.field(), err.target()), ("name", FieldTarget::Value));
    let err = Entity::<Ip>::new("").to_indicator_object().unwrap_err();
    assert_eq!(err.target(), FieldTarget::Value);
    let ok = MaybeHost {
        fqdn: Some("pc1".into()),
    };
    assert_eq!(ok.to_indicator_object().unwrap().value, "pc1");
}
