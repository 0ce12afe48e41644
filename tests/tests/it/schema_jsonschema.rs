//! `schemas/schema.schema.json` is a valid draft 2020-12 JSON Schema, every shipped schema
//! validates against it, and it rejects the structural defects an editor should flag.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn meta() -> Value {
    read_json(&schemas_dir().join("schema.schema.json"))
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&meta()).expect("schema.schema.json compiles")
}

fn errors(instance: &Value) -> Vec<String> {
    validator()
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_json_schema_is_valid_draft_2020_12() {
    let m = meta();
    assert_eq!(m["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(e) = jsonschema::draft202012::meta::validate(&m) {
        panic!("schema.schema.json is not a valid JSON Schema: {e}");
    }
}

#[test]
fn every_shipped_schema_validates() {
    let mut checked = 0;
    for entry in std::fs::read_dir(schemas_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name == "schema.schema.json" {
            continue;
        }
        let instance = read_json(&path);
        let errs = errors(&instance);
        assert!(errs.is_empty(), "{name}:\n{}", errs.join("\n"));
        assert_eq!(instance["$schema"], "./schema.schema.json", "{name}");
        // And the parser, which checks what JSON Schema cannot, accepts it too.
        if let Err(e) = relationship_schema_parse::load(&path) {
            panic!("{e}");
        }
        checked += 1;
    }
    assert!(checked >= 1, "no shipped schema found");
}

/// A change to a valid schema that makes it invalid.
type Mutation = Box<dyn Fn(&mut Value)>;

fn minimal() -> Value {
    json!({
        "name": "t",
        "types": ["Host", {"name": "IP", "doc": "an address"}],
        "groups": {"net": ["IP"]},
        "reverse_only": ["used-on-by"],
        "relationships": [
            {"name": "uses", "reverse": "used-by", "rules": [{"from": "Host", "to": ["@net"], "tier": "extended"}]},
            {"name": "used-by", "reverse": "uses", "derive": [{"swap": "uses"}]},
            {"name": "same", "reverse": "used-on-by", "same_type": "@all", "symmetric": true},
            {"name": "related-to", "reverse": "related-to", "any": true}
        ]
    })
}

#[test]
fn a_minimal_schema_passes_both_checks() {
    let m = minimal();
    assert_eq!(errors(&m), Vec::<String>::new());
    if let Err(e) = relationship_schema_parse::parse_str(&m.to_string(), "minimal.json") {
        panic!("{e}");
    }
}

#[test]
fn structural_defects_are_rejected() {
    let cases: Vec<(&str, Mutation)> = vec![
        ("types is a number", Box::new(|v| v["types"] = json!(3))),
        (
            "unknown top-level key",
            Box::new(|v| v["relationship"] = json!([])),
        ),
        (
            "missing name",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "tier gold",
            Box::new(|v| v["relationships"][0]["rules"][0]["tier"] = json!("gold")),
        ),
        (
            "unknown rule key",
            Box::new(|v| v["relationships"][0]["rules"][0]["form"] = json!("Host")),
        ),
        (
            "empty from",
            Box::new(|v| v["relationships"][0]["rules"][0]["from"] = json!([])),
        ),
        (
            "no pairs",
            Box::new(|v| {
                v["relationships"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("rules");
            }),
        ),
        (
            "any with rules",
            Box::new(|v| v["relationships"][3]["rules"] = json!([{"from": "Host", "to": "IP"}])),
        ),
        (
            "swap and copy",
            Box::new(|v| v["relationships"][1]["derive"][0]["copy"] = json!("uses")),
        ),
        (
            "derive without target",
            Box::new(|v| v["relationships"][1]["derive"] = json!([{"own": true}])),
        ),
        (
            "group named all",
            Box::new(|v| v["groups"]["all"] = json!(["Host"])),
        ),
        (
            "type starting with @",
            Box::new(|v| v["types"][0] = json!("@Host")),
        ),
        ("empty type name", Box::new(|v| v["types"][0] = json!(""))),
        (
            "lower-case marker",
            Box::new(|v| v["types"][1]["marker"] = json!("ip")),
        ),
        (
            "method with a dash",
            Box::new(|v| v["relationships"][0]["method"] = json!("a-b")),
        ),
        (
            "symmetric as a string",
            Box::new(|v| v["relationships"][2]["symmetric"] = json!("yes")),
        ),
        (
            "missing reverse",
            Box::new(|v| {
                v["relationships"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("reverse");
            }),
        ),
        (
            "trailing white space",
            Box::new(|v| v["relationships"][0]["name"] = json!("uses ")),
        ),
    ];
    for (what, mutate) in cases {
        let mut v = minimal();
        mutate(&mut v);
        assert!(!errors(&v).is_empty(), "JSON Schema accepted: {what}");
        assert!(
            relationship_schema_parse::parse_str(&v.to_string(), "case.json").is_err(),
            "parser accepted: {what}"
        );
    }
}
