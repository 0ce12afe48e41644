//! Structured schema fuzzing: random schemas (types, groups, rules, derivations, symmetric
//! and any-to-any relationships, names and docs drawn from a pool that includes hostile
//! text) go through the parser and, when accepted, through both generators. Every accepted
//! schema must generate code that parses as Rust, holds no raw control or bidirectional
//! character, and whose static tables rebuild the same schema; every refused one is refused
//! with positioned errors. `tests/build.rs` compiles a further set of random schemas for
//! real (see `fuzz_compiled` below).
//!
//! Cases per run: `PROPTEST_CASES` (default 128 here, a few seconds).
// The compiled modules must be warning-free (unused items aside: a test uses few of them).
#![deny(warnings)]

use proptest::prelude::*;
use relationship_codegen::{GenerateOptions, generate, generate_tables};
use relationship_schema::text::is_unsafe;
use serde_json::{Value, json};

/// Type names: ordinary, XSOAR-like and Unicode ones...
const GOOD_NAMES: &[&str] = &[
    "Host",
    "Account",
    "IP",
    "IPv6CIDR",
    "X509 Certificate",
    "ssdeep",
    "Attack Pattern",
    "Ünïcode Týpe",
    "Domain Glob",
    "CVE",
];

/// ...and hostile ones the parser must refuse (or, for `"quoted"`, accept as data).
const BAD_NAMES: &[&str] = &[
    "a\nb",
    "x\u{202e}y",
    "nul\u{0}",
    "*/",
    "\"quoted\"",
    "type",
    "9lives",
    "@group",
    " padded ",
    "",
    "日本",
];

/// Doc texts: anything goes, they must come out escaped.
const DOCS: &[&str] = &[
    "",
    "plain",
    "two\nlines",
    "}\ncompile_error!(\"x\");\n//",
    "*/ /* \\ \" '",
    "bidi \u{202e} \u{2066} nul \u{0} cr \r tab \t nel \u{85}",
];

const REL_NAMES: &[&str] = &[
    "uses",
    "used-by",
    "related-to",
    "part-of",
    "contains",
    "sub-domain-of",
    "embeds",
    "has",
];

/// A name: mostly a good one, one time in eight a hostile one.
fn name(pool: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop_oneof![7 => prop::sample::select(pool), 1 => prop::sample::select(BAD_NAMES)]
}

fn schema_json() -> impl Strategy<Value = Value> {
    let types = prop::collection::vec((name(GOOD_NAMES), prop::sample::select(DOCS)), 1..6);
    let groups = prop::collection::vec(prop::collection::vec(0usize..8, 1..4), 0..3);
    let rels = prop::collection::vec(
        (
            name(REL_NAMES),
            0usize..8,
            prop::sample::select(DOCS),
            0u8..6,
            prop::collection::vec(0usize..8, 1..3),
            prop::collection::vec(0usize..8, 1..3),
        ),
        1..5,
    );
    (types, groups, rels, prop::sample::select(DOCS)).prop_map(|(types, groups, rels, desc)| {
        // Unique names keep most schemas valid; references are indexes into them.
        let mut seen = std::collections::HashSet::new();
        let types: Vec<(&str, &str)> = types.into_iter().filter(|t| seen.insert(t.0)).collect();
        let type_ref = |i: usize| types[i % types.len()].0;
        let mut seen = std::collections::HashSet::new();
        let rels: Vec<_> = rels.into_iter().filter(|r| seen.insert(r.0)).collect();
        let rel_names: Vec<&str> = rels.iter().map(|r| r.0).collect();
        let groups: serde_json::Map<String, Value> = groups
            .into_iter()
            .enumerate()
            .map(|(i, members)| {
                (
                    format!("g{i}"),
                    json!(members.into_iter().map(type_ref).collect::<Vec<_>>()),
                )
            })
            .collect();
        let has_group = !groups.is_empty();
        let rels: Vec<Value> = rels
            .iter()
            .map(|(name, reverse, doc, shape, from, to)| {
                let reverse = rel_names[reverse % rel_names.len()];
                let from: Vec<&str> = from.iter().map(|&i| type_ref(i)).collect();
                let to: Vec<&str> = to.iter().map(|&i| type_ref(i)).collect();
                let mut r = json!({"name": name, "reverse": reverse, "doc": doc});
                let o = r.as_object_mut().expect("an object");
                match shape {
                    0 => {
                        o.insert("any".into(), json!(true));
                    }
                    1 => {
                        o.insert("same_type".into(), json!(from));
                    }
                    2 if rel_names[0] != *name => {
                        o.insert("derive".into(), json!([{"swap": rel_names[0]}]));
                    }
                    3 => {
                        o.insert("rules".into(), json!([{"from": from, "to": to}]));
                        o.insert("symmetric".into(), json!(true));
                    }
                    4 => {
                        o.insert(
                            "rules".into(),
                            json!([{"from": ["@all"], "to": to, "tier": "extended"}]),
                        );
                    }
                    5 if has_group => {
                        o.insert("rules".into(), json!([{"from": from, "to": ["@g0"]}]));
                    }
                    _ => {
                        o.insert("rules".into(), json!([{"from": from, "to": to}]));
                    }
                }
                r
            })
            .collect();
        let types: Vec<Value> = types
            .into_iter()
            .map(|(name, doc)| json!({"name": name, "doc": doc}))
            .collect();
        json!({
            "name": "fuzz",
            "description": desc,
            "types": types,
            "groups": groups,
            "relationships": rels,
        })
    })
}

