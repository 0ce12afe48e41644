//! Byte identity of `JsonStyle::Python` with Python's `json.dumps`, against fixtures that
//! Python's json module wrote (tests/fixtures/python-json/generate.py).

use std::path::PathBuf;

use relationship_core::RawJson;
use relationship_core::check::{Checker, Mode, RelationshipInput};
use relationship_core::json::{self, JsonStyle};
use relationship_core::xsoar::schema as xsoar;

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
        // Read as RawJson: it keeps number text and key order, as Python's `json.loads` does.
        let value = RawJson::parse(input).unwrap();
        let got = json::to_vec(&value, JsonStyle::Python).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            *want,
            "line {}: input {input}",
            i + 1
        );
        // Python's output is ASCII only, and writing what it parses back to gives the same
        // bytes again (numbers keep their text, so `1.0E2` and its output `100.0` are
        // different values; the output is a fixed point). `Infinity` is Python's spelling
        // of an out-of-range literal and no JSON.
        assert!(got.is_ascii());
        if !want.contains("Infinity") {
            let back = RawJson::parse(std::str::from_utf8(&got).unwrap()).unwrap();
            assert_eq!(json::to_vec(&back, JsonStyle::Python).unwrap(), got);
        }
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
    let decoded: Vec<RawJson> = inputs.lines().map(|l| RawJson::parse(l).unwrap()).collect();
    let all: String = decoded.iter().map(RawJson::get).collect();
    let strings: String = decoded
        .iter()
        .filter_map(RawJson::as_str)
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
            .any(|v| v.deserialize_into::<f64>().is_ok_and(|f| f.fract() != 0.0))
    );
    assert!(
        decoded
            .iter()
            .any(|v| v.deserialize_into::<u64>().ok() > Some(i64::MAX as u64))
    );
    assert!(all.contains("{}") && all.contains("[]") && all.contains("null"));
    // Number literals Python keeps or reads differently from a 64-bit reading: an integer
    // beyond 64 bits, `-0`, an upper-case exponent, a literal beyond the double range.
    let lines: Vec<&str> = inputs.lines().collect();
    for literal in ["123456789012345678901234567890", "-0", "1.0E2", "1e400"] {
        assert!(lines.contains(&literal), "corpus lacks the line {literal}");
    }
}

#[test]
fn numbers_beyond_64_bits_keep_every_digit() {
    // The failure this guards against: a 30-digit integer read as an f64 and written as
    // `1.2345678901234568e+29`.
    let v = RawJson::parse(r#"{"n": 123456789012345678901234567890}"#).unwrap();
    assert_eq!(
        json::to_string(&v, JsonStyle::Python).unwrap(),
        r#"{"n": 123456789012345678901234567890}"#
    );
    assert_eq!(
        json::to_string(&v, JsonStyle::Compact).unwrap(),
        r#"{"n":123456789012345678901234567890}"#
    );
}
