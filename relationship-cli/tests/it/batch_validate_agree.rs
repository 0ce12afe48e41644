//! Strict `batch` and `validate` apply the same rules: whatever strict `batch` writes,
//! `validate` accepts; whatever `validate` rejects, strict `batch` would have refused.

use std::path::PathBuf;

use proptest::prelude::*;
use relationship_cli::batch_cmd::{BatchArgs, batch};
use relationship_cli::opts::{IoOpts, ModeOpt, SchemaOpt};
use relationship_core::check::Mode;
use relationship_core::validate::validate_str;
use serde_json::{Map, Value, json};

fn args(batch_size: u32, attach: bool, python_json: bool) -> BatchArgs {
    BatchArgs {
        batch_size,
        max_batch_bytes: relationship_core::limits::DEFAULT_MAX_BATCH_BYTES as u64,
        attach,
        dummy: !attach,
        keep_duplicates: false,
        schema: SchemaOpt::default(),
        check: ModeOpt::default(),
        io: IoOpts {
            input: PathBuf::from("-"),
            python_json,
            keep_going: true,
            max_line_bytes: 1 << 20,
        },
    }
}

/// Runs `batch` over `lines`: (bad records, output).
fn run_batch(mode: Mode, args: &BatchArgs, lines: &[String]) -> (u64, String) {
    let input = lines.join("\n");
    let mut out = Vec::new();
    let mut diag = Vec::new();
    let summary = batch(
        relationship_core::xsoar::schema(),
        mode,
        args,
        input.as_bytes(),
        &mut out,
        &mut diag,
    )
    .unwrap();
    (summary.bad, String::from_utf8(out).unwrap())
}

/// The messages `validate` reports for `text` (nothing written means nothing to check).
fn violations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    validate_str(text, "t", relationship_core::xsoar::schema(), &mut out);
    out.iter().map(ToString::to_string).collect()
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(items).prop_map(str::to_owned)
}

const NAMES: &[&str] = &[
    "uses",
    "used-by",
    "related-to",
    "indicator-of",
    "contains",
    "usess",
    "",
];
const TYPES: &[&str] = &[
    "Account",
    "Host",
    "IP",
    "CVE",
    "Malware",
    "Attack Pattern",
    "Hots",
    "",
];
const VALUES: &[&str] = &["u1", "h1", "8.8.8.8", "", "$$DummyIndicator$$", "Žaba"];
const REVERSES: &[&str] = &["used-by", "uses", "related-to", "", "contained"];

fn relationship() -> impl Strategy<Value = Value> {
    (
        pick(NAMES),
        pick(VALUES),
        pick(TYPES),
        pick(VALUES),
        pick(TYPES),
        proptest::option::of(pick(REVERSES)),
        proptest::option::of(Just(json!({"description": "d", "n": 1e300}))),
    )
        .prop_map(|(name, a, at, b, bt, reverse, fields)| {
            let mut m = Map::new();
            m.insert("name".into(), name.into());
            m.insert("entity_a".into(), a.into());
            m.insert("entity_a_type".into(), at.into());
            m.insert("entity_b".into(), b.into());
            m.insert("entity_b_type".into(), bt.into());
            if let Some(r) = reverse {
                m.insert("reverse_name".into(), r.into());
            }
            if let Some(f) = fields {
                m.insert("fields".into(), f);
            }
            Value::Object(m)
        })
}

fn indicator() -> impl Strategy<Value = Value> {
    (
        pick(VALUES),
        pick(TYPES),
        proptest::option::of(0u8..=3),
        proptest::option::of(Just(json!({"k": [1, "two", null]}))),
    )
        .prop_map(|(value, t, score, raw)| {
            let mut m = Map::new();
            m.insert("value".into(), value.into());
            m.insert("type".into(), t.into());
            if let Some(s) = score {
                m.insert("score".into(), s.into());
            }
            if let Some(r) = raw {
                m.insert("rawJSON".into(), r);
            }
            Value::Object(m)
        })
}

fn record() -> impl Strategy<Value = String> {
    prop_oneof![relationship(), indicator()].prop_map(|v| v.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever strict `batch` writes, `validate` accepts.
    #[test]
    fn strict_batch_output_validates(
        records in proptest::collection::vec(record(), 0..12),
        batch_size in 1u32..5,
        attach: bool,
        python_json: bool,
    ) {
        let (_, out) = run_batch(Mode::Strict, &args(batch_size, attach, python_json), &records);
        let v = violations(&out);
        prop_assert!(v.is_empty(), "{records:#?}\n{out}\n{v:#?}");
    }

    /// Whatever `validate` rejects (in what lenient `batch` writes for a record, which is
    /// the record as it is), strict `batch` refuses.
    #[test]
    fn what_validate_rejects_strict_batch_refuses(record in record(), attach: bool) {
        let lines = [record];
        let (lenient_bad, written) = run_batch(Mode::Lenient, &args(2, attach, false), &lines);
        prop_assume!(lenient_bad == 0 && !written.is_empty());
        let v = violations(&written);
        let (strict_bad, _) = run_batch(Mode::Strict, &args(2, attach, false), &lines);
        if !v.is_empty() {
            prop_assert_eq!(strict_bad, 1, "{}\n{}\n{:#?}", lines[0], written, v);
        }
    }
}

#[test]
fn an_empty_indicator_value_is_refused_by_both() {
    let line = r#"{"value": "", "type": "IP"}"#.to_owned();
    let (bad, out) = run_batch(
        Mode::Strict,
        &args(2, false, false),
        std::slice::from_ref(&line),
    );
    assert_eq!((bad, out.as_str()), (1, ""));
    let (bad, out) = run_batch(Mode::Lenient, &args(2, false, false), &[line]);
    assert_eq!(bad, 0);
    assert_eq!(
        violations(&out),
        ["t:1: [0][0].value: the indicator value is empty"]
    );
}