/// How many generated schemas the parser accepted (the rest were refused).
static ACCEPTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn check(text: &str) -> Result<(), TestCaseError> {
    match relationship_schema_parse::parse_str(text, "fuzz.json") {
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            for e in errors.iter() {
                prop_assert!(e.line >= 1 && e.column >= 1, "{}", e);
            }
        }
        Ok(schema) => {
            ACCEPTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            for t in schema.types() {
                prop_assert!(!t.name().chars().any(is_unsafe), "{:?}", t.name());
            }
            let label = "fuzz\n\u{202e}.json";
            let code = generate(&schema, &GenerateOptions::default().source_label(label))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(
                !code.chars().any(|c| is_unsafe(c) && c != '\n'),
                "raw unsafe character"
            );
            prop_assert!(
                syn::parse_file(&code).is_ok(),
                "generated code does not parse"
            );
            let tables = generate_tables(&schema, "::relationship_core", Some(label));
            prop_assert!(!tables.chars().any(|c| is_unsafe(c) && c != '\n'));
            prop_assert!(syn::parse_file(&tables).is_ok(), "tables do not parse");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_schemas_are_refused_or_generate_valid_code(schema in schema_json()) {
        check(&serde_json::to_string_pretty(&schema).map_err(|e| TestCaseError::fail(e.to_string()))?)?;
    }
}

#[test]
fn a_fair_share_of_random_schemas_is_accepted() {
    // Run the strategy on its own so the count is this test's: at least one in twenty
    // random schemas must pass the parser, or the property above tests only refusals.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let before = ACCEPTED.load(std::sync::atomic::Ordering::Relaxed);
    let cases = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&schema_json(), |schema| {
            cases.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            check(&serde_json::to_string(&schema).map_err(|e| TestCaseError::fail(e.to_string()))?)
        })
        .unwrap();
    let accepted = ACCEPTED.load(std::sync::atomic::Ordering::Relaxed) - before;
    let cases = cases.into_inner();
    eprintln!("{accepted} of {cases} random schemas accepted");
    assert!(
        accepted * 20 >= cases,
        "only {accepted} of {cases} accepted"
    );
}

#[test]
fn the_generator_sees_some_accepted_schemas() {
    // The strategy must not only produce refused schemas: a fixed accepted one.
    let schema = json!({"name": "ok", "types": ["Host", {"name": "Account", "doc": "}\n//"}],
        "relationships": [{"name": "uses", "reverse": "uses", "doc": "a\u{202e}b",
                           "rules": [{"from": "Account", "to": "Host"}]}]});
    check(&schema.to_string()).unwrap();
    assert!(relationship_schema_parse::parse_str(&schema.to_string(), "ok.json").is_ok());
}

/// The modules `tests/build.rs` generated from pseudo-random schemas, compiled with this
/// test (any that did not compile would fail the build).
mod fuzz_compiled {
    #![allow(dead_code)]
    include!(concat!(env!("OUT_DIR"), "/fuzz_modules.rs"));
}

#[test]
fn most_random_schemas_were_compiled() {
    let list = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/fuzz_modules.rs")).unwrap();
    let compiled = list.lines().count();
    assert!(
        compiled >= 8,
        "only {compiled} of 16 random schemas were accepted and compiled"
    );
}
