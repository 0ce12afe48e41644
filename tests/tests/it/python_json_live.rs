//! Live comparison with Python's json module on a generated corpus: every value is written
//! compact, read by `python3` with `json.loads` and written back with `json.dumps`; our
//! Python style must give the same bytes. The corpus includes number literals as input text
//! spells them (long integers, `-0`, exponent forms, out-of-range exponents). Skipped, with
//! a note, when `python3` is absent; under CI (`CI=true`) `python3_runs` then fails (a
//! separate test, so that the property test does not shrink on a missing tool).

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use relationship_core::RawJson;
use relationship_core::fields::Fields;
use relationship_core::json::{self, JsonStyle};

const SCRIPT: &str = r#"
import json, sys
for line in sys.stdin.buffer.read().split(b'\n'):
    if line:
        sys.stdout.write(json.dumps(json.loads(line.decode('utf-8'))) + '\n')
"#;

/// Python's `json.dumps(json.loads(line))` for each line, or `None` without python3.
fn python_dumps(lines: &[Vec<u8>]) -> Option<Vec<String>> {
    let mut child = match Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("note: python3 not runnable ({e}); live Python comparison skipped");
            return None;
        }
    };
    let mut stdin = child.stdin.take().unwrap();
    let input: Vec<u8> = lines
        .iter()
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x7f]{0,12}",
        "[\"\\\\/\\x00-\\x1f\\x7f-\\u{ff}\\u{2028}\\u{fffd}\\u{10000}-\\u{10ffff}a]{0,12}",
    ]
}

fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        (-1_000_000i64..1_000_000).prop_map(|i| i as f64),
        (-30i32..30, 1u32..1000).prop_map(|(e, m)| f64::from(m) * 10f64.powi(e)),
        // 16 or 17 digits with two round-tripping neighbours: Python takes the closer, ties even.
        (100_000_000_000_000i64..4_000_000_000_000_000, 0u8..8)
            .prop_map(|(i, q)| i as f64 + f64::from(q) / 8.0),
    ]
}

/// Number literals as input text may spell them: integers of any length, `-0`, fractions
/// with upper- or lower-case exponents, some beyond the double range (Python: infinity).
///
/// Kept as [`RawJson`], which keeps the literal's text as Python's `json.loads` reads it.
fn number_literal() -> impl Strategy<Value = RawJson> {
    prop_oneof![
        "-?[1-9][0-9]{0,40}",
        "-?0",
        "-?[0-9]\\.[0-9]{1,20}[eE][+-]?[0-9]{1,3}",
        "-?[1-9][0-9]{0,5}[eE][+-]?[0-9]{1,2}",
    ]
    .prop_map(|text| RawJson::parse(&text).unwrap())
}

/// A JSON value as [`RawJson`]: objects keep their keys in the order generated (a repeated
/// key keeps its first position and its last value, as in a Python `dict`).
fn value() -> impl Strategy<Value = RawJson> {
    let leaf = prop_oneof![
        Just(RawJson::null()),
        number_literal(),
        any::<bool>().prop_map(RawJson::from),
        any::<i64>().prop_map(RawJson::from),
        any::<u64>().prop_map(RawJson::from),
        finite_f64().prop_map(|f| {
            let v = RawJson::from(f);
            assert!(!v.is_null(), "{f} is finite");
            v
        }),
        text().prop_map(RawJson::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(RawJson::from),
            prop::collection::vec((text(), inner), 0..6)
                .prop_map(|kv| RawJson::from(kv.into_iter().collect::<Fields>())),
        ]
    })
}

/// Under CI the live comparison may not be skipped: python3 must run.
#[test]
fn python3_runs() {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        relationship_tests::skip_or_fail(
            "a runnable python3",
            "install python3 for the live comparison with Python's json module",
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn python_style_equals_python_json_dumps(values in prop::collection::vec(value(), 64)) {
        let compact: Vec<Vec<u8>> = values
            .iter()
            .map(|v| json::to_vec(v, JsonStyle::Compact).unwrap())
            .collect();
        let Some(expected) = python_dumps(&compact) else { return Ok(()); };
        prop_assert_eq!(expected.len(), values.len());
        for (v, want) in values.iter().zip(&expected) {
            let got = json::to_string(v, JsonStyle::Python).unwrap();
            prop_assert_eq!(&got, want);
        }
    }
}
