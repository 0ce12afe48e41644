//! Byte identity of `JsonStyle::Python` with Python's `json.dumps`, against fixtures that
//! Python's json module wrote (tests/fixtures/python-json/generate.py).

use std::path::PathBuf;

use relationship_codegen::xsoar;
use relationship_core::check::{Checker, Mode, RelationshipInput};
use relationship_core::json::{self, JsonStyle};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/python-json")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn values_match_python_bytes() {
    let inputs = fixture("values.jsonl");
    let expected = fixture("values.expected");
    let inputs: Vec<&str> = inputs.lines().collect();
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(inputs.len(), expected.len());
    assert!(inputs.len() >= 50, "corpus too small: {}", inputs.len());
    for (i, (input, want)) in inputs.iter().zip(&expected).enumerate() {
        let value: Value = serde_json::from_str(input).unwrap();
        let got = json::to_vec(&value, JsonStyle::Python).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            *want,
            "line {}: input {input}",
            i + 1
        );
        // Python's output is ASCII only and parses back to the same value.
        assert!(got.is_ascii());
        assert_eq!(serde_json::from_slice::<Value>(&got).unwrap(), value);
        // and the streaming writer agrees with to_vec
        let mut streamed = Vec::new();
        json::write_json(&mut streamed, &value, JsonStyle::Python).unwrap();
        assert_eq!(streamed, got);
    }
}

#[test]
fn relationship_renderings_match_python_bytes() {
    let checker = Checker::new(xsoar(), Mode::Lenient);
    let inputs = fixture("relationships.jsonl");
    let expected = fixture("relationships.expected");
    let expected: Vec<&str> = expected.lines().collect();
    let inputs: Vec<&str> = inputs.lines().collect();
    assert_eq!(inputs.len() * 3, expected.len());
    for (i, line) in inputs.iter().enumerate() {
        let input: RelationshipInput = serde_json::from_str(line).unwrap();
        let rel = checker.check(input).unwrap();
        let got = [
            json::to_string(&rel.to_indicator(), JsonStyle::Python).unwrap(),
            json::to_string(&rel.to_entry(), JsonStyle::Python).unwrap(),
            json::to_string(&rel.to_context(), JsonStyle::Python).unwrap(),
        ];
        for (k, (got, want)) in got.iter().zip(&expected[i * 3..i * 3 + 3]).enumerate() {
            let what = ["to_indicator", "to_entry", "to_context"][k];
            assert_eq!(got, want, "record {} {what}", i + 1);
        }
    }
}

#[test]
fn the_fixture_corpus_covers_what_it_claims() {
    let inputs = fixture("values.jsonl");
    let all: String = inputs
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap().to_string())
        .collect();
    let decoded: Vec<Value> = inputs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let strings: String = decoded
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("");
    for c in (0u8..0x20).map(char::from).chain([
        '"',
        '\\',
        '\u{7f}',
        'é',
        '\u{2028}',
        '😀',
        '\u{10FFFF}',
    ]) {
        assert!(strings.contains(c), "corpus lacks {c:?}");
    }
    assert!(
        decoded
            .iter()
            .any(|v| v.as_f64().is_some_and(|f| f.fract() != 0.0))
    );
    assert!(
        decoded
            .iter()
            .any(|v| v.is_u64() && v.as_u64() > Some(i64::MAX as u64))
    );
    assert!(all.contains("{}") && all.contains("[]") && all.contains("null"));
}
