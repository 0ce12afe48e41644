//! The custom schema's derives, typed constructors and batch output.

use custom_schema_example::hr::prelude::*;
use custom_schema_example::{Employee, Login, Machine, assigned_machine, hr, write_batch};
use relationship_core::prelude::*;

fn employee() -> Employee {
    Employee {
        id: "E-1042".into(),
        department: Some("Finance".into()),
    }
}

#[test]
fn custom_rule_employee_uses_host() {
    let rel = employee().uses(&Machine { fqdn: "pc1".into() });
    assert_eq!(
        (
            rel.name(),
            rel.reverse_name(),
            rel.entity_a_type(),
            rel.entity_b_type()
        ),
        ("uses", "used-by", "Employee", "Host")
    );
    let back = Machine { fqdn: "pc1".into() }.used_by(&employee());
    assert_eq!(back.reverse_name(), "uses");
}

#[test]
fn typed_call_in_the_crate_is_the_schema_rule() {
    let machine = Machine {
        fqdn: "pc135456.domain.local".into(),
    };
    let rel = assigned_machine(&employee(), &machine);
    assert_eq!(rel, employee().uses(&machine));
    assert_eq!(
        serde_json::to_string(&rel.to_indicator()).unwrap(),
        serde_json::to_string(
            &EntityRelationship::new(
                "uses",
                "used-by",
                "E-1042",
                "Employee",
                "pc135456.domain.local",
                "Host"
            )
            .to_indicator()
        )
        .unwrap()
    );
    // The default schema's constructors stay in scope beside `hr`'s, for the default types.
    let cve = Entity::<relationship_core::xsoar::types::Cve>::new("CVE-2021-44228");
    let host = Entity::<relationship_core::xsoar::types::Host>::new("pc1");
    assert_eq!(host.has(&cve).name(), "has");
}

#[test]
fn schema_module_lists_its_names() {
    assert_eq!(hr::SCHEMA_NAME, "hr");
    assert_eq!(hr::TYPES, ["Account", "Host", "IP", "Employee"]);
    assert_eq!(hr::RELATIONSHIPS[0], ("uses", "used-by"));
}

#[test]
fn batch_line_is_exact() {
    let login = Login {
        employee: employee(),
        account: None,
        host: Machine { fqdn: "pc1".into() },
        address: Some(Entity::<hr::types::Ip>::new("10.0.0.5")),
    };
    let out = write_batch(Vec::new(), &[login]).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let batch: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let values: Vec<&str> = batch
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["E-1042", "pc1", "10.0.0.5", "$$DummyIndicator$$"]);
    assert_eq!(batch[0]["type"], "Employee");
    assert_eq!(batch[0]["fields"]["department"], "Finance");
    let rels = batch[3]["relationships"].as_array().unwrap();
    let names: Vec<String> = rels
        .iter()
        .map(|r| format!("{} {} {}", r["entityA"], r["name"], r["entityB"]))
        .collect();
    // `owns = account` produced nothing: the account is `None`.
    assert_eq!(
        names,
        [
            r#""E-1042" "uses" "pc1""#,
            r#""pc1" "communicates-with" "10.0.0.5""#
        ]
    );
}

#[test]
fn run_time_checks_use_the_generated_tables() {
    use relationship_core::{Checker, Mode, RelationshipInput};
    let schema = custom_schema_example::hr_schema().unwrap();
    let parsed = relationship_schema_parse::load(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/hr.json"),
    )
    .unwrap();
    assert_eq!(schema.types(), parsed.types());
    assert_eq!(schema.relationships(), parsed.relationships());
    let input = |b_type: &str| RelationshipInput {
        name: "uses".into(),
        entity_a: "e1".into(),
        entity_a_type: "Employee".into(),
        entity_b: "pc1".into(),
        entity_b_type: b_type.into(),
        ..RelationshipInput::default()
    };
    let checker = Checker::new(&schema, Mode::Strict);
    assert_eq!(
        checker.check(input("Host")).unwrap().reverse_name(),
        "used-by"
    );
    let err = checker.check(input("Hots")).unwrap_err().to_string();
    assert!(err.contains("did you mean `Host`?"), "{err}");
}
